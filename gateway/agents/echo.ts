// The built-in offline model: answers with the user's last message, streamed in a few deltas like a real model,
// so a fresh install (and every test) gets a full agent run with no network and no key.
import type {ModelProvider, ModelRequest} from './provider.js';

export const echoModelRef = 'echo';

/** Split text into at most `parts` pieces at word boundaries (pieces keep their spaces, so they re-join exactly). */
export function splitDeltas(text: string, parts = 4): string[] {
	const words = text.match(/\S+\s*|\s+/g) ?? [];
	if (words.length === 0) {
		return text ? [text] : [];
	}

	const size = Math.ceil(words.length / parts);
	const out: string[] = [];
	for (let index = 0; index < words.length; index += size) {
		out.push(words.slice(index, index + size).join(''));
	}

	return out;
}

function wordCount(text: string): number {
	return text.match(/\S+/g)?.length ?? 0;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) {
			resolve();
			return;
		}

		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}

		signal.addEventListener('abort', done, {once: true});
	});
}

export class EchoModel implements ModelProvider {
	readonly ref = echoModelRef;

	constructor(private readonly deltaDelayMs = 5) {}

	async *stream(request: ModelRequest): AsyncIterable<string> {
		const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
		const deltas = splitDeltas(lastUser?.content ?? '');
		// No tokenizer offline: one token per word, so usage.cost has honest counts to add up (and no cost: it is free).
		request.onUsage?.({
			input: request.messages.reduce((sum, message) => sum + wordCount(message.content), 0),
			output: wordCount(lastUser?.content ?? ''),
			cacheRead: 0,
			cacheWrite: 0,
		});
		for (const [index, delta] of deltas.entries()) {
			if (index > 0) {
				await pause(this.deltaDelayMs, request.signal);
			}

			if (request.signal.aborted) {
				return;
			}

			yield delta;
		}
	}
}
