// `agent` with `channel` + `to` (+ `deliver`), as OpenClaw 2026.9.6 does it, against loopback fakes of the chat
// services: the turn lands in the peer's own session (the one the peer's messages land in), and with `deliver` the
// echo answer goes out through the channel's transport (Telegram sendMessage, Slack chat.postMessage) and the final
// answer says so. Without `deliver` nothing is sent; a channel with no token fails the request with the fix.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, tempDir, type RawSocket} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

/** Send `agent` and return its accepted and final responses (same request id). */
async function runAgent(socket: RawSocket, params: Record<string, unknown>) {
	const id = `a-${Math.random().toString(36).slice(2)}`;
	const runId = `k-${id}`;
	socket.send({type: 'req', id, method: 'agent', params: {idempotencyKey: runId, ...params}});
	const first = await socket.response(id, 10_000);
	const final = first.payload?.status === 'accepted' ? await socket.frame((frame) => frame.type === 'res' && frame.id === id && frame !== first, 10_000) : undefined;
	return {runId, first, final};
}

describe('agent with channel, to and deliver', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	let socket: RawSocket;
	const sentTo = (chatId: number) => apis.telegram.sent.filter((message) => message.chat_id === chatId);

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-agent-deliver-');
		started = await startGateway(state.dir, {
			channels: {
				telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, dmPolicy: 'allowlist', allowFrom: [4242]},
				slack: {botToken: goodToken, apiBaseUrl: `${apis.url}/slack`, signingSecret: 'slack-signing-secret-abcdef012345'},
			},
		});
		socket = await authedSocket(started.gw.url, {scopes: ['operator.admin']});
	});

	after(async () => {
		socket?.close();
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('telegram + deliver: sendMessage carries the echo answer, in the session the peer\'s own messages use', async () => {
		const {first, final} = await runAgent(socket, {message: 'a word from the operator', channel: 'telegram', to: '4242', deliver: true});
		assert.equal(first.payload.sessionKey, 'agent:main:telegram:direct:4242');
		assert.equal(final.ok, true, JSON.stringify(final));
		assert.equal(final.payload.status, 'ok');
		assert.equal(final.payload.result.deliverySucceeded, true);
		assert.deepEqual(final.payload.result.deliveryStatus, {requested: true, attempted: true, status: 'sent', succeeded: true, resultCount: 1});
		assert.deepEqual(sentTo(4242).at(-1), {token: goodToken, chat_id: 4242, text: 'a word from the operator'});

		// The peer answers on Telegram: its turn lands in the same session, which now holds both turns.
		apis.telegram.pushMessage(4242, 'and a word back');
		await waitFor('the answer to the peer', () => sentTo(4242).find((message) => message.text === 'and a word back'));
		const list = await socket.call('sessions.list', {});
		const rows = list.payload.sessions.filter((row: {key: string}) => row.key.includes('4242'));
		assert.deepEqual(
			rows.map((row: {key: string; messageCount: number}) => [row.key, row.messageCount]),
			[['agent:main:telegram:direct:4242', 4]],
		);
	});

	test('without deliver: the turn is the peer\'s, and nothing is sent to it', async () => {
		const {first, final} = await runAgent(socket, {message: 'just for the record', channel: 'telegram', to: '5151'});
		assert.equal(first.payload.sessionKey, 'agent:main:telegram:direct:5151');
		assert.equal(final.payload.status, 'ok');
		assert.equal(final.payload.result.deliveryStatus, undefined);
		await pause(150);
		assert.deepEqual(sentTo(5151), []);
	});

	test('slack + deliver: chat.postMessage to the peer', async () => {
		const {first, final} = await runAgent(socket, {message: 'hello slack peer', channel: 'slack', to: 'U42', deliver: true});
		assert.equal(first.payload.sessionKey, 'agent:main:slack:direct:u42');
		assert.equal(final.payload.result.deliverySucceeded, true, JSON.stringify(final));
		assert.deepEqual(
			apis.slack.posted.filter((post) => post.channel === 'U42').map((post) => post.text),
			['hello slack peer'],
		);
	});

	test('a channel with no bot token: the run is the peer\'s, its final answer is OpenClaw\'s error with our fix', async () => {
		const {first, final} = await runAgent(socket, {message: 'to nowhere', channel: 'discord', to: '99', deliver: true});
		assert.equal(first.payload.sessionKey, 'agent:main:discord:direct:99');
		assert.equal(final.ok, false);
		assert.deepEqual(final.error, {code: 'UNAVAILABLE', message: 'Discord bot token missing for account "default" (set channels.discord.botToken)'});
		assert.ok(started.logLines.some((line) => line.includes('agent delivery failed (discord to 99)')));
	});

	test('agent.wait on a run whose delivery fails: the run failed, with the send\'s error (OpenClaw ends it after the delivery)', async () => {
		// The wait starts while the run goes on, so it must see the delivery's end, not only the run's.
		const id = 'wait-on-delivery';
		socket.send({type: 'req', id, method: 'agent', params: {idempotencyKey: 'k-wait-on-delivery', message: 'to nowhere again', channel: 'discord', to: '98', deliver: true}});
		assert.equal((await socket.response(id, 10_000)).payload.status, 'accepted');
		const wait = await socket.call('agent.wait', {runId: 'k-wait-on-delivery', timeoutMs: 5000});
		assert.equal(wait.payload.status, 'error', JSON.stringify(wait.payload));
		assert.equal(wait.payload.summary, 'failed');
		assert.equal(wait.payload.error, 'Discord bot token missing for account "default" (set channels.discord.botToken)');

		// A delivery that went out leaves the run ok.
		const sent = await runAgent(socket, {message: 'to a real peer', channel: 'telegram', to: '4242', deliver: true});
		const ok = await socket.call('agent.wait', {runId: sent.runId, timeoutMs: 5000});
		assert.equal(ok.payload.status, 'ok');
		assert.equal(ok.payload.error, undefined);
	});

	test('deliver with no channel: refused at once, unless best effort (the main session\'s default)', async () => {
		const refused = await runAgent(socket, {message: 'where to?', sessionKey: 'work', deliver: true});
		assert.equal(refused.first.ok, false);
		assert.equal(refused.first.error.code, 'INVALID_REQUEST');
		assert.match(refused.first.error.message, /^delivery channel is required: pass --channel/);

		const bestEffort = await runAgent(socket, {message: 'where to?', deliver: true});
		assert.equal(bestEffort.final.payload.status, 'ok');
		assert.equal(bestEffort.final.payload.result.deliverySucceeded, false);
		assert.equal(bestEffort.final.payload.result.deliveryStatus.reason, 'channel_resolved_to_internal');
	});
});
