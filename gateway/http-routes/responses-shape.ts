// The OpenResponses objects and streaming events, built the way OpenAI's Responses API (and OpenClaw) shape them.
export type ResponseStatus = 'in_progress' | 'completed' | 'failed' | 'incomplete';

export type ResponseIds = {id: string; itemId: string; createdAt: number; model: string};

/** A rough token count (no tokenizer offline): about four characters per token. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

export function outputItem(ids: ResponseIds, text: string, status: 'in_progress' | 'completed') {
	return {
		type: 'message',
		id: ids.itemId,
		status,
		role: 'assistant',
		content: status === 'in_progress' ? [] : [outputTextPart(text)],
	};
}

export function outputTextPart(text: string) {
	return {type: 'output_text', text, annotations: []};
}

export function responseObject(
	ids: ResponseIds,
	status: ResponseStatus,
	options: {text?: string; inputText?: string; error?: string} = {},
) {
	const text = options.text ?? '';
	const inputTokens = estimateTokens(options.inputText ?? '');
	const outputTokens = estimateTokens(text);
	return {
		id: ids.id,
		object: 'response',
		created_at: ids.createdAt,
		status,
		model: ids.model,
		output: status === 'completed' || text ? [outputItem(ids, text, 'completed')] : [],
		usage:
			status === 'in_progress'
				? null
				: {input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens},
		error: options.error ? {code: 'api_error', message: options.error} : null,
		incomplete_details: null,
	};
}

/** The event sequence of a streamed answer, one SSE record per entry. */
export class ResponseEventStream {
	private sequence = 0;

	constructor(
		private readonly ids: ResponseIds,
		private readonly write: (type: string, data: Record<string, unknown>) => void,
	) {}

	private emit(type: string, data: Record<string, unknown>): void {
		this.write(type, {type, sequence_number: this.sequence++, ...data});
	}

	begin(): void {
		const response = responseObject(this.ids, 'in_progress');
		this.emit('response.created', {response});
		this.emit('response.in_progress', {response});
		this.emit('response.output_item.added', {output_index: 0, item: outputItem(this.ids, '', 'in_progress')});
		this.emit('response.content_part.added', {item_id: this.ids.itemId, output_index: 0, content_index: 0, part: outputTextPart('')});
	}

	delta(delta: string): void {
		this.emit('response.output_text.delta', {item_id: this.ids.itemId, output_index: 0, content_index: 0, delta});
	}

	complete(text: string, inputText: string): void {
		const place = {item_id: this.ids.itemId, output_index: 0, content_index: 0};
		this.emit('response.output_text.done', {...place, text});
		this.emit('response.content_part.done', {...place, part: outputTextPart(text)});
		this.emit('response.output_item.done', {output_index: 0, item: outputItem(this.ids, text, 'completed')});
		this.emit('response.completed', {response: responseObject(this.ids, 'completed', {text, inputText})});
	}

	fail(text: string, inputText: string, error: string): void {
		this.emit('response.failed', {response: responseObject(this.ids, 'failed', {text, inputText, error})});
	}
}
