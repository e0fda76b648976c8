// Slack, two ways in as OpenClaw has them (`channels.slack.mode`): Socket Mode (the default when an `appToken` is
// set; slack-socket-mode.ts) or the Events API over HTTP (`mode: "http"`, or no app token). Slack POSTs events to `channels.slack.webhookPath` (default /slack/events) on the
// gateway's port, signed with the app's signing secret: `X-Slack-Signature: v0=<hex HMAC-SHA256(signingSecret,
// "v0:<X-Slack-Request-Timestamp>:<raw body>")>`. A request more than 5 minutes off, with a wrong signature, or a
// signature already seen is refused 401 and logged without the secret or the body. `url_verification` is answered
// with its challenge; direct messages (`message` events in an `im`) are routed, and answers go out with
// `chat.postMessage`. Slack retries an event it got no 2xx for: a retried event id is acknowledged, not run again.
import type http from 'node:http';
import {sendJson} from '../http.js';
import type {Logger} from '../logger.js';
import {HttpError, readBody} from '../http-routes/body.js';
import {bodyField, joinUrl, probeRequest} from './http-probe.js';
import type {ChannelTransport, Deliver} from './inbound.js';
import type {ChannelSection} from './service-probe.js';
import {ReplayCache, verifySignedRequest} from './signatures.js';
import {slackDefaultBaseUrl} from './slack.js';
import {slackSocketMode} from './slack-socket-mode.js';
import {ReceiveHealth} from './receive-health.js';

export const slackDefaultEventsPath = '/slack/events';
const slackReplayWindowSeconds = 300;
const maxBodyBytes = 1024 * 1024;
const sendTimeoutMs = 15_000;
const seenEventMs = 60 * 60 * 1000;

function header(request: http.IncomingMessage, name: string): string | undefined {
	const value = request.headers[name];
	return typeof value === 'string' ? value : undefined;
}

type SlackEvent = {type?: unknown; subtype?: unknown; bot_id?: unknown; channel_type?: unknown; user?: unknown; text?: unknown; channel?: unknown};

export function slackTransport(section: ChannelSection, logger: Logger): ChannelTransport {
	const token = section.botToken!;
	const base = section.apiBaseUrl ?? slackDefaultBaseUrl;
	const signingSecret = typeof section.signingSecret === 'string' && section.signingSecret ? section.signingSecret : undefined;
	const secrets = [token, signingSecret ?? ''].filter((value) => value.length > 3);
	const signatures = new ReplayCache();
	const events = new ReplayCache();
	const appToken = typeof section.appToken === 'string' && section.appToken ? section.appToken : undefined;
	const socketMode = section.mode === 'socket' || (section.mode !== 'http' && appToken !== undefined);
	let deliver: Deliver | undefined;
	const health = new ReceiveHealth();

	/** One Events API payload, from either way in: retried event ids run once; only DMs from users are routed. */
	function take(body: Record<string, unknown>): void {
		const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
		const event = (body.event ?? {}) as SlackEvent;
		if (body.type !== 'event_callback' || !eventId || !events.remember(eventId, Date.now() + seenEventMs, Date.now())) {
			return;
		}

		const direct = event.type === 'message' && event.channel_type === 'im' && event.subtype === undefined && event.bot_id === undefined;
		if (!direct || typeof event.user !== 'string' || typeof event.channel !== 'string' || typeof event.text !== 'string' || !event.text.trim()) {
			logger.debug('slack event not routed (not a direct message from a user)', {channel: 'slack', eventId});
			return;
		}

		deliver?.({channel: 'slack', peerId: event.user, replyTo: event.channel, text: event.text, messageId: eventId});
	}

	const socket = socketMode && appToken ? slackSocketMode({appToken, baseUrl: base, logger, health, onEventsApi: take}) : undefined;
	return {
		mode: socketMode ? 'socket' : 'webhook',
		inboundPath: socketMode ? undefined : typeof section.webhookPath === 'string' ? section.webhookPath : slackDefaultEventsPath,
		inboundProblem: socketMode
			? appToken
				? undefined
				: 'socket mode needs channels.slack.appToken (xapp-...)'
			: signingSecret
				? undefined
				: 'Events API disabled: set channels.slack.signingSecret',
		get lastError() {
			return health.lastError;
		},
		start(next, gaveUp) {
			deliver = next;
			health.begin(gaveUp);
			socket?.start();
		},
		stop() {
			deliver = undefined;
			health.end();
			socket?.stop();
		},
		async handleHttp(request, response) {
			if (!signingSecret || !deliver) {
				sendJson(response, 404, {ok: false, error: 'slack events are not received here'});
				return;
			}

			if (request.method !== 'POST') {
				sendJson(response, 405, {ok: false, error: 'Method Not Allowed'}, {Allow: 'POST'});
				return;
			}

			let raw: string;
			try {
				raw = (await readBody(request, maxBodyBytes)).toString('utf8');
			} catch (error) {
				sendJson(response, error instanceof HttpError ? error.status : 400, {ok: false, error: (error as Error).message});
				return;
			}

			const verdict = verifySignedRequest({
				timestamp: header(request, 'x-slack-request-timestamp'),
				signature: header(request, 'x-slack-signature'),
				signedText: (timestamp) => `v0:${timestamp}:${raw}`,
				prefix: 'v0=',
				secret: signingSecret,
				windowSeconds: slackReplayWindowSeconds,
				replays: signatures,
			});
			if (!verdict.ok) {
				logger.warn('slack events request refused', {channel: 'slack', reason: verdict.reason, ip: request.socket.remoteAddress});
				sendJson(response, 401, {ok: false, error: 'Unauthorized'});
				return;
			}

			let body: Record<string, unknown>;
			try {
				body = JSON.parse(raw) as Record<string, unknown>;
			} catch {
				sendJson(response, 400, {ok: false, error: 'body must be a JSON Events API payload'});
				return;
			}

			if (body?.type === 'url_verification' && typeof body.challenge === 'string') {
				sendJson(response, 200, {challenge: body.challenge});
				return;
			}

			sendJson(response, 200, {ok: true});
			if (body && typeof body === 'object') {
				take(body);
			}
		},
		async send(replyTo, text) {
			const response = await probeRequest({
				url: joinUrl(base, 'chat.postMessage'),
				method: 'POST',
				headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8'},
				body: JSON.stringify({channel: replyTo, text}),
				timeoutMs: sendTimeoutMs,
				secrets,
			});
			if (response.status !== 200 || bodyField(response.body, 'ok') !== true) {
				throw new Error(`Slack chat.postMessage failed: HTTP ${response.status} ${String(bodyField(response.body, 'error') ?? '')}`.trim());
			}
		},
	};
}
