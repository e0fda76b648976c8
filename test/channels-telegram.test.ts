// The Telegram channel against a loopback fake of the Bot API: long polling (getUpdates, sendMessage, the offset kept
// across restarts), allowFrom by id and @username, and webhook mode with its secret-token header.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, tempDir} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

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
