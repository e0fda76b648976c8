// GatewayClient against real gateways: handshake, fast failures, two-stage answers, seq gaps, reconnects.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {WebSocketServer} from 'ws';
import {z} from 'zod';
import {defineUnmappedMethod} from '../gateway/methods/types.js';
import {backoffDelay, GatewayClient, GatewayConnectError} from '../source/client/index.js';
import {awaitedRestartRetryMs, reconnectDelay} from '../source/client/backoff.js';
import {freePort, startTestGateway, testToken, type TestGateway} from './helpers/gateway.js';

const twoStage = defineUnmappedMethod({
	name: 'test.twoStage',
	scope: 'operator.read',
	params: z.object({delayMs: z.number().int().max(2000)}).strict(),
	async handler(params, ctx) {
		ctx.accept({runId: 'run-1', status: 'accepted'});
		await new Promise((resolve) => setTimeout(resolve, params.delayMs));
		return {runId: 'run-1', status: 'ok', summary: 'completed'};
	},
});

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway({methods: [twoStage]});
});
after(async () => {
	await gw.stop();
});

describe('GatewayClient', () => {
	test('connects with the protocol 4 handshake and calls health', async () => {
		const client = new GatewayClient({url: gw.url, token: testToken});
		const hello = await client.connect();
		assert.equal(hello.protocol, 4);
		assert.equal(client.state, 'connected');
		const health = await client.request('health');
		assert.equal(health.ok, true);
		await client.close();
		assert.equal(client.state, 'closed');
	});

	test('fails at once, naming the URL, when nothing listens', async () => {
		const port = await freePort();
		const client = new GatewayClient({url: `ws://127.0.0.1:${port}`, token: testToken});
		const started = performance.now();
		await assert.rejects(client.connect(), (error: GatewayConnectError) => {
			assert.equal(error.kind, 'unreachable');
			assert.match(error.message, new RegExp(`Gateway not reachable at ws://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
			return true;
		});
		assert.ok(performance.now() - started < 1000);
	});

	test('a wrong token is an auth failure with the fix, and is not retried', async () => {
		const client = new GatewayClient({url: gw.url, token: 'nope', reconnect: {initialMs: 50}});
		await assert.rejects(client.connect(), (error: GatewayConnectError) => {
			assert.equal(error.kind, 'auth');
			assert.match(error.message, /^unauthorized: gateway token mismatch/);
			assert.match(error.message, /--token or OPENCLAW_GATEWAY_TOKEN/);
			return true;
		});
		assert.equal(client.state, 'auth-failed');
		await client.close();
	});

	test('expectFinal skips the accepted answer and resolves with the final one', async () => {
		const client = new GatewayClient({url: gw.url, token: testToken});
		await client.connect();
		const accepted: unknown[] = [];
		const final = await client.request('test.twoStage', {delayMs: 50}, {expectFinal: true, onAccepted: (payload) => accepted.push(payload)});
		assert.deepEqual(accepted, [{runId: 'run-1', status: 'accepted'}]);
		assert.deepEqual(final, {runId: 'run-1', status: 'ok', summary: 'completed'});
		const first = await client.request('test.twoStage', {delayMs: 50});
		assert.deepEqual(first, {runId: 'run-1', status: 'accepted'}, 'without expectFinal the first answer resolves');
		await client.close();
	});

	test('method errors reject with the gateway error code', async () => {
		const client = new GatewayClient({url: gw.url, token: testToken});
		await client.connect();
		await assert.rejects(client.request('gateway.restart.request', {}), {code: 'FORBIDDEN', message: 'missing scope: operator.admin'});
		await client.close();
	});

	test('reconnects after an in-process restart and sees the shutdown event first', async () => {
		const local = await startTestGateway();
		const port = local.port;
		const client = new GatewayClient({url: local.url, token: testToken, reconnect: {initialMs: 100, maxMs: 300}});
		await client.connect();
		const shutdown = new Promise((resolve) => client.once('shutdown', resolve));
		const states: string[] = [];
		client.on('state', (state) => states.push(state));
		await local.server.stop({restart: true, reason: 'test restart'});
		assert.deepEqual(await shutdown, {reason: 'test restart', restartExpectedMs: 1500});
		const next = await startTestGateway({port});
		try {
			const deadline = Date.now() + 10_000;
			while (client.state !== 'connected' && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 50));
			}

			assert.equal(client.state, 'connected');
			assert.ok(states.includes('reconnecting'));
			assert.equal((await client.request('health')).ok, true);
		} finally {
			await client.close();
			await next.stop();
		}
	});
	test('an announced restart is awaited at a fast cadence, not on the slow backoff grown while the gateway was down', async () => {
		const local = await startTestGateway();
		const port = local.port;
		// A backoff that would wait 8 s and more between attempts: only the announced restart can make it faster.
		const client = new GatewayClient({url: local.url, token: testToken, reconnect: {initialMs: 8000, maxMs: 30_000, jitter: 0}});
		await client.connect();
		await local.server.stop({restart: true, reason: 'test restart'});
		// Down for about a second (several attempts fail meanwhile), then back on the same port.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const back = Date.now();
		const next = await startTestGateway({port});
		try {
			const deadline = Date.now() + 6000;
			while (client.state !== 'connected' && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}

			assert.equal(client.state, 'connected');
			assert.ok(Date.now() - back < 2000, `reconnected ${Date.now() - back} ms after the port answered`);
		} finally {
			await client.close();
			await next.stop();
		}
	});
});

describe('seq gaps', () => {
	test('a gap is reported and health + presence are re-read', async () => {
		const port = await freePort();
		const wss = new WebSocketServer({port, host: '127.0.0.1'});
		const calls: string[] = [];
		wss.on('connection', (ws) => {
			ws.send(JSON.stringify({type: 'event', event: 'connect.challenge', payload: {nonce: 'n', ts: Date.now()}}));
			ws.on('message', (data) => {
				const frame = JSON.parse(data.toString());
				if (frame.method === 'connect') {
					ws.send(JSON.stringify({type: 'res', id: frame.id, ok: true, payload: {type: 'hello-ok', protocol: 4, policy: {tickIntervalMs: 30_000}}}));
					for (const seq of [1, 2, 5]) {
						ws.send(JSON.stringify({type: 'event', event: 'tick', payload: {ts: Date.now()}, seq}));
					}

					return;
				}

				calls.push(frame.method);
				ws.send(JSON.stringify({type: 'res', id: frame.id, ok: true, payload: frame.method === 'health' ? {ok: true} : []}));
			});
		});
		const client = new GatewayClient({url: `ws://127.0.0.1:${port}`, token: 't'});
		const gap = new Promise((resolve) => client.once('gap', resolve));
		const resync = new Promise((resolve) => client.once('resync', resolve));
		await client.connect();
		assert.deepEqual(await gap, {expected: 3, received: 5});
		assert.deepEqual(await resync, {health: {ok: true}, presence: []});
		assert.deepEqual(calls.sort(), ['health', 'system-presence']);
		await client.close();
		wss.close();
	});
});

describe('backoff', () => {
	test('grows exponentially, is capped, and is jittered within the upper half', () => {
		const policy = {initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5};
		assert.equal(backoffDelay(1, policy, 0.999_999), 1000);
		assert.equal(backoffDelay(1, policy, 0), 500);
		assert.equal(backoffDelay(3, policy, 0.999_999), 4000);
		assert.equal(backoffDelay(20, policy, 0.999_999), 30_000);
		assert.equal(backoffDelay(20, policy, 0), 15_000);
	});

	test('reconnectDelay: the gateway\'s retryAfterMs and an announced restart set the pace', () => {
		const policy = {initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0};
		assert.equal(reconnectDelay({attempt: 5, policy, restartAwaited: false}, 0.5), 16_000);
		assert.equal(reconnectDelay({attempt: 5, policy, retryAfterMs: 500, restartAwaited: false}, 0.5), 16_000);
		assert.equal(reconnectDelay({attempt: 1, policy, retryAfterMs: 2500, restartAwaited: false}, 0.5), 2500);
		assert.equal(reconnectDelay({attempt: 5, policy, restartAwaited: true}, 0.5), awaitedRestartRetryMs);
		assert.equal(reconnectDelay({attempt: 5, policy, retryAfterMs: 500, restartAwaited: true}, 0.5), 500);
	});
});
