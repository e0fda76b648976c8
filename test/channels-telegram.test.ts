// The Telegram channel against a loopback fake of the Bot API: long polling (getUpdates, sendMessage, the offset kept
// across restarts), allowFrom by id and @username, and webhook mode with its secret-token header. A getUpdates or
// setWebhook refused for good (401, the Bot API's 404 for a malformed token, 409 for getUpdates) stops the channel,
// shown stopped with the fix until channels.start; other failures are retried, shown running with the failure.
import assert from 'node:assert/strict';
import {after, afterEach, before, describe, test} from 'node:test';
import {ChannelManager} from '../gateway/channels/manager.js';
import {goodToken, malformedTelegramToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, tempDir} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

type Account = {running: boolean; connected: boolean; lastError: string | null; lastProbeAt: number | null};

const managerOf = (started: Started) => started.services.find((service): service is ChannelManager => service instanceof ChannelManager)!;

/** The Telegram account as channels.status shows it once `wanted` holds (bounded: 8 s); health must say the same. */
async function telegramAccountWhen(started: Started, wanted: (account: Account) => boolean): Promise<Account> {
	const manager = managerOf(started);
	const deadline = Date.now() + 8000;
	for (;;) {
		const [account] = (await manager.status()).channelAccounts.telegram as Account[];
		if (wanted(account)) {
			const {running, connected, lastError} = (manager.health({}) as {channels: {telegram: Account}}).channels.telegram;
			assert.deepEqual({running, connected, lastError}, {running: account.running, connected: account.connected, lastError: account.lastError});
			return account;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out; the account is ${JSON.stringify(account)}`);
		}

		await pause(20);
	}
}

describe('the Telegram channel', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	const tgSecret = 'telegram-webhook-secret-token-42';
	const polling = () => ({
		channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, dmPolicy: 'allowlist', allowFrom: [4242, '@friend']}},
	});
	const sentTo = (chatId: number) => apis.telegram.sent.filter((message) => message.chat_id === chatId);

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-tg-');
		started = await startGateway(state.dir, polling());
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('long polling: a message from an allowed user is answered with sendMessage, in its per-channel peer session', async () => {
		apis.telegram.pushMessage(4242, 'hi over telegram');
		const reply = await waitFor('sendMessage', () => sentTo(4242).at(-1));
		assert.deepEqual(reply, {token: goodToken, chat_id: 4242, text: 'hi over telegram'});
		const socket = await authedSocket(started.gw.url, {scopes: ['operator.admin']});
		try {
			const list = await socket.call('sessions.list', {});
			assert.ok(list.payload.sessions.some((row: any) => row.key === 'agent:main:telegram:direct:4242'));
			const status = await socket.call('channels.status', {});
			const [account] = status.payload.channelAccounts.telegram;
			assert.equal(account.mode, 'polling');
			assert.equal(account.dmPolicy, 'allowlist');
			assert.deepEqual(account.allowFrom, ['4242', '@friend']);
			assert.equal(typeof account.lastInboundAt, 'number');
			assert.equal(typeof account.lastOutboundAt, 'number');
		} finally {
			socket.close();
		}
	});

	test('allowFrom matches @usernames too; strangers and group chats get nothing', async () => {
		apis.telegram.pushMessage(777, 'by username', {username: 'Friend'});
		const stranger = apis.telegram.pushMessage(666, 'stranger danger text');
		apis.telegram.pushMessage(4242, 'in a group', {chatType: 'group'});
		await waitFor('the username reply', () => sentTo(777).at(-1));
		// The stranger's update was taken off the queue (confirmed by the next offset) and never answered.
		await waitFor('the offset past the stranger', () => apis.telegram.offsets.some((offset) => (offset ?? 0) > stranger + 1));
		await pause(150);
		assert.equal(sentTo(666).length, 0);
		assert.ok(!apis.telegram.sent.some((message) => message.text === 'in a group'));
		assert.ok(started.logLines.some((line) => line.includes('channel message refused') && line.includes('666')));
		assert.ok(!started.logLines.some((line) => line.includes('stranger danger')));
	});

	test('a restart resumes from the stored offset: a message sent while down is answered once, old ones not again', async () => {
		const sentBefore = apis.telegram.sent.length;
		await started.gw.stop();
		const offsetsBefore = apis.telegram.offsets.length;
		apis.telegram.pushMessage(4242, 'while you were down');
		started = await startGateway(state.dir, polling());
		await waitFor('the reply after restart', () => apis.telegram.sent.find((message) => message.text === 'while you were down'));
		await pause(300);
		assert.equal(apis.telegram.sent.length, sentBefore + 1);
		assert.notEqual(apis.telegram.offsets[offsetsBefore], undefined, 'the first poll after the restart names the stored offset');
		const socket = await authedSocket(started.gw.url, {scopes: ['operator.admin']});
		try {
			const history = await socket.call('chat.history', {sessionKey: 'agent:main:telegram:direct:4242'});
			assert.equal(history.payload.messages.length, 4, 'both turns of the conversation are in the session');
		} finally {
			socket.close();
		}
	});

	test('webhook mode: setWebhook with the secret token; updates without the right X-Telegram-Bot-Api-Secret-Token are refused 401', async () => {
		await started.gw.stop();
		const config = {
			channels: {
				telegram: {
					botToken: goodToken,
					apiBaseUrl: `${apis.url}/telegram`,
					webhookUrl: 'https://bot.example.com/telegram-webhook',
					webhookSecret: tgSecret,
					dmPolicy: 'allowlist',
					allowFrom: ['4242'],
				},
			},
		};
		started = await startGateway(state.dir, config);
		await waitFor('setWebhook', () => apis.telegram.webhooks.at(-1));
		assert.deepEqual(apis.telegram.webhooks.at(-1), {token: goodToken, url: 'https://bot.example.com/telegram-webhook', secret_token: tgSecret});
		const update = apis.telegram.update(4242, 'via the webhook');
		const send = async (headers: Record<string, string>) =>
			fetch(`http://127.0.0.1:${started.gw.port}/telegram-webhook`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(update)});
		assert.equal((await send({})).status, 401);
		assert.equal((await send({'x-telegram-bot-api-secret-token': 'wrong-secret-token'})).status, 401);
		assert.equal((await send({'x-telegram-bot-api-secret-token': tgSecret})).status, 200);
		assert.equal((await send({'x-telegram-bot-api-secret-token': tgSecret})).status, 200, 'Telegram retries get a 2xx...');
		await waitFor('the webhook reply', () => apis.telegram.sent.find((message) => message.text === 'via the webhook'));
		await pause(200);
		assert.equal(apis.telegram.sent.filter((message) => message.text === 'via the webhook').length, 1, '...but are answered once');
		const refusals = started.logLines.filter((line) => line.includes('telegram webhook request refused'));
		assert.equal(refusals.length, 2);
		assert.ok(refusals.every((line) => !line.includes(tgSecret) && !line.includes('wrong-secret-token')));
	});
});

