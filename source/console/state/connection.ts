// The link to the gateway (GatewayClient state) and, in --ssh mode, the tunnel under it. The Runtime pane shows
// one line from these: what the operator sees must always say whether the numbers around it are live.
import {refusedSecret} from '../../client/auth-fix.js';
import type {HelloOk} from '../../protocol/index.js';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'auth-failed' | 'closed';

export type ConnectionState = {
	status: ConnectionStatus;
	url?: string;
	attempt: number;
	/** When the next attempt starts (epoch ms), while reconnecting. */
	retryAt?: number;
	error?: string;
	connectedAt?: number;
	/** When a connected link was lost (cleared on the next connect): the Runtime pane's "unreachable since". */
	lostAt?: number;
	serverVersion?: string;
	/** The gateway's uptime as its hello-ok snapshot gave it, and when that arrived (uptime when `status` lacks it). */
	helloUptimeMs?: number;
	helloAt?: number;
};

export type TunnelStatus = 'opening' | 'open' | 'down' | 'reopening' | 'closed' | 'failed';

export type TunnelState = {
	status: TunnelStatus;
	target: string;
	localPort?: number;
	error?: string;
	retryAt?: number;
	attempt: number;
};

export type ConnectionAction =
	| {type: 'connection/state'; status: ConnectionStatus; attempt: number; retryInMs?: number; error?: string; /** A refused connect's detail code. */ errorCode?: string; at: number}
	| {type: 'connection/hello'; serverVersion: string; uptimeMs?: number; at: number}
	| {type: 'connection/url'; url: string}
	| {type: 'tunnel/state'; status: TunnelStatus; localPort?: number; error?: string; retryInMs?: number; attempt: number; at: number};

/** The console's record of a hello-ok: the facts it shows (what it may call is asked of the client: gateway-reads serves). */
export function helloAction(hello: HelloOk, at: number): ConnectionAction {
	const uptimeMs = hello.snapshot?.uptimeMs;
	return {
		type: 'connection/hello',
		serverVersion: hello.server.version,
		uptimeMs: typeof uptimeMs === 'number' && Number.isFinite(uptimeMs) ? uptimeMs : undefined,
		at,
	};
}

export function initialConnection(url?: string): ConnectionState {
	return {status: 'idle', url, attempt: 0};
}

export function connectionReducer(state: ConnectionState, action: ConnectionAction): ConnectionState {
	switch (action.type) {
		case 'connection/state':
			return {
				...state,
				status: action.status,
				attempt: action.attempt,
				retryAt: action.retryInMs === undefined ? undefined : action.at + action.retryInMs,
				// A good connection clears the last error; any other state keeps the newest one.
				error: action.status === 'connected' ? undefined : (action.error ?? state.error),
				connectedAt: action.status === 'connected' ? action.at : state.connectedAt,
				lostAt: action.status === 'connected' ? undefined : state.status === 'connected' ? action.at : state.lostAt,
			};
		case 'connection/hello':
			return {...state, serverVersion: action.serverVersion, helloUptimeMs: action.uptimeMs, helloAt: action.at};
		case 'connection/url':
			return {...state, url: action.url};
		default:
			return state;
	}
}

export function tunnelReducer(state: TunnelState | undefined, action: ConnectionAction): TunnelState | undefined {
	if (action.type !== 'tunnel/state' || !state) {
		return state;
	}

	return {
		...state,
		status: action.status,
		localPort: action.localPort ?? state.localPort,
		error: action.status === 'open' ? undefined : (action.error ?? state.error),
		retryAt: action.retryInMs === undefined ? undefined : action.at + action.retryInMs,
		attempt: action.attempt,
	};
}

function secondsUntil(at: number | undefined, now: number): number {
	return at === undefined ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

/** `hint` may hold several short lines (\n): the Runtime pane shows each on its own row. */
export type StatusLine = {text: string; tone: 'ok' | 'warn' | 'error' | 'muted'; hint?: string};

/** One line for the connection, as the Runtime pane shows it. */
/**
 * What to do about refused credentials depends on who holds them. A child this console started runs on the profile's
 * credentials, which the console re-reads (`r`); an attached gateway needs the operator's token or password. Short
 * lines (a pane is ~40 columns): the key first, then the fix.
 */
function authHint(connection: ConnectionState, mode: ConsoleLinkMode, interactive: boolean): string {
	if (mode === 'local') {
		return interactive ? "refused: did the profile's token change?\nr re-reads it, R restarts the gateway on it" : "refused: did the profile's token change?";
	}

	const secret = refusedSecret(connection.error ?? '');
	return `${interactive ? 'r retries now; ' : ''}fix: pass --${secret}\nor set OPENCLAW_GATEWAY_${secret.toUpperCase()}`;
}

export type ConsoleLinkMode = 'local' | 'attach' | 'ssh';

export function describeConnection(connection: ConnectionState, tunnel: TunnelState | undefined, now: number, mode: ConsoleLinkMode = 'attach', interactive = true): StatusLine {
	if (tunnel && tunnel.status !== 'open') {
		const retry = tunnel.retryAt ? `, reopening in ${secondsUntil(tunnel.retryAt, now)} s` : '';
		const text =
			tunnel.status === 'opening' || tunnel.status === 'reopening'
				? `tunnel ${tunnel.status} (${tunnel.target})`
				: `tunnel ${tunnel.status} (${tunnel.target})${retry}`;
		return {text, tone: tunnel.status === 'failed' ? 'error' : 'warn', hint: tunnel.error};
	}

	switch (connection.status) {
		case 'connected':
			return {text: 'connected', tone: 'ok'};
		case 'connecting':
			return {text: 'connecting', tone: 'warn'};
		case 'reconnecting':
			return {
				text: connection.retryAt ? `reconnecting in ${secondsUntil(connection.retryAt, now)} s` : 'reconnecting',
				tone: 'warn',
				hint: connection.error,
			};
		case 'auth-failed':
			return {
				text: connection.retryAt === undefined ? 'auth failed' : `auth failed, retrying in ${secondsUntil(connection.retryAt, now)} s`,
				tone: 'error',
				hint: authHint(connection, mode, interactive),
			};
		case 'closed':
			return {text: 'disconnected', tone: 'error', hint: connection.error};
		default:
			return {text: 'not connected', tone: 'muted'};
	}
}

/** Whether a countdown is on screen (then, and only then, the console ticks a clock). */
export function hasCountdown(connection: ConnectionState, tunnel: TunnelState | undefined): boolean {
	return connection.retryAt !== undefined || tunnel?.retryAt !== undefined;
}
