// Routing through the channels: a message from a peer on a channel runs the agent in that peer's session (OpenClaw's
// per-channel peer keys), streams `agent`/`chat` events, and the echo answer goes back through the same channel's
// API (loopback fakes). Peers not allowed get nothing and are logged without their text; forged and replayed
// inbound requests are refused; a restarted gateway keeps the conversation.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {buildServices} from '../gateway/assemble.js';
import {Logger} from '../gateway/logger.js';
import {webhookSignatureHeaders} from '../gateway/channels/webhook-transport.js';
import {hmacSha256Hex} from '../gateway/channels/signatures.js';
import {goodAppToken, goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, startTestGateway, tempDir, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const webhookSecret = 'webhook-signing-secret-0123456789';

type Started = {gw: TestGateway; logLines: string[]};

async function startGateway(stateDir: string, config: Record<string, unknown>): Promise<Started> {
	const logLines: string[] = [];
	const logger = new Logger({level: 'debug', sinks: [(line) => logLines.push(line)]});
	const configPath = path.join(stateDir, 'openclaw.json');
	const gw = await startTestGateway({
		stateDir,
		configPath,
		config: loadedConfig(config, configPath),
		logger,
		services: buildServices({stateDir, configPath, logger}),
	});
	return {gw, logLines};
}

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

const pause = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the generic webhook channel', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	const config = () => ({
		channels: {
			webhook: {url: `${apis.url}/hook/ok`, secret: webhookSecret, allowFrom: ['alice'], dmPolicy: 'allowlist', rateLimit: {burst: 3, perMinute: 1}},
		},
	});

	async function post(body: unknown, headers: Record<string, string>): Promise<Response> {
		return fetch(`http://127.0.0.1:${started.gw.port}/channels/webhook`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: typeof body === 'string' ? body : JSON.stringify(body)});
	}

	async function signedPost(body: Record<string, unknown>, timestamp?: number): Promise<Response> {
		const text = JSON.stringify(body);
		return post(text, webhookSignatureHeaders(webhookSecret, text, timestamp));
	}

	const replies = () => apis.requests.filter((request) => request.method === 'POST' && request.path === '/hook/ok');

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-');
		started = await startGateway(state.dir, config());
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('a signed message reaches the agent, streams agent/chat events, and the echo reply is POSTed back signed', async () => {
		const socket = await authedSocket(started.gw.url, {scopes: ['operator.admin']});
		try {
			const response = await signedPost({from: 'alice', text: 'hello through the webhook', id: 'm1'});
			assert.equal(response.status, 202);
			const reply = await waitFor('the reply POST', () => replies().at(-1));
			assert.deepEqual(JSON.parse(reply.body), {to: 'alice', text: 'hello through the webhook'});
			const timestamp = String(reply.headers['x-openclaw-timestamp']);
			assert.equal(reply.headers['x-openclaw-signature'], `sha256=${hmacSha256Hex(webhookSecret, `${timestamp}.${reply.body}`)}`);
			const sessionKey = 'agent:main:webhook:direct:alice';
			const agentEvent = await socket.frame((frame) => frame.event === 'agent' && frame.payload?.sessionKey === sessionKey && frame.payload?.stream === 'assistant');
			assert.equal(agentEvent.payload.runId, 'webhook:m1');
			const final = await socket.frame((frame) => frame.event === 'chat' && frame.payload?.sessionKey === sessionKey && frame.payload?.state === 'final');
			assert.equal(final.payload.message.content[0].text, 'hello through the webhook');
			const list = await socket.call('sessions.list', {});
			assert.ok(list.payload.sessions.some((row: any) => row.key === sessionKey), JSON.stringify(list.payload.sessions.map((row: any) => row.key)));
		} finally {
			socket.close();
		}
	});

	test('a peer not on allowFrom gets nothing, and the refusal is logged without the message text', async () => {
		const before = replies().length;
		const response = await signedPost({from: 'mallory', text: 'secret plans of mallory', id: 'm2'});
		assert.equal(response.status, 202, 'the service is not told who is allowed');
		await waitFor('the refusal in the log', () => started.logLines.find((line) => line.includes('channel message refused') && line.includes('mallory')));
		await pause(200);
		assert.equal(replies().length, before);
		assert.ok(!started.logLines.some((line) => line.includes('secret plans')), 'no message text in the log');
	});

	test('a forged signature, a stale timestamp and a replayed request are refused 401, logged without secrets', async () => {
		const before = replies().length;
		const body = JSON.stringify({from: 'alice', text: 'forged text', id: 'f1'});
		const forged = await post(body, webhookSignatureHeaders('not-the-secret', body));
		assert.equal(forged.status, 401);
		const unsigned = await post(body, {});
		assert.equal(unsigned.status, 401);
		const stale = await signedPost({from: 'alice', text: 'stale text', id: 'f2'}, Math.floor(Date.now() / 1000) - 600);
		assert.equal(stale.status, 401);

		const fresh = JSON.stringify({from: 'alice', text: 'replayed text', id: 'f3'});
		const headers = webhookSignatureHeaders(webhookSecret, fresh);
		assert.equal((await post(fresh, headers)).status, 202);
		assert.equal((await post(fresh, headers)).status, 401, 'the same signed request sent again');
		await waitFor('the one accepted reply', () => replies().length === before + 1);
		await pause(200);
		assert.equal(replies().length, before + 1);
		const refusals = started.logLines.filter((line) => line.includes('webhook channel request refused'));
		assert.equal(refusals.length, 4);
		for (const line of refusals) {
			assert.ok(!line.includes(webhookSecret) && !line.includes('forged text') && !line.includes('sha256='), line);
		}
	});

	test('a peer over its rate gets nothing more', async () => {
		// burst 3: alice already spent 2 messages above; one more passes, the rest are dropped.
		const before = replies().length;
		for (const id of ['r1', 'r2', 'r3']) {
			assert.equal((await signedPost({from: 'alice', text: `burst ${id}`, id})).status, 202);
		}

		await waitFor('one reply', () => replies().length === before + 1);
		await pause(200);
		assert.equal(replies().length, before + 1);
		assert.ok(started.logLines.some((line) => line.includes('rate-limited')));
	});

	test('restarting the gateway mid-conversation loses no session', async () => {
		await started.gw.stop();
		started = await startGateway(state.dir, {...config(), channels: {webhook: {...config().channels.webhook, rateLimit: {burst: 5, perMinute: 60}}}});
		const socket = await authedSocket(started.gw.url, {scopes: ['operator.admin']});
		try {
			const sessionKey = 'agent:main:webhook:direct:alice';
			const before = await socket.call('chat.history', {sessionKey});
			assert.equal(before.ok, true, JSON.stringify(before.error));
			const texts = (messages: any[]) => messages.map((message) => (typeof message.content === 'string' ? message.content : message.content?.[0]?.text));
			assert.ok(texts(before.payload.messages).includes('hello through the webhook'), JSON.stringify(before.payload.messages).slice(0, 400));
			const count = before.payload.messages.length;
			const response = await signedPost({from: 'alice', text: 'after the restart', id: 'after-1'});
			assert.equal(response.status, 202);
			await waitFor('the reply after the restart', () => replies().find((request) => request.body.includes('after the restart')));
			const afterRestart = await socket.call('chat.history', {sessionKey});
			assert.equal(afterRestart.payload.messages.length, count + 2);
		} finally {
			socket.close();
		}
	});
});

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

