// Slack Socket Mode: events over a WebSocket the app opens itself (no public URL). `apps.connections.open` with the
// app-level token (`xapp-...`) names the socket; every envelope is acknowledged with its `envelope_id` at once (Slack
// redelivers what is not acknowledged), its `events_api` payload handed on; a `disconnect` message, a dropped socket
// or a failed open reconnects after a backoff.
import type {Logger} from '../logger.js';
import {bodyField, joinUrl, probeRequest} from './http-probe.js';
import {reconnectingSocket} from './reconnecting-socket.js';

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
	const connection = reconnectingSocket({
		channel: 'slack',
		label: 'slack socket mode',
		logger: options.logger,
		secrets,
		async resolveUrl() {
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

			return found;
		},
		attach(ws) {
			ws.on('message', (data) => {
				let message: Record<string, unknown>;
				try {
					message = JSON.parse(data.toString()) as Record<string, unknown>;
				} catch {
					return;
				}

				if (message.type === 'hello') {
					connection.connected();
					options.logger.info('slack socket mode connected', {channel: 'slack'});
					return;
				}

				if (message.type === 'disconnect') {
					connection.reconnectLater(`disconnect requested (${String(message.reason ?? 'no reason')})`);
					return;
				}

				if (typeof message.envelope_id === 'string') {
					ws.send(JSON.stringify({envelope_id: message.envelope_id}));
				}

				if (message.type === 'events_api' && message.payload && typeof message.payload === 'object') {
					options.onEventsApi(message.payload as Record<string, unknown>);
				}
			});
		},
	});

	return {
		start() {
			connection.start();
		},
		stop() {
			connection.stop();
		},
	};
}
