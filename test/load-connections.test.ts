// Connection admission and liveness under load: the per-IP budget of unauthenticated sockets (past it the oldest
// idle one is closed so the newest can authenticate), a connection flood that does not starve authenticated clients, `tick` events every
// tickIntervalMs, and ping/pong keepalive that drops a peer that stops answering.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {limits} from '../source/protocol/index.js';
import {authedSocket, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

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
	test('past the budget the oldest unauthenticated socket is closed (1013) and the newest admitted; authenticated ones are never touched', async () => {
		await withGateway({maxPreAuthSocketsPerIp: 3}, async (gw) => {
			const pending = Array.from({length: 3}, () => new RawSocket(gw.url));
			for (const socket of pending) {
				await socket.event('connect.challenge');
			}

			// Authenticating one frees its slot: the next socket evicts nobody.
			assert.equal((await pending[0].connect()).ok, true);
			const fourth = new RawSocket(gw.url);
			await fourth.event('connect.challenge');
			assert.equal(pending[1].closed, undefined);

			// Now full (1, 2, 4 pending): a fifth closes the oldest, pending[1], and is admitted itself.
			const fifth = new RawSocket(gw.url);
			assert.equal((await fifth.connect()).ok, true);
			assert.deepEqual(await pending[1].closedWith(), {code: 1013, reason: 'Too many unauthenticated sockets'});
			assert.equal(pending[2].closed, undefined);
			assert.equal(pending[0].closed, undefined, 'the authenticated socket stays');
			for (const socket of [...pending, fourth, fifth]) {
				socket.close();
			}
		});
	});

	test('the budget comes from gateway.maxPreAuthSocketsPerIp in the config', async () => {
		const config = {path: '/dev/null', exists: true, raw: '', hash: 'x', config: {gateway: {maxPreAuthSocketsPerIp: 1}}};
		await withGateway({config}, async (gw) => {
			const first = new RawSocket(gw.url);
			await first.opened;
			const second = new RawSocket(gw.url);
			await second.opened;
			assert.equal((await first.closedWith()).code, 1013);
			second.close();
		});
	});
});

describe('connection flood', () => {
	test('a flood of unauthenticated sockets is capped, and an authenticated client keeps getting answers', async () => {
		await withGateway({maxPreAuthSocketsPerIp: 16}, async (gw) => {
			const client = await authedSocket(gw.url);
			const flood = Array.from({length: 200}, () => new RawSocket(gw.url));
			await Promise.allSettled(flood.map(async (socket) => socket.opened));
			await until(() => flood.filter((socket) => socket.closed === undefined).length <= 16, 'the flood to be cut to the budget');
			assert.ok(flood.filter((socket) => socket.closed?.code === 1013).length >= 184);

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
			await until(() => presenceEvents().at(-1)?.payload.presence.length === 52, 'a presence event listing the gateway and all 51 clients');
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

