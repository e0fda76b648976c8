// Shared-secret auth for `connect` and HTTP bearer auth: constant-time compares. The checks return OpenClaw's
// reason words (`token_mismatch` ...); connect-refusal.ts turns a reason into the client's message and detail
// code. Identity-header ways in (Tailscale Serve, trusted proxy) are in auth-identity.ts; the per-IP limiter for
// failures is in auth-rate-limit.ts.
import {createHash, timingSafeEqual} from 'node:crypto';

export type AuthMode = 'none' | 'token' | 'password' | 'trusted-proxy';

/** `gateway.auth.trustedProxy`, as OpenClaw names its keys. */
export type TrustedProxySettings = {
	userHeader: string;
	requiredHeaders?: string[];
	allowUsers?: string[];
	/** A proxy on this host (loopback peer) is trusted only when this is set, as in OpenClaw. */
	allowLoopback?: boolean;
};

export type AuthSettings = {
	mode: AuthMode;
	token?: string;
	password?: string;
	/** `gateway.auth.allowTailscale`: believe Tailscale Serve identity headers once tailscaled confirms them. */
	allowTailscale?: boolean;
	/** `gateway.tailscale.mode`: identity headers only mean something when Serve fronts the gateway. */
	tailscaleMode?: 'off' | 'serve' | 'funnel';
	/** `gateway.trustedProxies`: IPs/CIDRs of the proxies whose forwarding and identity headers count. */
	trustedProxies?: string[];
	trustedProxy?: TrustedProxySettings;
};

/** How a connect was let in: `hello-ok.auth.method`. */
export type AuthMethod = 'none' | 'token' | 'password' | 'tailscale' | 'device-token' | 'trusted-proxy';

export type AuthDecision = {ok: true; method: AuthMethod; user?: string} | {ok: false; reason: string; why?: string};

/** Compare two secrets in time that does not depend on where they differ (nor, via hashing, on their lengths). */
export function secretsEqual(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b) && given.length === expected.length;
}

/** Check `connect.params.auth` against the gateway's shared secret (token or password mode). */
export function checkSharedSecret(settings: AuthSettings, auth: {token?: string; password?: string} | undefined): AuthDecision {
	if (settings.mode === 'none') {
		return {ok: true, method: 'none'};
	}

	if (settings.mode === 'password' || settings.mode === 'trusted-proxy') {
		// trusted-proxy reaches here only for a direct local client offering the password (auth-identity.ts).
		if (!auth?.password) {
			return {ok: false, reason: 'password_missing'};
		}

		if (!settings.password) {
			return {ok: false, reason: 'password_missing_config'};
		}

		return secretsEqual(auth.password, settings.password) ? {ok: true, method: 'password'} : {ok: false, reason: 'password_mismatch'};
	}

	if (!auth?.token) {
		return {ok: false, reason: 'token_missing'};
	}

	if (!settings.token || !secretsEqual(auth.token, settings.token)) {
		return {ok: false, reason: 'token_mismatch'};
	}

	return {ok: true, method: 'token'};
}

/** Check an HTTP `Authorization: Bearer <token or password>` header. trusted-proxy has no bearer secret: refused. */
export function checkBearer(settings: AuthSettings, header: string | undefined): boolean {
	if (settings.mode === 'none') {
		return true;
	}

	const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
	if (!match) {
		return false;
	}

	const expected = settings.mode === 'password' ? settings.password : settings.mode === 'token' ? settings.token : undefined;
	return expected !== undefined && secretsEqual(match[1].trim(), expected);
}
