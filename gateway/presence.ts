// Who is connected: one entry per authenticated socket, bounded in count and age, with a version counter that
// every change bumps (clients compare it to detect missed presence updates).
import {limits, type PresenceEntry} from '../source/protocol/index.js';

export class PresenceRegistry {
	private readonly entries = new Map<string, PresenceEntry>();
	version = 1;

	upsert(connId: string, entry: Omit<PresenceEntry, 'ts'>): void {
		this.entries.set(connId, {...entry, connId, ts: Date.now()});
		while (this.entries.size > limits.presenceMaxEntries) {
			const oldest = this.entries.keys().next().value;
			if (oldest === undefined) {
				break;
			}

			this.entries.delete(oldest);
		}

		this.version++;
	}

	touch(connId: string): void {
		const entry = this.entries.get(connId);
		if (entry) {
			entry.ts = Date.now();
		}
	}

	remove(connId: string): boolean {
		const removed = this.entries.delete(connId);
		if (removed) {
			this.version++;
		}

		return removed;
	}

	list(): PresenceEntry[] {
		const cutoff = Date.now() - limits.presenceTtlMs;
		return [...this.entries.values()].filter((entry) => entry.ts >= cutoff);
	}

	get size(): number {
		return this.entries.size;
	}
}
