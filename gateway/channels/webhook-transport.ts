// The generic webhook channel. Inbound: `POST <channels.webhook.path>` (default /channels/webhook) with a JSON body
// `{from, text, id?}`, signed with `channels.webhook.secret`: `X-OpenClaw-Timestamp: <unix seconds>` and
// `X-OpenClaw-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. A request outside the replay
// window, with a wrong signature, or a signature already seen is refused 401. Outbound: the answer is POSTed as JSON
// `{to, text}` to `channels.webhook.url`, signed the same way so the receiver can check it is us.
import type http from 'node:http';
import {sendJson} from '../http.js';
import type {Logger} from '../logger.js';
import {HttpError, readBody} from '../http-routes/body.js';
import {probeRequest} from './http-probe.js';
import type {ChannelTransport, Deliver} from './inbound.js';
import {defaultReplayWindowSeconds, hmacSha256Hex, ReplayCache, verifySignedRequest} from './signatures.js';
import type {ChannelSection} from './service-probe.js';

export const webhookDefaultPath = '/channels/webhook';
export const webhookSignatureHeader = 'x-openclaw-signature';
export const webhookTimestampHeader = 'x-openclaw-timestamp';
const maxBodyBytes = 256 * 1024;
const sendTimeoutMs = 10_000;

/** The two headers that sign `body` at `timestamp` (unix seconds) under `secret`. */
export function webhookSignatureHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
	return {
		[webhookTimestampHeader]: String(timestamp),
		[webhookSignatureHeader]: `sha256=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`,
	};
}

function header(request: http.IncomingMessage, name: string): string | undefined {
	const value = request.headers[name];
	return typeof value === 'string' ? value : undefined;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return String(value);
	}

	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function webhookTransport(section: ChannelSection, logger: Logger): ChannelTransport {
	const secret = typeof section.secret === 'string' && section.secret ? section.secret : undefined;
	const url = section.url;
	const windowSeconds = typeof section.replayWindowSeconds === 'number' ? section.replayWindowSeconds : defaultReplayWindowSeconds;
	const replays = new ReplayCache();
	const secrets = [url ?? '', secret ?? ''].filter((value) => value.length > 3);
	let deliver: Deliver | undefined;
	let sequence = 0;
	return {
		mode: 'webhook',
		inboundPath: typeof section.path === 'string' && section.path.startsWith('/') ? section.path : webhookDefaultPath,
		inboundProblem: secret ? undefined : 'inbound disabled: set channels.webhook.secret',
		start(next) {
			deliver = next;
		},
		stop() {
			deliver = undefined;
		},
		async handleHttp(request, response) {
			if (!secret || !deliver) {
				sendJson(response, 404, {ok: false, error: 'webhook channel is not receiving'});
				return;
			}

			if (request.method !== 'POST') {
				sendJson(response, 405, {ok: false, error: 'Method Not Allowed: POST a signed JSON body'}, {Allow: 'POST'});
				return;
			}

			let raw: Buffer;
			try {
				raw = await readBody(request, maxBodyBytes);
			} catch (error) {
				const status = error instanceof HttpError ? error.status : 400;
				sendJson(response, status, {ok: false, error: (error as Error).message});
				return;
			}

			const verdict = verifySignedRequest({
				timestamp: header(request, webhookTimestampHeader),
				signature: header(request, webhookSignatureHeader),
				signedText: (timestamp) => `${timestamp}.${raw.toString('utf8')}`,
				prefix: 'sha256=',
				secret,
				windowSeconds,
				replays,
			});
			if (!verdict.ok) {
				// The reason and the source only: never the body, the signature or the secret.
				logger.warn('webhook channel request refused', {channel: 'webhook', reason: verdict.reason, ip: request.socket.remoteAddress});
				sendJson(response, 401, {ok: false, error: 'Unauthorized'});
				return;
			}

			let body: Record<string, unknown>;
			try {
				const parsed: unknown = JSON.parse(raw.toString('utf8'));
				if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
					throw new Error('not an object');
				}

				body = parsed as Record<string, unknown>;
			} catch {
				sendJson(response, 400, {ok: false, error: 'body must be a JSON object {from, text, id?}'});
				return;
			}

			const from = text(body.from);
			const message = typeof body.text === 'string' ? body.text : undefined;
			if (!from || !message?.trim()) {
				sendJson(response, 400, {ok: false, error: '`from` and `text` are required strings'});
				return;
			}

			const messageId = text(body.id) ?? `${Date.now()}-${++sequence}`;
			deliver({channel: 'webhook', peerId: from, replyTo: from, text: message, messageId});
			sendJson(response, 202, {ok: true, accepted: true, id: messageId});
		},
		async send(replyTo, answer) {
			if (!url) {
				throw new Error('no reply target: set channels.webhook.url');
			}

			const body = JSON.stringify({to: replyTo, text: answer});
			const {status} = await probeRequest({
				url,
				method: 'POST',
				headers: {'Content-Type': 'application/json', ...(secret ? webhookSignatureHeaders(secret, body) : {})},
				body,
				timeoutMs: sendTimeoutMs,
				secrets,
			});
			if (status >= 400) {
				throw new Error(`webhook reply answered HTTP ${status}`);
			}
		},
	};
}