describe('the Telegram channel when getUpdates or setWebhook fails', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started | undefined;
	const callsTo = (method: string) => apis.requests.filter((request) => request.path.endsWith(`/${method}`)).length;
	const polls = () => callsTo('getUpdates');
	const polling = (botToken = goodToken) => ({channels: {telegram: {botToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, dmPolicy: 'allowlist', allowFrom: [4242]}}});
	const webhook = (botToken = goodToken) => ({
		channels: {
			telegram: {botToken, apiBaseUrl: `${apis.url}/telegram`, webhookUrl: 'https://bot.example.com/telegram-webhook', webhookSecret: 'telegram-webhook-secret-token-42', dmPolicy: 'allowlist', allowFrom: [4242]},
		},
	});

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-tg-refused-');
	});

	afterEach(async () => {
		apis.telegram.getUpdatesFails = undefined;
		apis.telegram.setWebhookFails = undefined;
		await started?.gw.stop();
		started = undefined;
	});

	after(async () => {
		await apis?.close();
		await state?.cleanup();
	});

	test('409 Conflict (another poller) stops polling: not running, not connected, the fix as lastError; channels.start polls again', async () => {
		apis.telegram.getUpdatesFails = {status: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'};
		started = await startGateway(state.dir, polling());
		await waitFor('the poll', () => polls() === 1);
		// Longer than the first retry backoff (1 s): a retry would have come by now.
		await pause(2500);
		assert.equal(polls(), 1, 'no second getUpdates');
		// getMe succeeds: only the refused poll says the channel is down.
		const stopped = await telegramAccountWhen(started, (now) => now.lastProbeAt !== null);
		assert.match(stopped.lastError ?? '', /409 Conflict/);
		assert.match(stopped.lastError ?? '', /another process is polling this bot/);
		assert.equal(stopped.running, false);
		assert.equal(stopped.connected, false);

		apis.telegram.getUpdatesFails = undefined;
		assert.deepEqual(managerOf(started).startChannel('telegram'), {started: true, outcome: 'started'});
		apis.telegram.pushMessage(4242, 'after channels.start');
		await waitFor('the reply after channels.start', () => apis.telegram.sent.find((message) => message.text === 'after channels.start'));
		const running = await telegramAccountWhen(started, (now) => now.connected);
		assert.equal(running.running, true);
		assert.equal(running.lastError, null);
	});

	test('401 (the token refused) stops polling with channels.telegram.botToken named, and is not retried', async () => {
		const before = polls();
		started = await startGateway(state.dir, polling('refused-bot-token-42'));
		await waitFor('the poll', () => polls() === before + 1);
		await pause(2500);
		assert.equal(polls(), before + 1, 'no second getUpdates');
		const stopped = await telegramAccountWhen(started, (now) => now.lastProbeAt !== null);
		assert.match(stopped.lastError ?? '', /HTTP 401/);
		assert.match(stopped.lastError ?? '', /fix channels\.telegram\.botToken/);
		assert.equal(stopped.running, false);
		assert.equal(stopped.connected, false);
	});

	test('a failure that may pass (502) is retried: running, not connected, the failure as lastError; cleared by the next answer', async () => {
		apis.telegram.getUpdatesFails = {status: 502, description: 'Bad Gateway'};
		started = await startGateway(state.dir, polling());
		const failing = await telegramAccountWhen(started, (now) => now.lastError !== null && now.lastProbeAt !== null);
		assert.match(failing.lastError ?? '', /getUpdates answered HTTP 502/);
		assert.equal(failing.running, true);
		assert.equal(failing.connected, false);
		const retried = polls();
		apis.telegram.getUpdatesFails = undefined;
		await waitFor('a retry', () => polls() > retried, 5000);
		const up = await telegramAccountWhen(started, (now) => now.lastError === null);
		assert.equal(up.running, true);
		assert.equal(up.connected, true);
	});

	test("the Bot API's 404 (a token not of the form BotFather gives) stops polling, naming channels.telegram.botToken and the form", async () => {
		const before = polls();
		started = await startGateway(state.dir, polling(malformedTelegramToken));
		await waitFor('the poll', () => polls() === before + 1);
		// Longer than the first retry backoff (1 s): a retry would have come by now.
		await pause(2500);
		assert.equal(polls(), before + 1, 'no second getUpdates');
		const stopped = await telegramAccountWhen(started, (now) => now.lastProbeAt !== null);
		assert.match(stopped.lastError ?? '', /getUpdates answered HTTP 404/);
		assert.match(stopped.lastError ?? '', /channels\.telegram\.botToken/);
		assert.match(stopped.lastError ?? '', /<digits>:<secret>/);
		assert.equal(stopped.running, false);
		assert.equal(stopped.connected, false);
	});

	test('webhook mode: a setWebhook failure that may pass (502) is shown (running, not connected) and retried until it is set', async () => {
		apis.telegram.setWebhookFails = {status: 502, description: 'Bad Gateway'};
		const before = callsTo('setWebhook');
		started = await startGateway(state.dir, webhook());
		const failing = await telegramAccountWhen(started, (now) => now.lastError !== null && now.lastProbeAt !== null);
		assert.match(failing.lastError ?? '', /telegram setWebhook failing, retrying: Telegram setWebhook answered HTTP 502/);
		assert.equal(failing.running, true);
		assert.equal(failing.connected, false);
		assert.equal(apis.telegram.webhooks.length, 0);

		apis.telegram.setWebhookFails = undefined;
		await waitFor('the webhook set by a retry', () => apis.telegram.webhooks.at(-1), 5000);
		assert.ok(callsTo('setWebhook') >= before + 2, 'set by a second setWebhook');
		const up = await telegramAccountWhen(started, (now) => now.lastError === null);
		assert.equal(up.running, true);
		assert.equal(up.connected, true);
	});

	test('webhook mode: setWebhook refused for the token (401, or the Bot API 404) stops the channel with the fix, not retried', async () => {
		for (const [botToken, answer] of [
			['refused-bot-token-42', /setWebhook answered HTTP 401.*fix channels\.telegram\.botToken/],
			[malformedTelegramToken, /setWebhook answered HTTP 404.*channels\.telegram\.botToken.*<digits>:<secret>/],
		] as const) {
			const before = callsTo('setWebhook');
			started = await startGateway(state.dir, webhook(botToken));
			await waitFor('the setWebhook', () => callsTo('setWebhook') === before + 1);
			await pause(2500);
			assert.equal(callsTo('setWebhook'), before + 1, `${botToken}: no second setWebhook`);
			const stopped = await telegramAccountWhen(started, (now) => now.lastProbeAt !== null);
			assert.match(stopped.lastError ?? '', answer);
			assert.equal(stopped.running, false);
			assert.equal(stopped.connected, false);
			await started.gw.stop();
			started = undefined;
		}
	});
});
