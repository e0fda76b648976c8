// Shared-secret auth for `connect` and HTTP bearer auth: constant-time compares, OpenClaw's messages and detail
// codes. The per-IP limiter for failures is in auth-rate-limit.ts.
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