describe('the Slack channel (Events API)', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	const signingSecret = 'slack-signing-secret-abcdef012345';
	let eventSeq = 0;

	function eventBody(user: string, text: string, overrides: Record<string, unknown> = {}): string {
		eventSeq++;
		return JSON.stringify({
			type: 'event_callback',
			team_id: 'T1',
			event_id: `Ev${eventSeq}`,
			event: {type: 'message', channel_type: 'im', channel: `D${user}`, user, text, ts: `${Date.now() / 1000}`, ...overrides},
		});
	}

	function slackHeaders(body: string, secret = signingSecret, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
		return {'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${body}`)}`};
	}

	async function post(body: string, headers: Record<string, string>): Promise<Response> {
		return fetch(`http://127.0.0.1:${started.gw.port}/slack/events`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body});
	}

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-slack-');
		started = await startGateway(state.dir, {
			channels: {slack: {botToken: goodToken, apiBaseUrl: `${apis.url}/slack`, signingSecret, dmPolicy: 'allowlist', allowFrom: ['U42']}},
		});
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('url_verification is answered with its challenge (signed)', async () => {
		const body = JSON.stringify({type: 'url_verification', challenge: 'challenge-xyz', token: 'legacy'});
		const response = await post(body, slackHeaders(body));
		assert.equal(response.status, 200);
		assert.deepEqual(await response.json(), {challenge: 'challenge-xyz'});
	});

	test('a signed DM from an allowed user is answered with chat.postMessage in its IM; a stranger gets nothing', async () => {
		const body = eventBody('U42', 'hello slack agent');
		assert.equal((await post(body, slackHeaders(body))).status, 200);
		const stranger = eventBody('U66', 'slack stranger text');
		assert.equal((await post(stranger, slackHeaders(stranger))).status, 200);
		const reply = await waitFor('chat.postMessage', () => apis.slack.posted.at(-1));
		assert.deepEqual(reply, {token: goodToken, channel: 'DU42', text: 'hello slack agent'});
		await pause(200);
		assert.equal(apis.slack.posted.length, 1);
		assert.ok(started.logLines.some((line) => line.includes('channel message refused') && line.includes('U66')));
		assert.ok(!started.logLines.some((line) => line.includes('slack stranger text')));
	});

	test('a forged, a stale (over 5 minutes) and a replayed request are refused 401, logged without secrets', async () => {
		const before = apis.slack.posted.length;
		const forged = eventBody('U42', 'forged slack');
		assert.equal((await post(forged, slackHeaders(forged, 'not-the-signing-secret'))).status, 401);
		const stale = eventBody('U42', 'stale slack');
		assert.equal((await post(stale, slackHeaders(stale, signingSecret, Math.floor(Date.now() / 1000) - 301))).status, 401);
		const fresh = eventBody('U42', 'replayed slack');
		const headers = slackHeaders(fresh);
		assert.equal((await post(fresh, headers)).status, 200);
		assert.equal((await post(fresh, headers)).status, 401);
		await waitFor('one reply', () => apis.slack.posted.length === before + 1);
		await pause(200);
		assert.equal(apis.slack.posted.length, before + 1);
		const refusals = started.logLines.filter((line) => line.includes('slack events request refused'));
		assert.equal(refusals.length, 3);
		for (const line of refusals) {
			assert.ok(!line.includes(signingSecret) && !line.includes('v0=') && !line.includes('forged slack'), line);
		}
	});
});

