// Follows the gateway's log file through `logs.tail` by byte cursor: at once when a `logs.appended` event says
// there is more, else on a slow fallback timer. One request in flight at a time; while the file grows faster than
// one answer carries, it asks again immediately, so a flood is drained in big batches instead of one per line.
import {isRecord, type LogsTailResult} from '../../protocol/index.js';

export type LogTailRequester = (params: {cursor?: number; limit: number; maxBytes: number}) => Promise<LogsTailResult>;

export type LogFollowerOptions = {
	request: LogTailRequester;
	onLines(lines: string[]): void;
	/** Something the operator should know (cursor reset, skipped bytes, read errors). */
	onNotice(text: string): void;
	fallbackMs?: number;
	limit?: number;
	maxBytes?: number;
	/** Lines shown from the existing file on the first read. */
	initialLimit?: number;
};

export class LogFollower {
	private cursor?: number;
	private running = false;
	private inFlight = false;
	private again = false;
	private timer?: ReturnType<typeof setTimeout>;
	private lastError?: string;

	constructor(private readonly options: LogFollowerOptions) {}

	start(): void {
		this.running = true;
		this.poke();
	}

	stop(): void {
		this.running = false;
		clearTimeout(this.timer);
	}

	/**
	 * New lines are waiting (or might be): read them now, or right after the read in flight. `size` is the file size
	 * a `logs.appended` event reports: when it is exactly where the cursor already is, there is nothing to read (a
	 * smaller size is a rotation, which must be read).
	 */
	poke(size?: number): void {
		if (!this.running) {
			return;
		}

		if (size !== undefined && !this.inFlight && size === this.cursor) {
			return;
		}

		if (this.inFlight) {
			this.again = true;
			return;
		}

		clearTimeout(this.timer);
		void this.read();
	}

	private async read(): Promise<void> {
		this.inFlight = true;
		this.again = false;
		const limit = this.options.limit ?? 2000;
		let more = false;
		try {
			const first = this.cursor === undefined;
			const result = await this.options.request({
				cursor: this.cursor,
				limit: first ? (this.options.initialLimit ?? 200) : limit,
				// Modest answers keep the heap small; a flood is drained by asking again at once, not by asking for more.
				maxBytes: this.options.maxBytes ?? 200_000,
			});
			if (!isRecord(result) || !Array.isArray(result.lines)) {
				throw new Error('logs.tail answered without lines');
			}

			if (!first && result.reset) {
				this.options.onNotice(
					result.skippedBytes ? `log cursor re-anchored (skipped ${result.skippedBytes} bytes)` : 'log cursor reset (file rotated)',
				);
			}

			this.lastError = undefined;
			this.cursor = result.cursor;
			if (result.lines.length > 0) {
				this.options.onLines(result.lines);
			}

			more = !first && (result.lines.length >= limit || (typeof result.size === 'number' && result.size - result.cursor > 16_384));
		} catch (error) {
			const message = (error as Error).message;
			if (message !== this.lastError && !/not connected/.test(message)) {
				this.options.onNotice(`logs.tail failed: ${message}`);
			}

			this.lastError = message;
		} finally {
			this.inFlight = false;
		}

		if (!this.running) {
			return;
		}

		if (more || this.again) {
			this.poke();
			return;
		}

		this.timer = setTimeout(() => {
			this.poke();
		}, this.options.fallbackMs ?? 5000);
		// Node: the follower alone keeps no process alive. Browsers' timers are numbers and have no unref.
		(this.timer as {unref?: () => void}).unref?.();
	}
}
