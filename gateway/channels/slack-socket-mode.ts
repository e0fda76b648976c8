// Slack Socket Mode: events over a WebSocket the app opens itself (no public URL). `apps.connections.open` with the
// app-level token (`xapp-...`) names the socket; every envelope is acknowledged with its `envelope_id` at once (Slack
// redelivers what is not acknowledged), its `events_api` payload handed on; a `disconnect` message, a dropped socket
// or a failed open reconnects after a backoff.
import WebSocket from 'ws';
import type {Logger} from '../logger.js';
import {bodyField, joinUrl, maskSecrets, probeRequest} from './http-probe.js';

const requestTimeoutMs = 15_000;

export type SlackSocketModeOptions = {
	appToken: string;
	baseUrl: string;
	logger: Logger;
	/** An Events API payload (`{type: "event_callback", event_id, event}`) that arrived over the socket. */
	onEventsApi(payload: Record<string, unknown>): void;
};

export function slackSocketMode(options: SlackSocketModeOptions): {start(): void; stop(): void} {
	const secrets = [options.appToken];
	let running = false;
	let socket: WebSocket | undefined;
	let retry: NodeJS.Timeout | undefined;
	let backoffMs = 1000;

	function drop(): void {
		const ws = socket;
		socket = undefined;
		ws?.removeAllListeners();
		ws?.on('error', () => {});
		ws?.terminate();
	}

	function reconnectLater(why: string): void {
		drop();
		clearTimeout(retry);
		if (!running) {
			return;
		}

		options.logger.warn('slack socket mode connection lost; reconnecting', {channel: 'slack', reason: maskSecrets(why, secrets), retryInMs: backoffMs});
		retry = setTimeout(() => void connect(), backoffMs);
		retry.unref();
		backoffMs = Math.min(backoffMs * 2, 60_000);
	}

	async function connect(): Promise<void> {
		let url: string;
		try {
			const response = await probeRequest({
				url: joinUrl(options.baseUrl, 'apps.connections.open'),
				method: 'POST',
				headers: {Authorization: `Bearer ${options.appToken}`, 'Content-Type': 'application/x-www-form-urlencoded'},
				body: '',
				timeoutMs: requestTimeoutMs,
				secrets,
			});
			const found = bodyField(response.body, 'url');
			if (response.status !== 200 || bodyField(response.body, 'ok') !== true || typeof found !== 'string') {
				throw new Error(`Slack apps.connections.open failed: HTTP ${response.status} ${String(bodyField(response.body, 'error') ?? '')}`.trim());
			}

			url = found;
		} catch (error) {
			reconnectLater((error as Error).message);
			return;
		}

		if (!running) {
			return;
		}

		const ws = new WebSocket(url, {maxPayload: 16 * 1024 * 1024});
		socket = ws;
		ws.on('message', (data) => {
			let message: Record<string, unknown>;
			try {
				message = JSON.parse(data.toString()) as Record<string, unknown>;
			} catch {
				return;
			}

			if (message.type === 'hello') {
				backoffMs = 1000;
				options.logger.info('slack socket mode connected', {channel: 'slack'});
				return;
			}

			if (message.type === 'disconnect') {
				reconnectLater(`disconnect requested (${String(message.reason ?? 'no reason')})`);
				return;
			}

			if (typeof message.envelope_id === 'string') {
				ws.send(JSON.stringify({envelope_id: message.envelope_id}));
			}

			if (message.type === 'events_api' && message.payload && typeof message.payload === 'object') {
				options.onEventsApi(message.payload as Record<string, unknown>);
			}
		});
		ws.on('close', (code) => {
			if (socket === ws) {
				reconnectLater(`socket closed (${code})`);
			}
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
			backoffMs = 1000;
			void connect();
		},
		stop() {
			running = false;
			clearTimeout(retry);
			drop();
		},
	};
}
