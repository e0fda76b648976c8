// Turns raw text from the log sources into parsed lines, dropping a record already seen from the other source.
// A bounded memory of recent keys: a duplicate arrives within seconds, so old keys can be forgotten. With a single
// source (an attached console reads only the log file, by cursor, which never repeats a line) there is nothing to
// drop, and remembering nothing spares a flood one key string per line, each kept just long enough to be promoted
// to V8's old generation and collected there.
import {dedupeKey, parseLogLine, type LogSource, type ParsedLogLine} from './log-line.js';

export class LogIngest {
	private readonly seen = new Set<string>();
	private readonly order: string[] = [];
	private head = 0;
	private readonly dedupe: boolean;
	private readonly memory: number;

	constructor(options: {dedupe: boolean; memory?: number} = {dedupe: true}) {
		this.dedupe = options.dedupe;
		this.memory = options.memory ?? 4096;
	}

	/** Parse one raw line; undefined when it duplicates a recent record or is blank. */
	accept(text: string, source: LogSource): ParsedLogLine | undefined {
		if (text.trim() === '') {
			return undefined;
		}

		const line = parseLogLine(text, source);
		if (!this.dedupe) {
			return line;
		}

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
