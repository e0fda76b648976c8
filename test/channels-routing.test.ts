// Routing through the channels: a message from a peer runs the agent in that peer's session (OpenClaw's per-channel
// peer keys), streams `agent`/`chat` events, and the echo answer goes back through the same channel (loopback
// fakes). Here the generic webhook channel, and pairing (the default dmPolicy); each chat service has its own file.
// Peers not allowed get nothing and are logged without their text; forged and replayed inbound requests are refused;
// a restarted gateway keeps the conversation.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {hmacSha256Hex} from '../gateway/channels/signatures.js';
import {webhookSignatureHeaders} from '../gateway/channels/webhook-transport.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, tempDir} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

const webhookSecret = 'webhook-signing-secret-0123456789';

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
