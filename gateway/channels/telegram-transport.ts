// Telegram Bot API messages. Long polling by default: `getUpdates` with the last offset (kept in the state dir, so
// a restart neither loses nor repeats an update) and a server-side wait of `pollTimeoutSeconds`. With
// `channels.telegram.webhookUrl`, webhook mode instead: `setWebhook` with `secret_token` = `webhookSecret`, and
// updates POSTed to `webhookPath` (default /telegram-webhook) on the gateway's port are taken only with that secret
// in `X-Telegram-Bot-Api-Secret-Token` (a missing or wrong one gets 401, logged without it). Answers go out with
// `sendMessage`. A failed getUpdates or setWebhook is retried after a backoff (shown as the account's lastError
// meanwhile), except the refusals `telegramRefusal` names (a refused or malformed token; another poller), which stop
// the channel until it is started again: retrying cannot fix them. Direct (private) chats only; group chats are not
// routed yet.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type http from 'node:http';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import {sendJson} from '../http.js';
import type {Logger} from '../logger.js';
import {HttpError, readBody} from '../http-routes/body.js';
import {bodyField, joinUrl, probeRequest} from './http-probe.js';
import type {ChannelTransport, Deliver, InboundMessage} from './inbound.js';
import type {ChannelSection} from './service-probe.js';
import {ReceiveHealth} from './receive-health.js';
import {ReplayCache, signaturesEqual} from './signatures.js';
import {telegramDefaultBaseUrl} from './telegram.js';
import {redactUrlCredentials} from '../methods/config-redact.js';

export const telegramSecretHeader = 'x-telegram-bot-api-secret-token';
export const telegramDefaultWebhookPath = '/telegram-webhook';
const defaultPollTimeoutSeconds = 25;
const maxBodyBytes = 1024 * 1024;
const sendTimeoutMs = 15_000;
/** A redelivered update (Telegram retries until it gets a 2xx) is recognised for this long. */
const seenUpdateMs = 24 * 60 * 60 * 1000;
const maxBackoffMs = 30_000;
const nextBackoffMs = (ms: number) => Math.min(ms * 2, maxBackoffMs);

class TelegramApiError extends Error {
	constructor(
		message: string,
		readonly failure: TelegramFailure,
	) {
		super(message);
	}
}

/** A Bot API call's failed answer: its HTTP status, Telegram's description, and whether the body is the Bot API's own error. */
export type TelegramFailure = {status: number; description?: string; fromBotApi: boolean};

/** Whether `body` is the Bot API's error for `status` (`{"ok":false,"error_code":<status>,...}`), not a proxy's or a web server's. */
export function isBotApiError(status: number, body: unknown): boolean {
	return bodyField(body, 'ok') === false && bodyField(body, 'error_code') === status;
}

/**
 * What a failed Bot API call says. A 404 that is not the Bot API's own answer came from whatever `apiBaseUrl` names
 * (a proxy, a wrong path): retried, as it may be a proxy's blip, but named, so the operator looks at the setting.
 */
export function telegramFailureText(method: string, failure: TelegramFailure, apiBaseUrl: string): string {
	const answer = `Telegram ${method} answered HTTP ${failure.status}${failure.description ? `: ${failure.description}` : ''}`;
	// The setting is shown as `config.get` shows it to a reader: credentials in it masked (this text is lastError).
	return failure.status === 404 && !failure.fromBotApi
		? `${answer} (not the Bot API's own answer: check channels.telegram.apiBaseUrl, now ${redactUrlCredentials(apiBaseUrl)})`
		: answer;
}

/** Why receiving stops for good after `method` failed this way, or undefined when a retry may work. */
export function telegramRefusal(method: 'getUpdates' | 'setWebhook', failure: TelegramFailure): string | undefined {
	if (failure.status === 401) {
		return `Telegram refused the bot token (${method} answered HTTP 401 Unauthorized): fix channels.telegram.botToken, then restart the channel`;
	}

	// The token is part of the method's path (/bot<token>/<method>), and the Bot API answers 404 for a token that is not
	// of a bot token's form (our method names are fixed, so not for an unknown method). Only the Bot API's own 404 (its
	// JSON error body) says that: apiBaseUrl may name a proxy or a wrong path, whose plain 404 is no fault of the token
	// and stays a retried failure. Redirects are not followed (probeRequest), so the answer is from apiBaseUrl's host.
	if (failure.status === 404 && failure.fromBotApi) {
		return `Telegram does not know this bot token (${method} answered HTTP 404 Not Found): set channels.telegram.botToken to the token BotFather gave, of the form <digits>:<secret>, then restart the channel`;
	}

	if (failure.status === 409 && method === 'getUpdates') {
		// Telegram's description begins "Conflict: ...", the status' own name.
		return `Telegram refused getUpdates (HTTP 409 ${failure.description ?? 'Conflict'}): another process is polling this bot, or a webhook was set; stop the other one, then restart the channel`;
	}

	return undefined;
}

