// The model provider contract: given a conversation, stream the assistant's answer as text deltas. Providers stop
// when `signal` aborts (the run was aborted, timed out, or its HTTP client went away).
export type ChatMessage = {role: 'system' | 'user' | 'assistant'; content: string};

/** Tokens a model call used, as the provider reported them (usage.cost adds them up per day). */
export type TokenUsage = {input: number; output: number; cacheRead: number; cacheWrite: number};

export type ModelRequest = {
	messages: ChatMessage[];
	signal: AbortSignal;
	/** Called once with the call's token counts when the provider reports them. */
	onUsage?(usage: TokenUsage): void;
};

export interface ModelProvider {
	/** `echo` or `<provider>/<model>`: what runs and logs name. */
	readonly ref: string;
	stream(request: ModelRequest): AsyncIterable<string>;
}

export class ModelError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ModelError';
	}
}
