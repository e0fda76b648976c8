// Plain HTTP on the gateway port: liveness/readiness/startup probes as OpenClaw answers them, the Control UI,
// routes added by other modules (OpenResponses, hooks), and a JSON 404 for everything else.
import type http from 'node:http';
import {isIP} from 'node:net';
import {isLoopbackAddress, isLoopbackHost} from '../source/protocol/config/paths.js';
import type {GatewayServer} from './server.js';
import {controlUiEnabled, normalizeBasePath, serveControlUi} from './http-routes/control-ui.js';

export type HttpRoute = {
	/** Does this route own the request path? */
	matches(pathname: string): boolean;
	handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> | void;
};

export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'no-store',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

/**
 * Browsers send Origin; a page the operator happens to visit must not drive the gateway (CSWSH). Requests without
 * Origin (CLIs, scripts) pass; browser requests pass only from loopback pages, this gateway's own page, or origins
 * listed in gateway.controlUi.allowedOrigins.
 */
export function originAllowed(request: http.IncomingMessage, server: GatewayServer): boolean {
	const origin = request.headers.origin;
	if (!origin) {
		return true;
	}

	const allowed = server.config().config.gateway?.controlUi?.allowedOrigins ?? [];
	if (allowed.includes('*') || allowed.includes(origin)) {
		return true;
	}

	try {
		const url = new URL(origin);
		const hostname = url.hostname.replace(/^\[|\]$/g, '');
		// Same-origin counts only for an IP literal: a DNS-rebound name (evil.example -> 127.0.0.1) also arrives
		// with a matching Host header, so named origins must be listed in allowedOrigins.
		return isLoopbackHost(hostname) || (isIP(hostname) !== 0 && url.host === request.headers.host);
	} catch {
		return false;
	}
}

const probeRoots = new Set(['/health', '/healthz', '/ready', '/readyz', '/startup', '/startupz']);

function probe(pathname: string, request: http.IncomingMessage, response: http.ServerResponse, server: GatewayServer): void {
	if (request.method !== 'GET' && request.method !== 'HEAD') {
		response.writeHead(405, {Allow: 'GET, HEAD', 'Content-Type': 'application/json'});
		response.end(JSON.stringify({error: {message: 'method not allowed', type: 'method_not_allowed'}}));
		return;
	}

	const uptimeMs = Date.now() - server.startedAt;
	const detailed = isLoopbackAddress(request.socket.remoteAddress ?? '');
	const ready = server.ready && !server.admissionClosed;
	switch (pathname) {
		case '/health':
		case '/healthz': {
			sendJson(response, 200, {ok: true, status: 'live'});
			return;
		}

		case '/ready':
		case '/readyz': {
			const failing = ready ? [] : [server.admissionClosed ? 'gateway-restarting' : 'startup'];
			sendJson(response, ready ? 200 : 503, detailed ? {ready, failing, uptimeMs} : {ready});
			return;
		}

		default: {
			sendJson(
				response,
				ready ? 200 : 503,
				ready
					? {ok: true, status: 'started', ...(detailed ? {version: server.version, uptimeMs} : {})}
					: {ok: false, status: 'starting', ...(detailed ? {version: server.version, uptimeMs, pendingReason: 'startup'} : {})},
			);
		}
	}
}

export async function handleHttp(
	request: http.IncomingMessage,
	response: http.ServerResponse,
	server: GatewayServer,
	routes: HttpRoute[],
): Promise<void> {
	let url: URL;
	try {
		url = new URL(request.url ?? '/', 'http://gateway.invalid');
	} catch {
		sendJson(response, 400, {error: {message: 'bad request target', type: 'invalid_request_error'}});
		return;
	}

	const {pathname} = url;
	try {
		if (probeRoots.has(pathname)) {
			probe(pathname, request, response, server);
			return;
		}

		if (!originAllowed(request, server)) {
			sendJson(response, 403, {error: {message: 'origin not allowed', type: 'forbidden'}});
			return;
		}

		for (const route of routes) {
			if (route.matches(pathname)) {
				await route.handle(request, response, url);
				return;
			}
		}

		const config = server.config().config;
		if (controlUiEnabled(config, server.host) && serveControlUi(request, response, pathname, normalizeBasePath(config.gateway?.controlUi?.basePath))) {
			return;
		}

		sendJson(response, 404, {error: {message: `not found: ${pathname}`, type: 'not_found'}});
	} catch (error) {
		server.logger.error('http handler failed', {path: pathname, error: (error as Error).message});
		if (!response.headersSent) {
			sendJson(response, 500, {error: {message: 'internal error', type: 'api_error'}});
		} else {
			response.destroy();
		}
	}
}
