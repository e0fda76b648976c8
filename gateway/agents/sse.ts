// A Server-Sent Events parser for streamed model answers: feed it decoded text in any chunking, get whole events.
export type SseEvent = {event?: string; data: string};

export class SseParser {
	private buffer = '';
	private event?: string;
	private data: string[] = [];

	/** Returns the events completed by this chunk. */
	push(chunk: string): SseEvent[] {
		this.buffer += chunk;
		const out: SseEvent[] = [];
		for (;;) {
			const newline = this.buffer.search(/\r\n|\r|\n/);
			if (newline === -1) {
				break;
			}

			// A lone \r at the end may be the first half of \r\n: wait for more input.
			if (this.buffer[newline] === '\r' && newline === this.buffer.length - 1) {
				break;
			}

			const line = this.buffer.slice(0, newline);
			const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
			this.buffer = this.buffer.slice(newline + width);
			const event = this.line(line);
			if (event) {
				out.push(event);
			}
		}

		return out;
	}

	/** Flush at end of stream (a last event without its blank line). */
	end(): SseEvent[] {
		const out = this.buffer ? this.push('\n') : [];
		const last = this.line('');
		return last ? [...out, last] : out;
	}

	private line(line: string): SseEvent | undefined {
		if (line === '') {
			if (this.data.length === 0) {
				this.event = undefined;
				return undefined;
			}

			const event: SseEvent = {data: this.data.join('\n')};
			if (this.event) {
				event.event = this.event;
			}

			this.data = [];
			this.event = undefined;
			return event;
		}

		if (line.startsWith(':')) {
			return undefined;
		}

		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) {
			value = value.slice(1);
		}

		if (field === 'data') {
			this.data.push(value);
		} else if (field === 'event') {
			this.event = value;
		}

		return undefined;
	}
}
