// Bearer auth for the gateway's HTTP API surface (OpenResponses): the same token/password as WebSocket clients.
import type http from 'node:http';
import {checkBearer} from '../auth.js';
import type {GatewayRuntime} from '../runtime.js';
import {sendJson} from '../http.js';

export function sendError(response: http.ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}): void {
	sendJson(response, status, {error: {message, type}}, headers);
}

/** True when the request may go on; otherwise a 401 has been sent. */
export function requireGatewayBearer(request: http.IncomingMessage, response: http.ServerResponse, gateway: GatewayRuntime): boolean {
	if (checkBearer(gateway.auth, request.headers.authorization)) {
		return true;
	}

	sendError(response, 401, 'Unauthorized: send Authorization: Bearer <gateway token or password>', 'unauthorized', {
		'WWW-Authenticate': 'Bearer',
	});
	return false;
}
