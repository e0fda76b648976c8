// An OpenAI-compatible chat completions provider (OpenAI, vLLM, Ollama, LM Studio, OpenRouter...): POST
// `{baseUrl}/chat/completions` with `stream: true` and read the SSE deltas. The API key never appears in errors.
import {maskSecrets} from '../channels/http-probe.js';
import {ModelError, type ModelProvider, type ModelRequest, type TokenUsage} from './provider.js';
import {SseParser} from './sse.js';

export type OpenAiProviderOptions = {
	name: string;
	baseUrl: string;
	apiKey?: string;
	model: string;
};

function errorText(body: string): string {
	try {
		const parsed = JSON.parse(body) as {error?: {message?: string} | string; message?: string};
		const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
		if (message) {
			return message;
		}
	} catch {
		// Not JSON: report the start of the text.
	}

	return body.trim().slice(0, 200);
}

type UsageFields = {prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: {cached_tokens?: unknown}};

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** OpenAI's usage block (the last chunk, with `stream_options.include_usage`): cached prompt tokens are reads. */
function usageOf(usage: UsageFields): TokenUsage {
	const cacheRead = count(usage.prompt_tokens_details?.cached_tokens);
	return {input: Math.max(0, count(usage.prompt_tokens) - cacheRead), output: count(usage.completion_tokens), cacheRead, cacheWrite: 0};
}

function deltaOf(data: string, onUsage?: (usage: TokenUsage) => void): string {
	let chunk: {choices?: Array<{delta?: {content?: unknown}}>; error?: {message?: string}; usage?: UsageFields | null};
	try {
		chunk = JSON.parse(data);
	} catch {
		throw new ModelError(`model stream sent invalid JSON: ${data.slice(0, 80)}`);
	}

	if (chunk.error) {
		throw new ModelError(`model stream error: ${chunk.error.message ?? 'unknown'}`);
	}

	if (chunk.usage && typeof chunk.usage === 'object') {
		onUsage?.(usageOf(chunk.usage));
	}

	const content = chunk.choices?.[0]?.delta?.content;
	return typeof content === 'string' ? content : '';
}

export class OpenAiCompatibleProvider implements ModelProvider {
	readonly ref: string;

	constructor(private readonly options: OpenAiProviderOptions) {
		this.ref = `${options.name}/${options.model}`;
	}

	private fail(message: string): ModelError {
		return new ModelError(maskSecrets(message, this.options.apiKey ? [this.options.apiKey] : []));
	}

	async *stream(request: ModelRequest): AsyncIterable<string> {
		const url = `${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
		let response: Response;
		try {
			response = await fetch(url, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					Accept: 'text/event-stream',
					...(this.options.apiKey ? {Authorization: `Bearer ${this.options.apiKey}`} : {}),
				},
				// include_usage: the last chunk carries the token counts (servers that do not know the option ignore it).
				body: JSON.stringify({model: this.options.model, messages: request.messages, stream: true, stream_options: {include_usage: true}}),
				signal: request.signal,
			});
		} catch (error) {
			if (request.signal.aborted) {
				return;
			}

			const cause = (error as {cause?: {code?: string; message?: string}}).cause;
			throw this.fail(`model provider ${this.options.name} unreachable at ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
		}

		if (!response.ok || !response.body) {
			const body = await response.text().catch(() => '');
			throw this.fail(`model provider ${this.options.name} answered HTTP ${response.status}: ${errorText(body) || response.statusText}`);
		}

		const parser = new SseParser();
		const decoder = new TextDecoder();
		try {
			for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
				for (const event of parser.push(decoder.decode(chunk, {stream: true}))) {
					if (event.data === '[DONE]') {
						return;
					}

					const delta = deltaOf(event.data, request.onUsage);
					if (delta) {
						yield delta;
					}
				}
			}

			for (const event of parser.end()) {
				if (event.data !== '[DONE]') {
					const delta = deltaOf(event.data, request.onUsage);
					if (delta) {
						yield delta;
					}
				}
			}
		} catch (error) {
			if (request.signal.aborted) {
				return;
			}

			throw error instanceof ModelError ? this.fail(error.message) : this.fail(`model stream broke: ${(error as Error).message}`);
		}
	}
}
