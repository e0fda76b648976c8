// How a per-client budget (failed-auth lockouts, unauthenticated sockets, hook auth) is doing, for `health`: whether
// it is exhausted now, since when, and how much it turned away. One shape for every budget so a console can show any
// of them the same way.
import type {BudgetReport} from '../source/protocol/methods/gateway.js';

export type {BudgetReport};

/** Refusals closer together than this belong to one episode of exhaustion (and keep `exhausted` true). */
export const budgetQuietMs = 60_000;

export class BudgetMeter {
	private since: number | null = null;
	private refused = 0;
	private refusedTotal = 0;
	private heldUntil = 0;
	private lastRefusedAt: number | null = null;

	constructor(private readonly now: () => number = Date.now) {}

	/** The budget ran out for a client until `untilMs` (a lockout), whether or not anything was refused yet. */
	exhaust(untilMs: number): void {
		this.begin(this.now());
		this.heldUntil = Math.max(this.heldUntil, untilMs);
	}

	/** One attempt or socket was turned away because of the budget. True when this began a new episode (log it once). */
	refuse(): boolean {
		const now = this.now();
		const began = this.begin(now);
		this.refused++;
		this.refusedTotal++;
		this.lastRefusedAt = now;
		return began;
	}

	/** `clients`: how many client IPs are over the budget right now. */
	report(clients: number, limit: string): BudgetReport {
		const now = this.now();
		if (!this.exhaustedAt(now)) {
			this.since = null;
			this.refused = 0;
		}

		return {
			exhausted: this.since !== null,
			since: this.since,
			refused: this.refused,
			refusedTotal: this.refusedTotal,
			lastRefusedAt: this.lastRefusedAt,
			clients,
			limit,
		};
	}

	private exhaustedAt(now: number): boolean {
		return now < this.heldUntil || (this.lastRefusedAt !== null && now - this.lastRefusedAt < budgetQuietMs);
	}

	/** A new episode starts unless the budget is still exhausted from the last one. */
	private begin(now: number): boolean {
		if (this.since !== null && this.exhaustedAt(now)) {
			return false;
		}

		this.since = now;
		this.refused = 0;
		return true;
	}
}
