// Shared-secret auth for `connect` and HTTP bearer auth: constant-time compares, OpenClaw's messages and detail
// codes, and a per-IP limiter for failures.
import {createHash, timingSafeEqual} from 'node:crypto';
import {errorCodes, GatewayError} from '../source/protocol/index.js';

export type AuthMode = 'none' | 'token' | 'password';

export type AuthSettings = {
	mode: AuthMode;
	token?: string;
	password?: string;
};

/** Compare two secrets in time that does not depend on where they differ (nor, via hashing, on their lengths). */
export function secretsEqual(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b) && given.length === expected.length;
}

function authError(message: string, code: string, authReason: string): GatewayError {
	return new GatewayError({
		code: errorCodes.invalidRequest,
		message,
		details: {code, authReason, canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials'},
	});
}

/** Check `connect.params.auth` against the gateway's secret. Returns the method used, throws an `unauthorized:` error. */
export function checkConnectAuth(
	settings: AuthSettings,
	auth: {token?: string; password?: string} | undefined,
): 'none' | 'token' | 'password' {
	if (settings.mode === 'none') {
		return 'none';
	}

	if (settings.mode === 'password') {
		if (!auth?.password) {
			throw authError(
				'unauthorized: gateway password missing (send connect.params.auth.password)',
				'AUTH_PASSWORD_MISSING',
				'password_missing',
			);
		}

		if (!settings.password || !secretsEqual(auth.password, settings.password)) {
			throw authError(
				"unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)",
				'AUTH_PASSWORD_MISMATCH',
				'password_mismatch',
			);
		}

		return 'password';
	}

	const given = auth?.token;
	if (!given) {
		throw authError(
			'unauthorized: gateway token missing (set OPENCLAW_GATEWAY_TOKEN or pass --token)',
			'AUTH_TOKEN_MISSING',
			'token_missing',
		);
	}

	if (!settings.token || !secretsEqual(given, settings.token)) {
		throw authError(
			"unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
			'AUTH_TOKEN_MISMATCH',
			'token_mismatch',
		);
	}

	return 'token';
}

/** Check an HTTP `Authorization: Bearer <token or password>` header. */
export function checkBearer(settings: AuthSettings, header: string | undefined): boolean {
	if (settings.mode === 'none') {
		return true;
	}

	const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
	if (!match) {
		return false;
	}

	const expected = settings.mode === 'password' ? settings.password : settings.token;
	return expected !== undefined && secretsEqual(match[1].trim(), expected);
}

export type RateLimitSettings = {
	maxAttempts: number;
	windowMs: number;
	lockoutMs: number;
	exemptLoopback: boolean;
};

export const defaultRateLimit: RateLimitSettings = {
	maxAttempts: 10,
	windowMs: 60_000,
	lockoutMs: 300_000,
	exemptLoopback: true,
};

/** Failed-auth limiter per client IP: `maxAttempts` failures in `windowMs` lock the IP out for `lockoutMs`. */
export class AuthRateLimiter {
	private readonly failures = new Map<string, {count: number; windowStart: number; lockedUntil: number}>();

	constructor(
		public settings: RateLimitSettings = defaultRateLimit,
		private readonly now: () => number = Date.now,
	) {}

	/** Milliseconds until this IP may try again, or 0 when it may try now. */
	retryAfterMs(ip: string, loopback: boolean): number {
		if (loopback && this.settings.exemptLoopback) {
			return 0;
		}

		const entry = this.failures.get(ip);
		const now = this.now();
		return entry && entry.lockedUntil > now ? entry.lockedUntil - now : 0;
	}

	recordFailure(ip: string, loopback: boolean): void {
		if (loopback && this.settings.exemptLoopback) {
			return;
		}

		const now = this.now();
		let entry = this.failures.get(ip);
		if (!entry || now - entry.windowStart > this.settings.windowMs) {
			entry = {count: 0, windowStart: now, lockedUntil: 0};
			this.failures.set(ip, entry);
		}

		entry.count++;
		if (entry.count >= this.settings.maxAttempts) {
			entry.lockedUntil = now + this.settings.lockoutMs;
		}

		if (this.failures.size > 10_000) {
			this.prune(now);
		}
	}

	recordSuccess(ip: string): void {
		this.failures.delete(ip);
	}

	private prune(now: number): void {
		for (const [ip, entry] of this.failures) {
			if (entry.lockedUntil < now && now - entry.windowStart > this.settings.windowMs) {
				this.failures.delete(ip);
			}
		}
	}
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
