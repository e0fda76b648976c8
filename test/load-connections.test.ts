// Connection admission and liveness under load: the per-IP budget of unauthenticated sockets (503 past it, a slot
// frees on auth or close), a connection flood that does not starve authenticated clients, `tick` events every
// tickIntervalMs, and ping/pong keepalive that drops a peer that stops answering.
import assert from 'node:assert/strict';
import http from 'node:http';
import {describe, test} from 'node:test';
import {limits} from '../source/protocol/index.js';
import {authedSocket, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

/** A raw upgrade request, to read the refusal's status and body exactly. */
function upgrade(port: number): Promise<{status: number; body: string} | {upgraded: true; close(): void}> {
	return new Promise((resolve, reject) => {
		const request = http.request({
			host: '127.0.0.1',
			port,
			path: '/',
			headers: {Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=='},
		});
		request.on('upgrade', (_response, socket) => resolve({upgraded: true, close: () => socket.destroy()}));
		request.on('response', (response) => {
			let body = '';
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
		});
		request.on('error', reject);
		request.end();
	});
}

async function withGateway(options: Parameters<typeof startTestGateway>[0], fn: (gw: TestGateway) => Promise<void>): Promise<void> {
	const gw = await startTestGateway(options);
	try {
		await fn(gw);
	} finally {
		await gw.stop();
	}
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('pre-auth socket budget per IP', () => {
	test('past the budget: 503 "Too many unauthenticated sockets"; a slot frees on auth and on close', async () => {
		await withGateway({maxPreAuthSocketsPerIp: 3}, async (gw) => {
			const pending = Array.from({length: 3}, () => new RawSocket(gw.url));
			await Promise.all(pending.map(async (socket) => socket.opened));
			const refused = await upgrade(gw.port);
			assert.deepEqual(refused, {status: 503, body: 'Too many unauthenticated sockets'});

			// Authenticating one frees its slot.
			assert.equal((await pending[0].connect()).ok, true);
			const fourth = new RawSocket(gw.url);
			await fourth.opened;
			assert.equal(((await upgrade(gw.port)) as {status: number}).status, 503);

			// Closing one frees its slot too.
			pending[1].close();
			await pending[1].closedWith();
			await until(async () => {
				const attempt = await upgrade(gw.port);
				if ('upgraded' in attempt) {
					attempt.close();
					return true;
				}

				return false;
			}, 'a freed pre-auth slot');
			for (const socket of [...pending, fourth]) {
				socket.close();
			}
		});
	});

	test('the budget comes from gateway.maxPreAuthSocketsPerIp in the config', async () => {
		const config = {path: '/dev/null', exists: true, raw: '', hash: 'x', config: {gateway: {maxPreAuthSocketsPerIp: 1}}};
		await withGateway({config}, async (gw) => {
			const first = new RawSocket(gw.url);
			await first.opened;
			assert.equal(((await upgrade(gw.port)) as {status: number}).status, 503);
			first.close();
		});
	});
});

describe('connection flood', () => {
	test('a flood of unauthenticated sockets is capped, and an authenticated client keeps getting answers', async () => {
		await withGateway({maxPreAuthSocketsPerIp: 16}, async (gw) => {
			const client = await authedSocket(gw.url);
			const flood = Array.from({length: 200}, () => new RawSocket(gw.url));
			const outcomes = await Promise.allSettled(flood.map(async (socket) => socket.opened));
			const opened = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
			const refused = outcomes.filter((outcome) => outcome.status === 'rejected' && /HTTP 503/.test(String(outcome.reason))).length;
			assert.ok(opened <= 16, `opened ${opened}`);
			assert.equal(opened + refused, 200);

			const started = Date.now();
			for (let index = 0; index < 20; index++) {
				assert.equal((await client.call('health')).ok, true);
			}

			assert.ok(Date.now() - started < 5000);
			for (const socket of flood) {
				socket.close();
			}

			// Once the flood is gone, new clients get in.
			await until(async () => {
				try {
					(await authedSocket(gw.url)).close();
					return true;
				} catch {
					return false;
				}
			}, 'admission after the flood');
			client.close();
		});
	});
});

describe('status counts connections, not presence entries', () => {
	test('with more authenticated clients than presence keeps, status.connections.authenticated counts them all', async () => {
		const count = limits.presenceMaxEntries + 40;
		await withGateway({maxPreAuthSocketsPerIp: count + 10}, async (gw) => {
			const clients: RawSocket[] = [];
			try {
				// In batches: a burst of hundreds of handshakes at once is a load test of its own.
				for (let index = 0; index < count; index += 40) {
					clients.push(...(await Promise.all(Array.from({length: Math.min(40, count - index)}, async () => authedSocket(gw.url)))));
				}

				const status = await clients[0].call('status');
				assert.equal(status.payload.connections.authenticated, count);
				assert.equal(status.payload.connections.total, count);
			} finally {
				for (const socket of clients) {
					socket.close();
				}
			}
		});
	});
});

describe('presence under a connect burst', () => {
	test('50 clients connecting at once: presence broadcasts are coalesced and the last one lists everyone', async () => {
		await withGateway({}, async (gw) => {
			const watcher = await authedSocket(gw.url);
			const burst = await Promise.all(Array.from({length: 50}, async () => authedSocket(gw.url)));
			const presenceEvents = () => watcher.frames.filter((frame) => frame.event === 'presence');
			await until(() => presenceEvents().at(-1)?.payload.presence.length === 51, 'a presence event listing all 51 clients');
			assert.ok(presenceEvents().length < 25, `${presenceEvents().length} presence events for 50 connects`);
			const versions = presenceEvents().map((frame) => frame.stateVersion.presence);
			assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'stateVersion.presence only grows');
			for (const socket of [watcher, ...burst]) {
				socket.close();
			}
		});
	});
});

describe('tick and keepalive', () => {
	test('tick events arrive every tickIntervalMs with increasing seq', async () => {
		await withGateway({tickIntervalMs: 100}, async (gw) => {
			const client = await authedSocket(gw.url);
			const hello = client.frames.find((frame) => frame.type === 'res');
			assert.equal(hello.payload.policy.tickIntervalMs, 100);
			await until(() => client.frames.filter((frame) => frame.event === 'tick').length >= 4, '4 ticks', 5000);
			const ticks = client.frames.filter((frame) => frame.event === 'tick');
			for (let index = 1; index < ticks.length; index++) {
				assert.ok(ticks[index].seq > ticks[index - 1].seq);
				assert.ok(ticks[index].payload.ts >= ticks[index - 1].payload.ts);
			}

			client.close();
		});
	});

	test('a peer that stops answering pings is dropped; one that answers stays', async () => {
		await withGateway({pingIntervalMs: 100}, async (gw) => {
			const healthy = await authedSocket(gw.url);
			const dead = new RawSocket(gw.url, {autoPong: false});
			const hello = await dead.connect();
			assert.equal(hello.ok, true);
			const deadConnId = hello.payload.server.connId as string;
			const closed = await dead.closedWith(5000);
			assert.equal(closed.code, 1006, 'terminated without a close frame');
			await until(
				() => !gw.server.presence.list().some((entry) => entry.connId === deadConnId),
				'presence to drop the dead peer',
			);
			assert.equal(healthy.closed, undefined);
			assert.equal((await healthy.call('health')).ok, true);
			healthy.close();
		});
	});
});