describe('the Discord channel (Gateway WebSocket + REST)', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-discord-');
		started = await startGateway(state.dir, {
			channels: {discord: {botToken: goodToken, apiBaseUrl: `${apis.url}/discord`, dmPolicy: 'allowlist', allowFrom: ['3141']}},
		});
		await waitFor('the bot identified', () => apis.discord.ready === 1);
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('identifies with the DM and message-content intents; a DM from an allowed user is answered over REST', async () => {
		assert.deepEqual(apis.discord.identifies, [{token: goodToken, intents: (1 << 12) | (1 << 15)}]);
		apis.discord.sendMessage('3141', 'hello discord agent');
		const reply = await waitFor('the REST reply', () => apis.discord.posted.at(-1));
		assert.deepEqual(reply, {token: goodToken, channelId: 'dm-3141', content: 'hello discord agent'});
	});

	test('strangers, guild messages and bots get nothing', async () => {
		const before = apis.discord.posted.length;
		apis.discord.sendMessage('2718', 'discord stranger text');
		apis.discord.sendMessage('3141', 'in a guild', {guildId: 'G1'});
		apis.discord.sendMessage('3141', 'from a bot', {bot: true});
		await waitFor('the refusal', () => started.logLines.find((line) => line.includes('channel message refused') && line.includes('2718')));
		await pause(200);
		assert.equal(apis.discord.posted.length, before);
		assert.ok(!started.logLines.some((line) => line.includes('discord stranger text')));
	});

	test('a dropped gateway socket is reconnected, and messages flow again', async () => {
		apis.discord.dropAll(1001);
		await waitFor('the socket gone', () => apis.discord.ready === 0);
		await waitFor('identified again', () => apis.discord.ready === 1, 8000);
		apis.discord.sendMessage('3141', 'after the reconnect');
		await waitFor('the reply after reconnect', () => apis.discord.posted.find((message) => message.content === 'after the reconnect'));
	});
});

