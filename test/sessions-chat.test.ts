// Sessions and chat through a real gateway process: agent runs recorded in their sessions, sessions.list with
// counts, nothing lost across an in-process restart or a full one, chat.send streaming OpenClaw's `chat` events,
// chat.history, sessions.subscribe/sessions.changed, reset and delete, and chat.abort stopping a chat run.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {openAiKey, startFakeOpenAi, type FakeServer} from './helpers/fake-apis.js';
import {authedSocket, freePort, startTestGateway, type RawSocket, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const operator = (token: string) => ({scopes: ['operator.admin'], auth: {token}});

describe('sessions and chat (gateway process)', {timeout: 120_000}, () => {
	let instance: Instance;
	let gateway: GatewayProcess;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	async function connect(): Promise<RawSocket> {
		return authedSocket(`ws://127.0.0.1:${instance.port}`, operator(instance.token));
	}

	async function agentRun(socket: RawSocket, params: Record<string, unknown>) {
		const id = `a-${Math.random().toString(36).slice(2)}`;
		socket.send({type: 'req', id, method: 'agent', params});
		const first = await socket.response(id, 10_000);
		assert.equal(first.payload?.status, 'accepted', JSON.stringify(first));
		return socket.frame((frame) => frame.type === 'res' && frame.id === id && frame !== first, 10_000);
	}

	async function waitReady(): Promise<void> {
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			const ready = await fetch(`http://127.0.0.1:${instance.port}/readyz`).then((response) => response.status === 200, () => false);
			if (ready) {
				return;
			}

			await new Promise((resolve) => setTimeout(resolve, 100));
		}

		throw new Error('gateway not ready again');
	}

	test('two agent runs are listed with their message counts, and health/status count them', async () => {
		const socket = await connect();
		await agentRun(socket, {message: 'first turn', idempotencyKey: 'sess-run-1'});
		await agentRun(socket, {message: 'second turn', idempotencyKey: 'sess-run-2', sessionKey: 'work'});
		const list = await socket.call('sessions.list', {});
		assert.equal(list.ok, true, JSON.stringify(list));
		const byKey = new Map(list.payload.sessions.map((row: any) => [row.key, row]));
		assert.deepEqual([...byKey.keys()].sort(), ['agent:main:main', 'agent:main:work']);
		assert.equal((byKey.get('agent:main:main') as any).messageCount, 2);
		assert.equal((byKey.get('agent:main:work') as any).lastRunId, 'sess-run-2');
		assert.equal(list.payload.count, 2);
		assert.match(list.payload.path, /agents\/main\/sessions\/sessions\.json$/);
		assert.deepEqual(list.payload.defaults.model, 'echo');

		const health = await socket.call('health', {});
		assert.equal(health.payload.sessions.count, 2);
		assert.equal(health.payload.agents[0].sessions.count, 2);
		assert.deepEqual(health.payload.sessions.recent.map((entry: any) => entry.key).sort(), ['agent:main:main', 'agent:main:work']);
		const status = await socket.call('status', {});
		assert.equal(status.payload.sessions.count, 2);
		assert.equal(status.payload.sessions.byAgent[0].count, 2);
		socket.close();
	});

	test('chat.send answers started, streams chat delta events then final; chat.history returns the turns', async () => {
		const socket = await connect();
		await socket.call('sessions.subscribe', {});
		const sent = await socket.call('chat.send', {sessionKey: 'main', message: 'echo this back', idempotencyKey: 'chat-1'});
		assert.deepEqual(sent.payload, {runId: 'chat-1', status: 'started'});
		const final = await socket.frame((frame) => frame.event === 'chat' && frame.payload.runId === 'chat-1' && frame.payload.state === 'final', 10_000);
		const chat = socket.frames.filter((frame) => frame.event === 'chat' && frame.payload.runId === 'chat-1').map((frame) => frame.payload);
		const deltas = chat.filter((payload) => payload.state === 'delta');
		assert.ok(deltas.length >= 2, `deltas: ${deltas.length}`);
		assert.equal(deltas.map((payload) => payload.deltaText).join(''), 'echo this back');
		assert.deepEqual(deltas.at(-1).message.content, [{type: 'text', text: 'echo this back'}]);
		assert.deepEqual(chat.map((payload) => payload.seq), chat.map((_payload, index) => index + 1));
		assert.equal(final.payload.sessionKey, 'agent:main:main');
		assert.equal(final.payload.stopReason, 'stop');
		assert.deepEqual(final.payload.message.content, [{type: 'text', text: 'echo this back'}]);

		// A retry starts nothing: the run is still writing its turn (in_flight) or done (ok).
		const again = await socket.call('chat.send', {sessionKey: 'main', message: 'echo this back', idempotencyKey: 'chat-1'});
		assert.equal(again.payload.runId, 'chat-1');
		assert.match(again.payload.status, /^(ok|in_flight)$/);

		// As OpenClaw's: the chat stream ends first, `sessions.changed` (phase end) says the turn is stored.
		await socket.frame((frame) => frame.event === 'sessions.changed' && frame.payload.runId === 'chat-1' && frame.payload.phase === 'end', 5000);
		const history = await socket.call('chat.history', {sessionKey: 'agent:main:main', limit: 200});
		assert.equal(history.ok, true, JSON.stringify(history));
		const turns = history.payload.messages.map((message: any) => [message.role, message.content[0].text]);
		assert.deepEqual(turns.slice(-2), [
			['user', 'echo this back'],
			['assistant', 'echo this back'],
		]);
		assert.equal(history.payload.messages.at(-1).__openclaw.runId, 'chat-1');
		assert.equal(history.payload.sessionInfo.key, 'agent:main:main');
		assert.equal(history.payload.sessionInfo.messageCount, 4);
		socket.close();
	});

	test('sessions.subscribe delivers sessions.changed for a turn; other clients get none', async () => {
		const watcher = await connect();
		const bystander = await connect();
		assert.deepEqual((await watcher.call('sessions.subscribe', {})).payload, {subscribed: true});
		const socket = await connect();
		await agentRun(socket, {message: 'watched', idempotencyKey: 'sess-watched', sessionKey: 'work'});
		const end = await watcher.frame((frame) => frame.event === 'sessions.changed' && frame.payload.runId === 'sess-watched' && frame.payload.phase === 'end', 5000);
		assert.equal(end.payload.sessionKey, 'agent:main:work');
		assert.equal(end.payload.session.messageCount, 4);
		assert.ok(watcher.frames.some((frame) => frame.event === 'sessions.changed' && frame.payload.phase === 'start'));
		assert.equal(bystander.frames.filter((frame) => frame.event === 'sessions.changed').length, 0);
		const hello = await (await connect()).call('sessions.unsubscribe', {});
		assert.deepEqual(hello.payload, {subscribed: false});
		for (const item of [watcher, bystander, socket]) {
			item.close();
		}
	});

	test('an in-process restart (SIGUSR2) and a full restart lose no session and no turn', async () => {
		let socket = await connect();
		const before = (await socket.call('sessions.list', {})).payload.sessions.map((row: any) => [row.key, row.messageCount]).sort();
		socket.close();

		gateway.process.kill('SIGUSR2');
		await new Promise((resolve) => setTimeout(resolve, 500));
		await waitReady();
		socket = await connect();
		const afterInProcess = (await socket.call('sessions.list', {})).payload.sessions.map((row: any) => [row.key, row.messageCount]).sort();
		assert.deepEqual(afterInProcess, before);
		socket.close();

		await gateway.stop();
		gateway = await startGatewayProcess(instance);
		socket = await connect();
		const afterFull = (await socket.call('sessions.list', {})).payload.sessions.map((row: any) => [row.key, row.messageCount]).sort();
		assert.deepEqual(afterFull, before);
		const history = await socket.call('chat.history', {sessionKey: 'main'});
		assert.ok(history.payload.messages.some((message: any) => message.content[0].text === 'echo this back'));
		socket.close();
	});

	test('sessions.reset empties a session under the same key; sessions.delete removes one', async () => {
		const socket = await connect();
		const reset = await socket.call('sessions.reset', {key: 'main', reason: 'new'});
		assert.equal(reset.ok, true, JSON.stringify(reset));
		assert.equal(reset.payload.key, 'agent:main:main');
		assert.equal(reset.payload.entry.messageCount, 0);
		assert.deepEqual((await socket.call('chat.history', {sessionKey: 'main'})).payload.messages, []);
		const deleted = await socket.call('sessions.delete', {key: 'work'});
		assert.deepEqual(deleted.payload, {ok: true, key: 'agent:main:work', deleted: true, archived: []});
		const keys = (await socket.call('sessions.list', {})).payload.sessions.map((row: any) => row.key);
		assert.ok(!keys.includes('agent:main:work'));
		const reader = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.read', 'operator.write'], auth: {token: instance.token}});
		const refused = await reader.call('sessions.reset', {key: 'main'});
		assert.equal(refused.error?.code, 'FORBIDDEN');
		reader.close();
		socket.close();
	});
});

