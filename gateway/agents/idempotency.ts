// Remembers recent idempotency keys (OpenClaw: 5 minutes, at most 1000 keys) so a retried request returns the
// outcome of the first instead of doing the work twice.
export class TtlCache<V> {
	private readonly entries = new Map<string, {value: V; expiresAt: number}>();

	constructor(
		private readonly ttlMs: number,
		private readonly maxKeys: number,
		private readonly now: () => number = Date.now,
	) {}

	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) {
			return undefined;
		}

		if (entry.expiresAt <= this.now()) {
			this.entries.delete(key);
			return undefined;
		}

		return entry.value;
	}

	set(key: string, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, {value, expiresAt: this.now() + this.ttlMs});
		this.prune();
	}

	get size(): number {
		return this.entries.size;
	}

	private prune(): void {
		const now = this.now();
		for (const [key, entry] of this.entries) {
			if (this.entries.size <= this.maxKeys && entry.expiresAt > now) {
				break;
			}

			// Map order is insertion order: the first entries are the oldest.
			this.entries.delete(key);
		}
	}
}
