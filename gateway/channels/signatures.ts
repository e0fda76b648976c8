// Verifying what a service signs on an inbound request: an HMAC-SHA256 over the timestamp and the raw body, a
// timestamp within the replay window, and a signature not seen before inside that window (so a captured request
// sent again at once is refused too, not only an old one).
import {createHmac, timingSafeEqual} from 'node:crypto';

export const defaultReplayWindowSeconds = 300;

export function hmacSha256Hex(secret: string, data: string | Buffer): string {
	return createHmac('sha256', secret).update(data).digest('hex');
}

/** Constant-time comparison of two hex/ASCII strings (different lengths are simply unequal). */
export function signaturesEqual(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Signatures accepted within the replay window, forgotten once they could no longer pass the timestamp check. */
export class ReplayCache {
	private readonly seen = new Map<string, number>();

	constructor(private readonly maxEntries = 50_000) {}

	/** Record `key` until `expiresAt`; false when it was already there (a replay). */
	remember(key: string, expiresAt: number, now: number): boolean {
		for (const [seenKey, expiry] of this.seen) {
			if (expiry > now && this.seen.size < this.maxEntries) {
				break;
			}

			this.seen.delete(seenKey);
		}

		if (this.seen.has(key)) {
			return false;
		}

		this.seen.set(key, expiresAt);
		return true;
	}
}

export type SignedRequest = {
	/** The timestamp header's value (unix seconds). */
	timestamp: string | undefined;
	/** The signature header's value, e.g. `sha256=<hex>` or `v0=<hex>`. */
	signature: string | undefined;
	/** What the expected signature is computed from, given the timestamp. */
	signedText: (timestamp: string) => string;
	/** The prefix before the hex digest (`sha256=`, `v0=`). */
	prefix: string;
	secret: string;
	windowSeconds: number;
	replays: ReplayCache;
	now?: number;
};

export type Verdict = {ok: true} | {ok: false; reason: 'missing-signature' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' | 'replayed'};

export function verifySignedRequest(request: SignedRequest): Verdict {
	const now = request.now ?? Date.now();
	if (!request.signature || !request.timestamp) {
		return {ok: false, reason: 'missing-signature'};
	}

	if (!/^\d{1,12}$/.test(request.timestamp)) {
		return {ok: false, reason: 'bad-timestamp'};
	}

	const stamp = Number(request.timestamp) * 1000;
	if (Math.abs(now - stamp) > request.windowSeconds * 1000) {
		return {ok: false, reason: 'stale-timestamp'};
	}

	const expected = request.prefix + hmacSha256Hex(request.secret, request.signedText(request.timestamp));
	if (!signaturesEqual(request.signature.trim().toLowerCase(), expected)) {
		return {ok: false, reason: 'bad-signature'};
	}

	// Past the window the timestamp check refuses it anyway; remember it until then (plus the clock skew allowed).
	if (!request.replays.remember(expected, stamp + request.windowSeconds * 1000 + 1000, now)) {
		return {ok: false, reason: 'replayed'};
	}

	return {ok: true};
}