describe('chat.abort on a slow model', {timeout: 60_000}, () => {
	let slowModel: FakeServer;
	let gw: TestGateway;

	before(async () => {
		slowModel = await startFakeOpenAi({reply: 'x '.repeat(200), chunks: 200, chunkDelayMs: 50});
		gw = await startTestGateway({
			config: loadedConfig({
				agents: {defaults: {model: 'slow'}},
				models: {providers: {slow: {baseUrl: `${slowModel.url}/v1`, apiKey: openAiKey, model: 'slow-model'}}},
			}),
		});
	});

	after(async () => {
		await gw?.stop();
		await slowModel?.close();
	});

	test('chat.abort stops a chat run: the chat stream ends aborted and the session says so', async () => {
		const socket = await authedSocket(gw.url, {scopes: ['operator.admin']});
		const sent = await socket.call('chat.send', {sessionKey: 'slow-chat', message: 'take your time', idempotencyKey: 'chat-slow'});
		assert.equal(sent.payload.status, 'started');
		await socket.frame((frame) => frame.event === 'chat' && frame.payload.runId === 'chat-slow', 5000);
		const aborted = await socket.call('chat.abort', {sessionKey: 'slow-chat'});
		assert.deepEqual(aborted.payload, {ok: true, aborted: true, runIds: ['chat-slow']});
		const end = await socket.frame((frame) => frame.event === 'chat' && frame.payload.runId === 'chat-slow' && frame.payload.state !== 'delta', 10_000);
		assert.equal(end.payload.state, 'aborted');
		assert.equal(end.payload.sessionKey, 'agent:main:slow-chat');
		let row = (await socket.call('sessions.describe', {key: 'slow-chat'})).payload.session;
		for (let tries = 0; row.status === 'running' && tries < 50; tries++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			row = (await socket.call('sessions.describe', {key: 'slow-chat'})).payload.session;
		}

		assert.equal(row.abortedLastRun, true);
		assert.equal(row.status, 'killed');
		socket.close();
	});
});
