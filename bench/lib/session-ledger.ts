// What the routing soak remembers of `sessions.list` across restarts: every session key it has seen, with the
// highest message count seen for it. A later listing that lacks a key, or shows fewer messages, is a lost session
// (or lost turns). Message counts only shrink when a transcript passes sessionLimits.maxMessagesPerSession (1000)
// and is trimmed; the soak's peers and rate keep every session under that (the soak says so when one gets near), so
// any shrink here is a loss.
export type SessionRowLike = {key: string; messageCount?: unknown};

export class SessionLedger {
	private readonly seen = new Map<string, number>();
	readonly problems: string[] = [];
	listings = 0;

	/** Compare one listing (taken at `when`) with everything seen before, then remember it. */
	observe(rows: readonly SessionRowLike[], when: string): void {
		this.listings++;
		const now = new Map(rows.map((row) => [row.key, typeof row.messageCount === 'number' ? row.messageCount : 0]));
		for (const [key, count] of this.seen) {
			const current = now.get(key);
			if (current === undefined) {
				this.problems.push(`${when}: session ${key} (${count} messages) is gone`);
			} else if (current < count) {
				this.problems.push(`${when}: session ${key} went from ${count} to ${current} messages`);
			}
		}

		for (const [key, count] of now) {
			this.seen.set(key, Math.max(count, this.seen.get(key) ?? 0));
		}
	}

	get size(): number {
		return this.seen.size;
	}

	count(key: string): number | undefined {
		return this.seen.get(key);
	}

	/** The most messages any one session has had. */
	get largest(): number {
		return Math.max(0, ...this.seen.values());
	}
}
