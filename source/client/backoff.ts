// Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with full jitter in the upper half so a fleet
// of clients does not reconnect in lockstep after a gateway restart.
export type BackoffPolicy = {initialMs: number; maxMs: number; factor: number; jitter: number};

export const defaultBackoff: BackoffPolicy = {initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5};

/** Delay before attempt number `attempt` (1-based), for a random value `random` in [0, 1). */
export function backoffDelay(attempt: number, policy: Partial<BackoffPolicy> = {}, random = Math.random()): number {
	const {initialMs, maxMs, factor, jitter} = {...defaultBackoff, ...policy};
	const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
	return Math.round(base * (1 - jitter + jitter * random));
}
