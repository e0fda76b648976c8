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

/** How long past its own estimate a restart the gateway announced is still awaited with fast retries. */
export const awaitedRestartGraceMs = 60_000;

/** The fixed cadence while an announced restart is awaited: the link is back within this of the port answering. */
export const awaitedRestartRetryMs = 250;

/**
 * The delay before the next reconnect attempt. Any loss backs off exponentially (never sooner than the gateway's own
 * `retryAfterMs`), so a fleet of clients does not hammer a gateway that is gone. A restart the gateway announced is
 * different: it is coming back and the operator is watching for it, so the port is polled at a short fixed cadence
 * and a "gateway starting; retry shortly" is retried when it says, not after a backoff grown while it was down.
 */
export function reconnectDelay(options: {attempt: number; policy?: Partial<BackoffPolicy>; retryAfterMs?: number; restartAwaited: boolean}, random = Math.random()): number {
	if (options.restartAwaited) {
		return options.retryAfterMs ?? awaitedRestartRetryMs;
	}

	return Math.max(backoffDelay(options.attempt, options.policy, random), options.retryAfterMs ?? 0);
}
