// Why a connection attempt failed, decided in one place: each way an attempt can end before hello-ok becomes a
// GatewayConnectError of one kind, with a message that names the URL and the fix. Pure (no socket here), so the
// classification is tested on its own; GatewayClient only reports which of these happened.
import type {ErrorShape} from '../protocol/index.js';
import {detailCode, fixSentence, matchSignature} from '../protocol/signatures.js';
import {authFix, refusedSecret} from './auth-fix.js';

export type ConnectFailureKind = 'unreachable' | 'auth' | 'protocol' | 'rejected' | 'timeout' | 'closed';

/** Why a connection attempt failed, with a message that names the URL and the fix. */
export class GatewayConnectError extends Error {
	constructor(
		message: string,
		readonly kind: ConnectFailureKind,
		readonly url: string,
		readonly detail?: {code?: number; reason?: string; error?: ErrorShape; errno?: string},
	) {
		super(message);
		this.name = 'GatewayConnectError';
	}

	get retryAfterMs(): number | undefined {
		return this.detail?.error?.retryAfterMs;
	}
}

/** Nothing answered at the TCP level (refused, reset, no route). */
export function unreachable(url: string, errno: string): GatewayConnectError {
	return new GatewayConnectError(
		`Gateway not reachable at ${url} (${errno}). Start it with \`openclaw gateway\` or check \`openclaw gateway status\`.`,
		'unreachable',
		url,
		{errno},
	);
}

/** The HTTP upgrade was answered with a status instead of 101: 503 is a busy gateway (retry later), others are not ours. */
export function upgradeRefused(url: string, status: number, statusMessage?: string): GatewayConnectError {
	return new GatewayConnectError(
		`gateway at ${url} refused the WebSocket upgrade (HTTP ${status}${statusMessage ? ` ${statusMessage}` : ''})`,
		status === 503 ? 'rejected' : 'protocol',
		url,
		{code: status, error: status === 503 ? {code: 'UNAVAILABLE', message: 'busy', retryAfterMs: 1000} : undefined},
	);
}

export function closedBeforeHello(url: string, code: number, reason: string): GatewayConnectError {
	return new GatewayConnectError(`gateway closed (${code}): ${reason || 'no reason'} before the handshake finished (${url})`, 'closed', url, {code, reason});
}

export function handshakeTimedOut(url: string, timeoutMs: number): GatewayConnectError {
	return new GatewayConnectError(`gateway at ${url} did not answer connect within ${timeoutMs} ms`, 'timeout', url);
}

/**
 * The gateway answered `connect` with an error. `unauthorized...` is an auth failure (not retried blindly: the
 * credentials must change), a protocol mismatch is final, anything else is a refusal that may pass. The message
 * carries the fix in the signature table's words; for auth, the fix for the secret the gateway asked for.
 */
export function refusedConnect(url: string, error: ErrorShape = {code: 'INVALID_REQUEST', message: 'connect failed'}): GatewayConnectError {
	const kind: ConnectFailureKind = error.message.startsWith('unauthorized') ? 'auth' : error.details?.code === 'PROTOCOL_MISMATCH' ? 'protocol' : 'rejected';
	const known = matchSignature(error.message, detailCode(error));
	const hint = kind === 'auth' ? ` ${authFix(refusedSecret(error))}` : known ? ` ${fixSentence(known)}` : '';
	return new GatewayConnectError(`${error.message}${hint}`, kind, url, {error});
}
