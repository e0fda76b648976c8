// Messages one peer may send the agent: a burst, then a steady rate (a token bucket per peer). A peer over its
// rate gets nothing: the agent does not run and no reply goes out, so a flood costs the operator no model calls.
export type PeerRateLimit = {burst: number; perMinute: number};
export const defaultPeerRateLimit: PeerRateLimit = {burst: 5, perMinute: 20};

/** Peers remembered at most; the ones idle longest are forgotten first (they come back with a full bucket). */
const maxPeers = 10_000;

export class PeerRateLimiter {
	private readonly buckets = new Map<string, {tokens: number; at: number}>();

	constructor(
		private readonly limit: () => PeerRateLimit,
		private readonly now: () => number = Date.now,
	) {}

	/** Take one message from the peer's bucket: true when it may go on. */
	take(peer: string): boolean {
		const {burst, perMinute} = this.limit();
		const now = this.now();
		const bucket = this.buckets.get(peer) ?? {tokens: burst, at: now};
		bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
		bucket.at = now;
		this.buckets.delete(peer);
		this.buckets.set(peer, bucket);
		if (this.buckets.size > maxPeers) {
			this.buckets.delete(this.buckets.keys().next().value!);
		}

		if (bucket.tokens < 1) {
			return false;
		}

		bucket.tokens -= 1;
		return true;
	}
}
