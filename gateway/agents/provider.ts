// The model provider contract: given a conversation, stream the assistant's answer as text deltas. Providers stop
// when `signal` aborts (the run was aborted, timed out, or its HTTP client went away).
export type ChatMessage = {role: 'system' | 'user' | 'assistant'; content: string};

export type ModelRequest = {
	messages: ChatMessage[];
	signal: AbortSignal;
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
