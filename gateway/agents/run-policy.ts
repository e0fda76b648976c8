// What one client may ask of the agent runner, and what the runner keeps afterwards. Every run path (the `agent`
// method, `POST /v1/responses`, hooks) goes through AgentRunner.start, so the policy is enforced once, there.
//
// Without it, a token holder could send 16 MiB inputs in a loop: the runner remembered 1,000 runs for 5 minutes with
// their full text (the echo model answers with its input), and 120 such runs took the gateway from 191 MB to 3 GB.
import {errorCodes, GatewayError} from '../../source/protocol/index.js';
import type {ChatMessage} from './provider.js';

export const runPolicy = {
	/** Text a run may carry in (message, system prompt, history). Far beyond any model's context window. */
	maxInputBytes: 2 * 1024 * 1024,
	/** Input of all runs still going, together: many clients each within their rate still cannot fill the heap. */
	inFlightInputBytes: 64 * 1024 * 1024,
	/** Result text kept for finished runs (agent.wait, idempotent retries); past it the oldest results are dropped. */
	retainedResultBytes: 32 * 1024 * 1024,
	/** Runs one client may start: a burst, then a steady rate (token bucket). */
	burst: 60,
	perSecond: 2,
} as const;

export type RunPolicy = Record<keyof typeof runPolicy, number>;

/** UTF-8 bytes of the text a run carries in. */
export function runInputBytes(request: {message: string; systemPrompt?: string; history?: ChatMessage[]}): number {
	let bytes = Buffer.byteLength(request.message) + Buffer.byteLength(request.systemPrompt ?? '');
	for (const item of request.history ?? []) {
		bytes += Buffer.byteLength(item.content);
	}

	return bytes;
}

export function inputTooLargeError(bytes: number, limit: number): GatewayError {
	return new GatewayError({
		code: errorCodes.invalidRequest,
		message: `run input is ${bytes} bytes, over the ${limit}-byte limit: send less text per run`,
		details: {code: 'RUN_INPUT_TOO_LARGE', bytes, limit},
	});
}

export function runsBusyError(inFlightBytes: number, limit: number): GatewayError {
	return new GatewayError({
		code: errorCodes.unavailable,
		message: `the gateway is busy: runs in progress hold ${inFlightBytes} bytes of input (limit ${limit}); retry shortly`,
		details: {code: 'RUNS_BUSY', inFlightBytes, limit},
		retryable: true,
		retryAfterMs: 1000,
	});
}

/** The reference gateway's control-plane budget shape: UNAVAILABLE "rate limit exceeded for <method>; retry after Ns". */
export function runRateLimitedError(retryAfterMs: number, policy: Pick<RunPolicy, 'burst' | 'perSecond'>): GatewayError {
	return new GatewayError({
		code: errorCodes.unavailable,
		message: `rate limit exceeded for agent runs; retry after ${Math.ceil(retryAfterMs / 1000)}s`,
		details: {code: 'RUN_RATE_LIMITED', method: 'agent', limit: `${policy.burst} burst, ${policy.perSecond} per second`},
		retryable: true,
		retryAfterMs,
	});
}

/** Token buckets per client key (a connection, or an HTTP client's address). Idle full buckets are forgotten. */
export class RunRateLimiter {
	private readonly buckets = new Map<string, {tokens: number; at: number}>();

	constructor(
		private readonly policy: () => Pick<RunPolicy, 'burst' | 'perSecond'>,
		private readonly now: () => number = Date.now,
	) {}

	/** Take one run from `client`'s bucket: 0 when it may run now, else the milliseconds until it may. */
	take(client: string): number {
		const {burst, perSecond} = this.policy();
		const now = this.now();
		const bucket = this.buckets.get(client) ?? {tokens: burst, at: now};
		bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
		bucket.at = now;
		if (bucket.tokens < 1) {
			this.buckets.set(client, bucket);
			return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
		}

		bucket.tokens -= 1;
		this.buckets.set(client, bucket);
		if (this.buckets.size > 10_000) {
			this.forgetFull(now, burst, perSecond);
		}

		return 0;
	}

	private forgetFull(now: number, burst: number, perSecond: number): void {
		for (const [client, bucket] of this.buckets) {
			if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) {
				this.buckets.delete(client);
			}
		}
	}
}
