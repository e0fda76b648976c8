// Slack Socket Mode: events over a WebSocket the app opens itself (no public URL). `apps.connections.open` with the
// app-level token (`xapp-...`) names the socket; every envelope is acknowledged with its `envelope_id` at once (Slack
// redelivers what is not acknowledged), its `events_api` payload handed on; a `disconnect` message, a dropped socket
// or a failed open reconnects after a backoff, except an open refused for the token (invalid_auth...), which stops.
import type {Logger} from '../logger.js';
import {bodyField, joinUrl, probeRequest} from './http-probe.js';
import type {ReceiveHealth} from './receive-health.js';
import {reconnectingSocket, RefusedForGood} from './reconnecting-socket.js';

const requestTimeoutMs = 15_000;

/** apps.connections.open errors that say the app token itself is refused: retrying them only repeats the refusal. */
const tokenRefusals = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

export type SlackSocketModeOptions = {
	appToken: string;
	baseUrl: string;
	logger: Logger;
	/** Where the socket reports a failure it retries, the session being up, and giving up for good. */
	health: ReceiveHealth;
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
			const slackError = bodyField(response.body, 'error');
			if (typeof slackError === 'string' && tokenRefusals.has(slackError)) {
				throw new RefusedForGood(
					`Slack refused the app token (apps.connections.open: ${slackError}): fix channels.slack.appToken (an xapp-... token with connections:write), then restart the channel`,
				);
			}

			if (response.status !== 200 || bodyField(response.body, 'ok') !== true || typeof found !== 'string') {
				throw new Error(`Slack apps.connections.open failed: HTTP ${response.status} ${String(bodyField(response.body, 'error') ?? '')}`.trim());
			}

			return found;
		},
		onRetry(why) {
			options.health.retrying(`slack socket mode reconnecting: ${why}`);
		},
		onGiveUp(why) {
			options.health.giveUp(why);
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
					options.health.up();
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