/**
 * Resolves after `ms`, or at once when `signal` aborts. Its abort listener goes either way: one signal lasts the whole
 * run, and a listener left per retry would pile up (Node warns past 10) during a long outage.
 */
export function backoffPause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};

		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, {once: true});
	});
}

type Update = {update_id?: unknown; message?: {message_id?: unknown; text?: unknown; chat?: {id?: unknown; type?: unknown}; from?: {id?: unknown; username?: unknown; is_bot?: unknown}}};

/** The direct message an update carries, if it carries one we route. */
export function telegramMessage(update: Update): InboundMessage | undefined {
	const message = update.message;
	const fromId = message?.from?.id;
	const chatId = message?.chat?.id;
	if (typeof message?.text !== 'string' || !message.text.trim() || message.chat?.type !== 'private' || message.from?.is_bot === true) {
		return undefined;
	}

	if ((typeof fromId !== 'number' && typeof fromId !== 'string') || (typeof chatId !== 'number' && typeof chatId !== 'string')) {
		return undefined;
	}

	const username = typeof message.from?.username === 'string' ? [`@${message.from.username}`] : [];
	return {channel: 'telegram', peerId: String(fromId), peerAliases: username, replyTo: String(chatId), text: message.text, messageId: String(update.update_id)};
}

export function telegramTransport(section: ChannelSection, logger: Logger, context: {stateDir?: string}): ChannelTransport {
	const token = section.botToken!;
	const base = section.apiBaseUrl ?? telegramDefaultBaseUrl;
	const api = (method: string) => joinUrl(base, `bot${token}/${method}`);
	const webhookUrl = typeof section.webhookUrl === 'string' ? section.webhookUrl : undefined;
	const webhookSecret = typeof section.webhookSecret === 'string' && section.webhookSecret ? section.webhookSecret : undefined;
	const pollTimeoutSeconds = typeof section.pollTimeoutSeconds === 'number' ? section.pollTimeoutSeconds : defaultPollTimeoutSeconds;
	const secrets = [token, webhookSecret ?? ''].filter((value) => value.length > 3);
	const offsetPath = context.stateDir ? path.join(context.stateDir, 'telegram', 'update-offset-default.json') : undefined;
	const seen = new ReplayCache();
	let deliver: Deliver | undefined;
	let stopper: AbortController | undefined;
	const health = new ReceiveHealth();

	async function call(method: string, body: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
		const response = await probeRequest({url: api(method), method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body), timeoutMs, secrets, signal});
		if (response.status !== 200 || bodyField(response.body, 'ok') !== true) {
			const found = bodyField(response.body, 'description');
			const description = typeof found === 'string' ? found.slice(0, 200) : undefined;
			const failure = {status: response.status, description, fromBotApi: isBotApiError(response.status, response.body)};
			throw new TelegramApiError(telegramFailureText(method, failure, base), failure);
		}

		return bodyField(response.body, 'result');
	}

	function take(update: Update): void {
		const message = telegramMessage(update);
		if (!message) {
			logger.debug('telegram update not routed (not a private text message)', {channel: 'telegram', updateId: update.update_id});
			return;
		}

		if (!seen.remember(`update:${message.messageId}`, Date.now() + seenUpdateMs, Date.now())) {
			logger.debug('telegram update seen before, ignored', {channel: 'telegram', updateId: update.update_id});
			return;
		}

		deliver?.(message);
	}

	async function readOffset(): Promise<number | undefined> {
		try {
			const parsed = JSON.parse(await readFile(offsetPath!, 'utf8')) as {offset?: unknown};
			return typeof parsed.offset === 'number' ? parsed.offset : undefined;
		} catch {
			return undefined;
		}
	}

	async function pollLoop(signal: AbortSignal): Promise<void> {
		// Telegram refuses getUpdates (409) while a webhook is set, e.g. after switching from webhook mode.
		await call('deleteWebhook', {drop_pending_updates: false}, sendTimeoutMs, signal).catch((error: unknown) => {
			logger.debug('telegram deleteWebhook failed', {channel: 'telegram', error: (error as Error).message});
		});
		let offset = offsetPath ? await readOffset() : undefined;
		let backoffMs = 1000;
		while (!signal.aborted) {
			try {
				const result = await call('getUpdates', {...(offset === undefined ? {} : {offset}), timeout: pollTimeoutSeconds, allowed_updates: ['message']}, (pollTimeoutSeconds + 10) * 1000, signal);
				backoffMs = 1000;
				health.up();
				const updates = Array.isArray(result) ? (result as Update[]) : [];
				for (const update of updates) {
					if (typeof update.update_id === 'number') {
						offset = Math.max(offset ?? 0, update.update_id + 1);
					}

					take(update);
				}

				if (updates.length > 0 && offsetPath && offset !== undefined) {
					await writeFileAtomic(offsetPath, `${JSON.stringify({version: 1, offset})}\n`);
				}
			} catch (error) {
				if ((await afterFailure('getUpdates', error, backoffMs, signal)) === 'stop') {
					return;
				}

				backoffMs = nextBackoffMs(backoffMs);
			}
		}
	}

	/** Registers the webhook, retrying failures that may pass, until it is set, refused for good, or the channel stops. */
	async function setWebhookLoop(signal: AbortSignal): Promise<void> {
		let backoffMs = 1000;
		while (!signal.aborted) {
			try {
				await call('setWebhook', {url: webhookUrl, secret_token: webhookSecret, allowed_updates: ['message']}, sendTimeoutMs, signal);
				health.up();
				return;
			} catch (error) {
				if ((await afterFailure('setWebhook', error, backoffMs, signal)) === 'stop') {
					return;
				}

				backoffMs = nextBackoffMs(backoffMs);
			}
		}
	}

	/** Reports a failed `method` call: gives up for a refusal, else shows the failure and waits out the backoff. */
	async function afterFailure(method: 'getUpdates' | 'setWebhook', error: unknown, backoffMs: number, signal: AbortSignal): Promise<'stop' | 'retry'> {
		if (signal.aborted) {
			return 'stop';
		}

		const refusal = error instanceof TelegramApiError ? telegramRefusal(method, error.failure) : undefined;
		if (refusal) {
			health.giveUp(refusal);
			return 'stop';
		}

		const message = (error as Error).message;
		logger.warn(`telegram ${method} failed`, {channel: 'telegram', error: message, retryInMs: backoffMs});
		health.retrying(`telegram ${method} failing, retrying: ${message}`);
		await backoffPause(backoffMs, signal);
		return signal.aborted ? 'stop' : 'retry';
	}

	return {
		mode: webhookUrl ? 'webhook' : 'polling',
		inboundPath: webhookUrl ? (typeof section.webhookPath === 'string' ? section.webhookPath : telegramDefaultWebhookPath) : undefined,
		inboundProblem: webhookUrl && !webhookSecret ? 'webhook mode needs channels.telegram.webhookSecret: updates are refused until it is set' : undefined,
		get lastError() {
			return health.lastError;
		},
		start(next, gaveUp) {
			deliver = next;
			health.begin(gaveUp);
			stopper = new AbortController();
			if (!webhookUrl) {
				void pollLoop(stopper.signal);
				return;
			}

			if (webhookSecret) {
				void setWebhookLoop(stopper.signal);
			}
		},
		stop() {
			deliver = undefined;
			health.end();
			stopper?.abort();
			stopper = undefined;
		},
		async handleHttp(request: http.IncomingMessage, response: http.ServerResponse) {
			const given = request.headers[telegramSecretHeader];
			if (!webhookSecret || typeof given !== 'string' || !signaturesEqual(given, webhookSecret)) {
				logger.warn('telegram webhook request refused', {channel: 'telegram', reason: given === undefined ? 'missing-secret-token' : 'bad-secret-token', ip: request.socket.remoteAddress});
				sendJson(response, 401, {ok: false, error: 'Unauthorized'});
				return;
			}

			if (request.method !== 'POST') {
				sendJson(response, 405, {ok: false, error: 'Method Not Allowed'}, {Allow: 'POST'});
				return;
			}

			let update: Update;
			try {
				update = JSON.parse((await readBody(request, maxBodyBytes)).toString('utf8')) as Update;
			} catch (error) {
				sendJson(response, error instanceof HttpError ? error.status : 400, {ok: false, error: 'body must be a Telegram Update (JSON)'});
				return;
			}

			if (update && typeof update === 'object') {
				take(update);
			}

			sendJson(response, 200, {ok: true});
		},
		async send(replyTo, text) {
			await call('sendMessage', {chat_id: /^-?\d+$/.test(replyTo) ? Number(replyTo) : replyTo, text}, sendTimeoutMs);
		},
	};
}
