// The long-lived WebSocket a channel keeps open to its service (Discord's Gateway, Slack's Socket Mode): ask the
// service for the socket URL, open it, and when it drops, fails to open or the service asks for a reconnect, try
// again after a backoff that doubles to a minute and starts over once the service says the session is up; a refusal
// no retry fixes (a revoked token) stops it for good, and the channel is told why. The channel's own protocol
// (identify, heartbeats, acknowledgements) lives in the `attach` it passes in.
import WebSocket from 'ws';
import type {Logger} from '../logger.js';
import {maskSecrets} from './http-probe.js';

const firstBackoffMs = 1000;
const maxBackoffMs = 60_000;

/** Thrown by `resolveUrl` when the service refused in a way no retry fixes: the socket stops, with this message as why. */
export class RefusedForGood extends Error {}

export type ReconnectingSocketOptions = {
	/** The channel id in log fields (`discord`, `slack`). */
	channel: string;
	/** How the log names the connection ("discord gateway", "slack socket mode"). */
	label: string;
	logger: Logger;
	/** Masked out of every reason that is logged. */
	secrets: readonly string[];
	/**
	 * The socket URL, from the service's REST call; throws (with a reason to log) when the service refuses: a
	 * RefusedForGood stops the socket, any other error is retried.
	 */
	resolveUrl(): Promise<string | URL>;
	/** Wires the channel's protocol onto a freshly opened socket. */
	attach(ws: WebSocket): void;
	/** Called whenever the current socket is dropped (to clear the channel's own timers, e.g. heartbeats). */
	onDrop?(): void;
	/**
	 * The service closed the socket with `code`: a reason (with its fix) stays down, as a refused credential would only
	 * be refused again, more slowly; undefined (the default) tries again after the backoff.
	 */
	onServerClose?(code: number): string | undefined;
	/** The socket is down and will be tried again; `why` has the secrets masked. */
	onRetry?(why: string): void;
	/** The socket stopped itself for good (a refusal from `resolveUrl` or `onServerClose`); `why` has the secrets masked. */
	onGiveUp?(why: string): void;
};

export type ReconnectingSocket = {
	start(): void;
	/** Closes for good: `close` sends a close frame with that code; without it the socket is terminated. */
	stop(closeCode?: number): void;
	/**
	 * The service asked for a reconnect (or the channel saw something it cannot recover from in place). `delayMs`
	 * replaces the backoff when the service names its own wait.
	 */
	reconnectLater(why: string, delayMs?: number): void;
	/** The service says the session is up: the next drop retries after the shortest backoff again. */
	connected(): void;
};

export function reconnectingSocket(options: ReconnectingSocketOptions): ReconnectingSocket {
	let running = false;
	let socket: WebSocket | undefined;
	let retry: NodeJS.Timeout | undefined;
	let backoffMs = firstBackoffMs;

	function release(ws: WebSocket | undefined, closeCode?: number): void {
		ws?.removeAllListeners();
		ws?.on('error', () => {}); // a late error from a socket we gave up must not become an unhandled one
		if (closeCode === undefined) {
			ws?.terminate();
		} else {
			ws?.close(closeCode);
		}
	}

	function drop(closeCode?: number): void {
		clearTimeout(retry);
		retry = undefined;
		options.onDrop?.();
		const ws = socket;
		socket = undefined;
		release(ws, closeCode);
	}

	function reconnectLater(why: string, delayMs?: number): void {
		drop();
		if (!running) {
			return;
		}

		const waitMs = delayMs ?? backoffMs;
		const reason = maskSecrets(why, [...options.secrets]);
		options.logger.warn(`${options.label} connection lost; reconnecting`, {channel: options.channel, reason, retryInMs: waitMs});
		options.onRetry?.(reason);
		retry = setTimeout(() => void connect(), waitMs);
		retry.unref();
		if (delayMs === undefined) {
			backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
		}
	}

	function giveUp(why: string): void {
		running = false;
		drop();
		options.onGiveUp?.(maskSecrets(why, [...options.secrets]));
	}

	async function connect(): Promise<void> {
		let url: string | URL;
		try {
			url = await options.resolveUrl();
		} catch (error) {
			if (error instanceof RefusedForGood && running) {
				giveUp(error.message);
			} else {
				reconnectLater((error as Error).message);
			}

			return;
		}

		if (!running) {
			return;
		}

		const ws = new WebSocket(url, {maxPayload: 16 * 1024 * 1024});
		socket = ws;
		options.attach(ws);
		ws.on('close', (code) => {
			if (socket !== ws) {
				return;
			}

			const refusal = options.onServerClose?.(code);
			if (refusal !== undefined) {
				giveUp(refusal);
				return;
			}

			reconnectLater(`socket closed (${code})`);
		});
		ws.on('error', (error) => {
			if (socket === ws) {
				reconnectLater(error.message);
			}
		});
	}

	return {
		start() {
			running = true;
			backoffMs = firstBackoffMs;
			void connect();
		},
		stop(closeCode) {
			running = false;
			drop(closeCode);
		},
		reconnectLater,
		connected() {
			backoffMs = firstBackoffMs;
		},
	};
}
