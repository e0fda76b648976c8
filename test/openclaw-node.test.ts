// An independent client, the npm package `openclaw-node`, against our gateway: device-signed (v2) connect,
// health, channels.status, config.get when the gateway has it, and a streamed chat() through `agent` with the
// offline echo model.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import WebSocket from 'ws';
import {startTestGateway, tempDir, testToken, type TestGateway} from './helpers/gateway.js';

// openclaw-node uses the global WebSocket (Node 22+); on Node 20 it must be provided.
(globalThis as {WebSocket?: unknown}).WebSocket ??= WebSocket;
const {OpenClawClient} = await import('openclaw-node');

let gw: TestGateway;
let dir: {dir: string; cleanup: () => Promise<void>};
let client: InstanceType<typeof OpenClawClient>;

before(async () => {
	gw = await startTestGateway();
	dir = await tempDir('openclaw-node-');
	client = new OpenClawClient({
		url: gw.url,
		token: testToken,
		deviceIdentityPath: path.join(dir.dir, 'device-identity.json'),
		autoReconnect: false,
	});
	client.on('error', () => {});
});

after(async () => {
	await client?.disconnect();
	await gw.stop();
	await dir.cleanup();
});

describe('openclaw-node client', () => {
	test('connects with its signed device identity and sees our methods', async () => {
		const hello = await client.connect();
		assert.equal(hello.type, 'hello-ok');
		assert.equal(hello.protocol, 4);
		assert.deepEqual([...(hello.auth?.scopes ?? [])].sort(), ['operator.read', 'operator.write']);
		assert.ok(client.isConnected);
		for (const method of ['health', 'channels.status', 'agent', 'agent.wait', 'chat.abort']) {
			assert.ok(client.hasMethod(method), method);
		}
	});

	test('health()', async () => {
		const health = (await client.health()) as Record<string, any>;
		assert.equal(health.ok, true);
		assert.ok(Array.isArray(health.channelOrder));
		assert.equal(health.defaultAgentId, 'main');
	});

	test('channels.status()', async () => {
		const status = (await client.channels.status()) as Record<string, any>;
		assert.deepEqual(status.channelOrder, []);
		assert.deepEqual(status.channelAccounts, {});
		assert.equal(typeof status.ts, 'number');
	});

	test('agents.list()', async () => {
		const agents = (await client.agents.list()) as Record<string, any>;
		assert.equal(agents.defaultId, 'main');
		assert.deepEqual(agents.agents.map((entry: {id: string}) => entry.id), ['main']);
		assert.equal(agents.agents[0].model, 'echo');
	});

	test('config.get() when the gateway offers it', async (t) => {
		if (!client.hasMethod('config.get')) {
			t.diagnostic('config.get not offered by this gateway build: checked that it is not advertised');
			assert.equal(client.availableMethods.includes('config.get'), false);
			return;
		}

		const config = (await client.config.get()) as Record<string, any>;
		assert.equal(typeof config.hash, 'string');
	});

	test('chat() streams the echo model answer through `agent` events', async () => {
		const message = 'openclaw-node says hello to the echo model';
		const chunks: Array<{type: string; text?: string; runId?: string}> = [];
		for await (const chunk of client.chat(message)) {
			chunks.push(chunk);
			assert.ok(chunks.length < 100, 'stream did not end');
		}

		const text = chunks.filter((chunk) => chunk.type === 'text').map((chunk) => chunk.text).join('');
		assert.equal(text, message);
		assert.ok(chunks.filter((chunk) => chunk.type === 'text').length >= 2, 'answer came in several deltas');
		assert.equal(chunks[0].type, 'agent_start');
		assert.ok(chunks.some((chunk) => chunk.type === 'agent_end'));
		assert.equal(chunks.at(-1)?.type, 'done');

		const sync = await client.chatSync('second turn');
		assert.equal(sync, 'second turn');
	});

	test('agentWait() reports a finished run', async () => {
		let runId: string | undefined;
		for await (const chunk of client.chat('for agent.wait')) {
			runId ??= chunk.runId;
		}

		const waited = (await client.agentWait(runId!, {timeoutMs: 5000})) as Record<string, any>;
		assert.equal(waited.status, 'ok');
		assert.equal(waited.runId, runId);
	});
});
