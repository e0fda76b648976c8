// The failed-auth budget per client IP, shared by WebSocket `connect` and HTTP bearer routes: too many failures
// lock the IP out for a while. Who is exempt, and who still gets in while locked out, is decided here in one place.
import type http from 'node:http';
import {errorCodes, GatewayError} from '../source/protocol/index.js';
import {BudgetMeter, type BudgetReport} from './budget-meter.js';
import {isLoopbackAddress} from '../source/protocol/config/paths.js';

export type RateLimitSettings = {
	maxAttempts: number;
	windowMs: number;
	lockoutMs: number;
	/** Non-browser clients on loopback are not counted at all. Browser-origin attempts are counted regardless. */
	exemptLoopback: boolean;
};

export const defaultRateLimit: RateLimitSettings = {
	maxAttempts: 10,
	windowMs: 60_000,
	lockoutMs: 300_000,
	exemptLoopback: true,
};

/**
 * Where an auth attempt comes from. `loopback`: a process on this host connected directly. `browser`: the request
 * carried an Origin header, so a web page sent it.
 */
export type AuthAttemptSource = {ip: string; loopback: boolean; browser: boolean};

const proxyHeaders = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * The budget's view of an upgrade or HTTP request. A request relayed by a reverse proxy on this host arrives from
 * loopback but was sent by someone elsewhere, so it counts as remote: without that, every client behind the proxy
 * would get the local CLI's treatment.
 */
export function authAttemptSource(request: http.IncomingMessage): AuthAttemptSource {
	const ip = request.socket.remoteAddress ?? 'unknown';
	const proxied = proxyHeaders.some((name) => request.headers[name] !== undefined);
	return {ip, loopback: isLoopbackAddress(ip) && !proxied, browser: request.headers.origin !== undefined};
}

export type AuthAttemptOutcome<T> =
	| {ok: true; value: T}
	| {ok: false; rateLimited: true; retryAfterMs: number}
	| {ok: false; rateLimited: false; error: unknown};

type Entry = {count: number; windowStart: number; lockedUntil: number};

export class AuthRateLimiter {
	private readonly failures = new Map<string, Entry>();
	private readonly meter: BudgetMeter;
	private limitSaid?: RateLimitSettings & {text: string};

	constructor(
		public settings: RateLimitSettings = defaultRateLimit,
		private readonly now: () => number = Date.now,
	) {
		this.meter = new BudgetMeter(now);
	}

	/**
	 * Run one auth attempt under the budget: `verify` returns on the right secret and throws on a wrong one.
	 *
	 * While an IP is locked out, browser-origin and remote attempts are refused without looking at the secret, so the
	 * lockout really stops a guesser there: a web page cannot pick its source address, and a remote one pays for
	 * every address it uses. A non-browser client on loopback is different: any local process can choose among 2^24
	 * source addresses in 127.0.0.0/8, so a per-IP lockout never slowed a local guesser; it only let one lock every
	 * local client out (a few bad guesses, and the operator's CLI and console were refused for minutes). So for
	 * them the secret is verified first, in constant time, and the right one gets in; a wrong one gets the same
	 * "too many failed attempts" answer as any locked-out attempt. The guesser learns exactly the one bit every
	 * attempt tells it (right or wrong), nothing about the lockout's state it did not cause, and nothing from timing
	 * (the compare hashes both sides). Successes during a lockout do not lift it.
	 */
	attempt<T>(source: AuthAttemptSource, verify: () => T): AuthAttemptOutcome<T> {
		if (source.loopback && !source.browser && this.settings.exemptLoopback) {
			return run(verify);
		}

		const key = keyFor(source);
		const retryAfterMs = this.retryAfterMs(key);
		if (retryAfterMs > 0 && !(source.loopback && !source.browser)) {
			this.meter.refuse();
			return {ok: false, rateLimited: true, retryAfterMs};
		}

		const outcome = run(verify);
		if (outcome.ok) {
			if (retryAfterMs === 0) {
				this.failures.delete(key);
			}

			return outcome;
		}

		if (retryAfterMs > 0) {
			this.meter.refuse();
			return {ok: false, rateLimited: true, retryAfterMs};
		}

		this.recordFailure(key);
		return outcome;
	}

	/** For `health`: is the budget exhausted, since when, how much it refused. */
	report(): BudgetReport {
		const now = this.now();
		let locked = 0;
		for (const entry of this.failures.values()) {
			if (entry.lockedUntil > now) {
				locked++;
			}
		}

		return this.meter.report(locked, this.limitText());
	}

	/** The budget in words; made again only when the settings change (`health` asks on every call). */
	private limitText(): string {
		const {maxAttempts, windowMs, lockoutMs, exemptLoopback} = this.settings;
		const said = this.limitSaid;
		if (said?.maxAttempts !== maxAttempts || said.windowMs !== windowMs || said.lockoutMs !== lockoutMs || said.exemptLoopback !== exemptLoopback) {
			const text =
				`${maxAttempts} failed attempts per ${seconds(windowMs)} per IP, then locked out for ${seconds(lockoutMs)}` +
				(exemptLoopback ? ' (non-browser loopback clients exempt)' : '');
			this.limitSaid = {maxAttempts, windowMs, lockoutMs, exemptLoopback, text};
		}

		return this.limitSaid!.text;
	}

	private retryAfterMs(key: string): number {
		const entry = this.failures.get(key);
		const now = this.now();
		return entry && entry.lockedUntil > now ? entry.lockedUntil - now : 0;
	}

	private recordFailure(key: string): void {
		const now = this.now();
		let entry = this.failures.get(key);
		if (!entry || now - entry.windowStart > this.settings.windowMs) {
			entry = {count: 0, windowStart: now, lockedUntil: 0};
			this.failures.set(key, entry);
		}

		entry.count++;
		if (entry.count >= this.settings.maxAttempts && this.settings.lockoutMs > 0) {
			entry.lockedUntil = now + this.settings.lockoutMs;
			this.meter.exhaust(entry.lockedUntil);
		}

		if (this.failures.size > 10_000) {
			this.prune(now);
		}
	}

	private prune(now: number): void {
		for (const [key, entry] of this.failures) {
			if (entry.lockedUntil < now && now - entry.windowStart > this.settings.windowMs) {
				this.failures.delete(key);
			}
		}
	}
}

/**
 * Browser attempts from loopback count apart from the local CLI's: a local success then cannot reset a web page's
 * count, and a page's lockout is not the CLI's. Elsewhere an attacker sets or omits Origin at will, so one count.
 */
function keyFor(source: AuthAttemptSource): string {
	return source.loopback && source.browser ? `${source.ip} (browser)` : source.ip;
}

function run<T>(verify: () => T): AuthAttemptOutcome<T> {
	try {
		return {ok: true, value: verify()};
	} catch (error) {
		return {ok: false, rateLimited: false, error};
	}
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

export function rateLimitedError(retryAfterMs: number): GatewayError {
	return new GatewayError({
		code: errorCodes.invalidRequest,
		message: 'unauthorized: too many failed authentication attempts (retry later)',
		details: {code: 'AUTH_RATE_LIMITED', authReason: 'rate_limited'},
		retryable: true,
		retryAfterMs,
	});
}
