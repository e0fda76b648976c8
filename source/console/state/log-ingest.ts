// Turns raw text from the log sources into parsed lines, dropping a record already seen from the other source.
// A bounded memory of recent keys: a duplicate arrives within seconds, so old keys can be forgotten.
import {dedupeKey, parseLogLine, type LogSource, type ParsedLogLine} from './log-line.js';

export class LogIngest {
	private readonly seen = new Set<string>();
	private readonly order: string[] = [];
	private head = 0;

	constructor(private readonly memory = 4096) {}

	/** Parse one raw line; undefined when it duplicates a recent record or is blank. */
	accept(text: string, source: LogSource): ParsedLogLine | undefined {
		if (text.trim() === '') {
			return undefined;
		}

		const line = parseLogLine(text, source);
		const key = dedupeKey(line);
		if (key === undefined) {
			return line;
		}

		if (this.seen.has(key)) {
			return undefined;
		}

		this.remember(key);
		return line;
	}

	private remember(key: string): void {
		if (this.order.length < this.memory) {
			this.order.push(key);
		} else {
			this.seen.delete(this.order[this.head]);
			this.order[this.head] = key;
			this.head = (this.head + 1) % this.memory;
		}

		this.seen.add(key);
	}
}
