// Pure parts of channels: secret masking, which channels a config change touches, how a transport's way in is doing
// (ReceiveHealth), which Telegram failures stop receiving, and the Telegram retry wait.
import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
import {describe, test} from 'node:test';
import {maskSecrets} from '../gateway/channels/http-probe.js';
import {affectedChannels} from '../gateway/channels/manager.js';
import {ReceiveHealth} from '../gateway/channels/receive-health.js';
import {backoffPause, isBotApiError, telegramFailureText, telegramRefusal} from '../gateway/channels/telegram-transport.js';

describe('maskSecrets', () => {
	test('masks every occurrence, raw and URL-encoded, and ignores too-short strings', () => {
		const token = '123:ab/cd+ef';
		const text = `GET https://api.telegram.org/bot${token}/getMe and ${encodeURIComponent(token)} again ${token}`;
		const masked = maskSecrets(text, [token]);
		assert.ok(!masked.includes(token));
		assert.ok(!masked.includes(encodeURIComponent(token)));
		assert.equal(masked.split('***').length, 4);
		assert.equal(maskSecrets('the bot said', ['bot']), 'the bot said');
	});
});

describe('affectedChannels', () => {
	test('maps changed config paths to the channels they belong to', () => {
		assert.deepEqual([...affectedChannels(['channels.telegram.botToken', 'gateway.port'])], ['telegram']);
		assert.deepEqual([...affectedChannels(['channels.slack', 'channels.discord.enabled'])].sort(), ['discord', 'slack']);
		assert.deepEqual([...affectedChannels(['channels'])].sort(), ['discord', 'slack', 'telegram', 'webhook']);
		assert.deepEqual([...affectedChannels(['channels.telegramx.botToken', 'logging.level'])], []);
		// Who may talk and how fast are read at every message: no reconnect for them.
		assert.deepEqual([...affectedChannels(['channels.discord.allowFrom', 'channels.discord.rateLimit.burst', 'channels.telegram.dmPolicy'])], []);
		assert.deepEqual([...affectedChannels(['channels.discord.allowFrom', 'channels.discord.botToken'])], ['discord']);
		assert.deepEqual([...affectedChannels(['channels.discord.rateLimitx'])], ['discord']);
	});
});

describe('ReceiveHealth', () => {
	test('a retried failure is the lastError until the way in is up again; giving up sticks, is told once, and ends at the next begin', () => {
		const told: string[] = [];
		const health = new ReceiveHealth();
		health.begin((reason) => told.push(reason));
		assert.equal(health.lastError, undefined);
		health.retrying('socket closed (1006)');
		assert.equal(health.lastError, 'socket closed (1006)');
		assert.equal(health.gaveUp, false);
		health.up();
		assert.equal(health.lastError, undefined);
		health.giveUp('token refused: fix it');
		health.giveUp('a second report');
		health.retrying('a late retry');
		health.up();
		assert.deepEqual(told, ['token refused: fix it']);
		assert.equal(health.lastError, 'token refused: fix it');
		health.end();
		assert.equal(health.lastError, 'token refused: fix it', 'an operator stop keeps why it had stopped');
		health.begin();
		assert.equal(health.lastError, undefined);
		assert.equal(health.gaveUp, false);
	});

	test('an operator stop ends a failure being retried and forgets who to tell', () => {
		const told: string[] = [];
		const health = new ReceiveHealth();
		health.begin((reason) => told.push(reason));
		health.retrying('socket closed (1006)');
		health.end();
		assert.equal(health.lastError, undefined);
		health.giveUp('after the stop');
		assert.deepEqual(told, []);
	});
});

describe('telegramFailureText', () => {
	test('a 404 that is not the Bot API\'s own answer names apiBaseUrl; the Bot API\'s answers are given as they are', () => {
		const base = 'http://127.0.0.1:8081/tg';
		assert.equal(
			telegramFailureText('getUpdates', {status: 404, fromBotApi: false}, base),
			`Telegram getUpdates answered HTTP 404 (not the Bot API's own answer: check channels.telegram.apiBaseUrl, now ${base})`,
		);
		assert.equal(telegramFailureText('getUpdates', {status: 404, description: 'Not Found', fromBotApi: true}, base), 'Telegram getUpdates answered HTTP 404: Not Found');
		assert.equal(telegramFailureText('setWebhook', {status: 502, description: 'Bad Gateway', fromBotApi: true}, base), 'Telegram setWebhook answered HTTP 502: Bad Gateway');
		assert.doesNotMatch(telegramFailureText('getUpdates', {status: 404, fromBotApi: false}, 'http://ops:hunter2@127.0.0.1:8081/tg'), /hunter2/, 'credentials in the setting are masked');
	});
});

describe('telegramRefusal (Telegram getUpdates and setWebhook)', () => {
	const botApi = (status: number, description?: string) => ({status, description, fromBotApi: true});

	test('401 stops with channels.telegram.botToken named; 409 stops polling; other statuses are retried', () => {
		assert.match(telegramRefusal('getUpdates', botApi(401, 'Unauthorized')) ?? '', /getUpdates answered HTTP 401.*fix channels\.telegram\.botToken/);
		assert.match(telegramRefusal('setWebhook', botApi(401, 'Unauthorized')) ?? '', /setWebhook answered HTTP 401.*fix channels\.telegram\.botToken/);
		assert.match(telegramRefusal('getUpdates', botApi(409, 'Conflict: terminated by other getUpdates request')) ?? '', /HTTP 409 Conflict: terminated by other getUpdates request\): another process/);
		for (const status of [400, 429, 500, 502]) {
			assert.equal(telegramRefusal('getUpdates', botApi(status)), undefined, String(status));
			assert.equal(telegramRefusal('setWebhook', botApi(status)), undefined, String(status));
		}
	});

	test("the Bot API's own 404 means the token is not a bot token: stop, naming the form BotFather gives", () => {
		for (const method of ['getUpdates', 'setWebhook'] as const) {
			const refusal = telegramRefusal(method, botApi(404, 'Not Found')) ?? '';
			assert.match(refusal, new RegExp(`${method} answered HTTP 404`));
			assert.match(refusal, /channels\.telegram\.botToken/);
			assert.match(refusal, /BotFather/);
			assert.match(refusal, /<digits>:<secret>/);
		}
	});

	test("a 404 that is not the Bot API's (a proxy, a wrong apiBaseUrl path) is retried", () => {
		assert.equal(telegramRefusal('getUpdates', {status: 404, fromBotApi: false}), undefined);
		assert.equal(telegramRefusal('setWebhook', {status: 404, description: 'Not Found', fromBotApi: false}), undefined);
	});

	test("isBotApiError knows the Bot API's error body from other answers", () => {
		assert.equal(isBotApiError(404, {ok: false, error_code: 404, description: 'Not Found'}), true);
		assert.equal(isBotApiError(404, {error: 'no such endpoint'}), false);
		assert.equal(isBotApiError(404, '<html>404 Not Found</html>'), false);
		assert.equal(isBotApiError(404, {ok: false, error_code: 401}), false);
		assert.equal(isBotApiError(200, {ok: true, result: []}), false);
	});
});

describe('backoffPause (the Telegram retry wait)', () => {
	test('waits on one signal leave no abort listener behind', async () => {
		const stopper = new AbortController();
		for (let wait = 0; wait < 12; wait++) {
			await backoffPause(1, stopper.signal);
		}

		assert.equal(getEventListeners(stopper.signal, 'abort').length, 0);
	});
});