describe('pairing (the default dmPolicy)', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	const config = () => ({channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1}}});
	const sentTo = (chatId: number) => apis.telegram.sent.filter((message) => message.chat_id === chatId).map((message) => message.text);

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-pairing-');
		started = await startGateway(state.dir, config());
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('an unknown peer gets one pairing code and no agent; once approved (kept across a restart) it is answered', async () => {
		apis.telegram.pushMessage(555, 'let me in please');
		const [offer] = await waitFor('the pairing reply', () => (sentTo(555).length > 0 ? sentTo(555) : undefined));
		const code = /Pairing code:\n([A-Z2-9]{8})\n/.exec(offer)?.[1];
		assert.ok(code, offer);
		assert.ok(offer.includes(`openclaw pairing approve telegram ${code}`));
		apis.telegram.pushMessage(555, 'still waiting');
		await waitFor('the second refusal', () => started.logLines.filter((line) => line.includes('channel message refused') && line.includes('555')).length === 2 || undefined);
		await pause(150);
		assert.deepEqual(sentTo(555), [offer], 'one code, and never the agent');

		const socket = await authedSocket(started.gw.url, {scopes: ['operator.admin', 'operator.pairing']});
		try {
			const list = await socket.call('channels.pairing.list', {channel: 'telegram'});
			assert.equal(list.ok, true, JSON.stringify(list.error));
			assert.deepEqual(
				list.payload.requests.map((request: any) => [request.requestId, request.senderId, request.channel, request.accountId]),
				[[code, '555', 'telegram', 'default']],
			);
			const wrong = await socket.call('channels.pairing.approve', {channel: 'telegram', accountId: 'default', requestId: 'NOPE2345'});
			assert.equal(wrong.ok, false);
			const approved = await socket.call('channels.pairing.approve', {channel: 'telegram', accountId: 'default', requestId: code, notify: true});
			assert.equal(approved.ok, true, JSON.stringify(approved.error));
			assert.deepEqual(approved.payload, {requestId: code, senderId: '555', notification: 'sent', commandOwnerBootstrap: 'not-requested'});
		} finally {
			socket.close();
		}

		await started.gw.stop();
		started = await startGateway(state.dir, config());
		apis.telegram.pushMessage(555, 'thanks for approving');
		await waitFor('the agent answer', () => sentTo(555).find((text) => text === 'thanks for approving'));
	});
});

describe('the Slack channel (Socket Mode)', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-slack-socket-');
		started = await startGateway(state.dir, {
			channels: {slack: {botToken: goodToken, appToken: goodAppToken, apiBaseUrl: `${apis.url}/slack`, dmPolicy: 'allowlist', allowFrom: ['U42']}},
		});
		await waitFor('the socket open', () => apis.slack.sockets === 1);
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('a DM over the socket is acknowledged and answered with chat.postMessage; a stranger gets nothing', async () => {
		const envelope = apis.slack.sendSocketMessage('U42', 'hello over the socket');
		apis.slack.sendSocketMessage('U66', 'socket stranger text');
		const reply = await waitFor('chat.postMessage', () => apis.slack.posted.at(-1));
		assert.deepEqual(reply, {token: goodToken, channel: 'DU42', text: 'hello over the socket'});
		assert.ok(apis.slack.acks.includes(envelope));
		await pause(200);
		assert.equal(apis.slack.posted.length, 1);
		assert.ok(!started.logLines.some((line) => line.includes('socket stranger text')));
	});

	test('a disconnect request is followed by a new socket, and messages flow again', async () => {
		apis.slack.requestDisconnect();
		await waitFor('the old socket gone', () => apis.slack.sockets === 0);
		await waitFor('a new socket', () => apis.slack.sockets === 1, 8000);
		apis.slack.sendSocketMessage('U42', 'after the refresh');
		await waitFor('the reply after the refresh', () => apis.slack.posted.find((message) => message.text === 'after the refresh'));
	});
});
