// Bearer auth for the gateway's HTTP API surface (OpenResponses): the same token/password as WebSocket clients, and
// the same per-IP failed-auth budget, so guessing over HTTP is limited exactly as guessing over `connect`.
import type http from 'node:http';
import {checkBearer} from '../auth.js';
import {authAttemptSource} from '../auth-rate-limit.js';
import type {GatewayRuntime} from '../runtime.js';
import {sendJson} from '../http.js';

export function sendError(response: http.ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}): void {
	sendJson(response, status, {error: {message, type}}, headers);
}

/** `Retry-After` is whole seconds, rounded up so a client that obeys it is not refused again. */
export function retryAfterHeader(retryAfterMs: number): Record<string, string> {
	return {'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000)))};
}

/** True when the request may go on; otherwise a 401 (wrong or missing secret) or 429 (budget spent) has been sent. */
export function requireGatewayBearer(request: http.IncomingMessage, response: http.ServerResponse, gateway: GatewayRuntime): boolean {
	const outcome = gateway.rateLimiter.attempt(authAttemptSource(request), () => {
		if (!checkBearer(gateway.auth, request.headers.authorization)) {
			throw new Error('bearer mismatch');
		}
	});
	if (outcome.ok) {
		return true;
	}

	if (outcome.rateLimited) {
		sendError(response, 429, 'Too many failed authentication attempts: retry after the time in Retry-After', 'rate_limited', retryAfterHeader(outcome.retryAfterMs));
		return false;
	}

	sendError(response, 401, 'Unauthorized: send Authorization: Bearer <gateway token or password>', 'unauthorized', {
		'WWW-Authenticate': 'Bearer',
	});
	return false;
}
