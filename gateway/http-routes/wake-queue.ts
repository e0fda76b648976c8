// System events queued by `/hooks/wake` for a session until the next turn takes them. A repeat of the newest
// pending text is coalesced rather than queued twice; each session keeps at most `maxPerSession` events, and at
// most `maxSessions` sessions are remembered (the longest-untouched go first).
export type WakeOutcome = 'queued' | 'coalesced';

export class WakeQueue {
	private readonly pending = new Map<string, string[]>();

	constructor(
		private readonly maxPerSession = 20,
		private readonly maxSessions = 1000,
	) {}

	enqueue(sessionKey: string, text: string): WakeOutcome {
		const queue = this.pending.get(sessionKey) ?? [];
		if (queue.at(-1) === text) {
			return 'coalesced';
		}

		queue.push(text);
		if (queue.length > this.maxPerSession) {
			queue.shift();
		}

		this.pending.delete(sessionKey);
		this.pending.set(sessionKey, queue);
		if (this.pending.size > this.maxSessions) {
			this.pending.delete(this.pending.keys().next().value!);
		}

		return 'queued';
	}

	/** Take every pending event of a session (oldest first). */
	drain(sessionKey: string): string[] {
		const queue = this.pending.get(sessionKey) ?? [];
		this.pending.delete(sessionKey);
		return queue;
	}

	size(sessionKey: string): number {
		return this.pending.get(sessionKey)?.length ?? 0;
	}
}
