// `chat.send` with `deliver: true`, as OpenClaw 2026.9.6 routes it, against the loopback Telegram fake: the answer
// goes to the peer of the session's own channel route (a session of one conversation on a channel), or to an explicit
// originatingChannel + originatingTo (admins only); a session with no channel route keeps the answer, no error.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, tempDir, type RawSocket} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

describe('chat.send with deliver', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	let admin: RawSocket;
	let writer: RawSocket;
	const textsTo = (chatId: number) => apis.telegram.sent.filter((message) => message.chat_id === chatId).map((message) => message.text);

	/** chat.send, then agent.wait on its run: the answer (and its delivery) are done when this returns. */
	async function send(socket: RawSocket, params: Record<string, unknown>) {
		const idempotencyKey = `c-${Math.random().toString(36).slice(2)}`;
		const response = await socket.call('chat.send', {idempotencyKey, ...params});
		if (response.ok) {
			await socket.call('agent.wait', {runId: idempotencyKey, timeoutMs: 5000});
		}

		return response;
	}

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-chat-deliver-');
		started = await startGateway(state.dir, {
			channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, dmPolicy: 'allowlist', allowFrom: [4242]}},
		});
		admin = await authedSocket(started.gw.url, {scopes: ['operator.admin']});
		writer = await authedSocket(started.gw.url, {scopes: ['operator.write']});
	});

	after(async () => {
		admin?.close();
		writer?.close();
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('a peer\'s session: the answer goes to that peer through sendMessage; not without deliver, not from main', async () => {
		const response = await send(writer, {sessionKey: 'agent:main:telegram:direct:4242', message: 'from the operator', deliver: true});
		assert.equal(response.payload.status, 'started', JSON.stringify(response));
		assert.deepEqual(textsTo(4242), ['from the operator']);

		await send(writer, {sessionKey: 'agent:main:telegram:direct:4242', message: 'kept here'});
		const main = await send(writer, {sessionKey: 'main', message: 'main stays home', deliver: true});
		assert.equal(main.ok, true, JSON.stringify(main));
		await pause(150);
		assert.deepEqual(textsTo(4242), ['from the operator']);
		assert.equal(apis.telegram.sent.some((message) => message.text === 'main stays home'), false);
	});

	test('an explicit originating route: an admin\'s answer goes there; a writer is refused with OpenClaw\'s words', async () => {
		await send(admin, {sessionKey: 'main', message: 'routed by hand', deliver: true, originatingChannel: 'telegram', originatingTo: '4545'});
		await waitFor('the routed answer', () => textsTo(4545).length > 0 || undefined);
		assert.deepEqual(textsTo(4545), ['routed by hand']);

		const refused = await send(writer, {sessionKey: 'main', message: 'no', deliver: true, originatingChannel: 'telegram', originatingTo: '4545'});
		assert.equal(refused.ok, false);
		assert.deepEqual(refused.error, {code: 'INVALID_REQUEST', message: 'originating route fields require admin scope'});
	});
});
