// Gateway faults: a client that stops reading is closed at maxBufferedBytes while others are unaffected, and a stop
// under load tells every client `shutdown` before closing and answers every accepted request (result or error).
import assert from 'node:assert/strict';
import type {Socket} from 'node:net';
import {describe, test} from 'node:test';
import {GatewayError, errorCodes} from '../source/protocol/index.js';
import {Logger, type LogRecord} from '../gateway/logger.js';
import {defineUnmappedMethod} from '../gateway/methods/types.js';
import {authedSocket, startTestGateway, type RawSocket} from './helpers/gateway.js';

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('slow consumer', () => {
	test('a client that does not read is closed at maxBufferedBytes (1008 "slow consumer"); other clients get every event', async () => {
		const records: LogRecord[] = [];
		const maxBufferedBytes = 256 * 1024;
		const gw = await startTestGateway({maxBufferedBytes, logger: new Logger({level: 'debug', sinks: [(_line, record) => records.push(record)]})});
		try {
			const fast = await authedSocket(gw.url);
			const slow = await authedSocket(gw.url);
			const slowConnId = slow.frames[0]?.payload?.nonce ? slow.frames.find((frame) => frame.type === 'res').payload.server.connId : '';
			(slow.ws as unknown as {_socket: Socket})._socket.pause();

			const chunk = 'x'.repeat(64 * 1024);
			let sent = 0;
			// Bounded: kernel buffers take a few MiB before bufferedAmount grows; 600 x 64 KiB is far more than that.
			while (sent < 600 && gw.server.presence.list().some((entry) => entry.connId === slowConnId)) {
				gw.server.broadcast('test.flood', {n: sent, chunk});
				sent++;
				if (sent % 2 === 0) {
					// Pace the flood to the fast client (2 x 64 KiB < maxBufferedBytes), so on a loaded machine only the
					// client that stopped reading can fall behind.
					const target = sent;
					await until(() => fast.frames.filter((frame) => frame.event === 'test.flood').length >= target, `the fast client to read ${target} events`);
				}
			}

			await until(() => records.some((record) => record.message === 'closing slow consumer'), 'the slow consumer to be closed');
			const closing = records.find((record) => record.message === 'closing slow consumer')!;
			assert.equal(closing.fields?.connId, slowConnId);
			assert.ok(Number(closing.fields?.buffered) > maxBufferedBytes);
			await until(() => !gw.server.presence.list().some((entry) => entry.connId === slowConnId), 'presence to drop it', 5000);

			// The fast client got every flood event, in order, and is still served.
			await until(() => fast.frames.filter((frame) => frame.event === 'test.flood').length === sent, `all ${sent} events on the fast client`);
			const seqs = fast.frames.filter((frame) => frame.event === 'test.flood').map((frame) => frame.seq);
			assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
			assert.equal((await fast.call('health')).ok, true);
			assert.equal(fast.closed, undefined);

			// Once it reads again, the slow client finds its socket closed with the documented code (or cut after the grace).
			(slow.ws as unknown as {_socket: Socket})._socket.resume();
			const closed = await slow.closedWith(10_000);
			assert.ok(closed.code === 1008 || closed.code === 1006, `closed ${closed.code}`);
			if (closed.code === 1008) {
				assert.equal(closed.reason, 'slow consumer');
			}

			fast.close();
		} finally {
			await gw.stop();
		}
	});
});

describe('graceful shutdown under load', () => {
	const slowMethod = defineUnmappedMethod({
		name: 'test.slow',
		scope: 'operator.read',
		async handler(params: unknown) {
			const ms = (params as {ms?: number}).ms ?? 100;
			await new Promise((resolve) => setTimeout(resolve, ms));
			if ((params as {fail?: boolean}).fail) {
				throw new GatewayError({code: errorCodes.invalidRequest, message: 'asked to fail'});
			}

			return {sleptMs: ms};
		},
	});

	for (const restart of [false, true]) {
		test(`${restart ? 'restart' : 'stop'} while 20 clients send requests: shutdown before close, every request answered`, async () => {
			const gw = await startTestGateway({methods: [slowMethod]});
			const clients: RawSocket[] = await Promise.all(Array.from({length: 20}, async () => authedSocket(gw.url)));
			const sent = new Map<RawSocket, string[]>();
			const loops = clients.map(async (client, index) => {
				const ids: string[] = [];
				sent.set(client, ids);
				// Each client keeps 4 requests in flight (fast, slow, one beyond the stop grace, failing) until it hears `shutdown`.
				for (let round = 0; round < 200 && !client.closed; round++) {
					if (client.frames.some((frame) => frame.event === 'shutdown')) {
						break;
					}

					const batch = [
						['health', {}],
						['test.slow', {ms: 50 + (index % 5) * 40}],
						['test.slow', {ms: round === 2 ? 3000 : 30, fail: round % 3 === 0}],
						['status', {}],
					] as const;
					const roundIds = batch.map(([method, params], position) => {
						const id = `${index}-${round}-${position}`;
						client.send({type: 'req', id, method, params});
						ids.push(id);
						return id;
					});
					// The 3 s request is left running (it outlives the stop's grace); the rest are awaited.
					const awaited = round === 2 ? roundIds.filter((_id, position) => position !== 2) : roundIds;
					await Promise.all(awaited.map(async (id) => client.response(id, 10_000).catch(() => undefined)));
				}
			});

			await until(() => [...sent.values()].every((ids) => ids.length >= 12), 'load on every client');
			await gw.server.stop(restart ? {restart: true, restartExpectedMs: 500} : {});
			await Promise.all(clients.map(async (client) => client.closedWith(5000)));
			await Promise.all(loops);

			let answered = 0;
			let errors = 0;
			for (const client of clients) {
				const shutdownIndex = client.frames.findIndex((frame) => frame.event === 'shutdown');
				assert.ok(shutdownIndex >= 0, 'every client got shutdown');
				assert.equal(client.closed?.code, restart ? 1012 : 1001);
				if (restart) {
					assert.equal(client.frames[shutdownIndex].payload.restartExpectedMs, 500);
				}

				const responses = new Map(client.frames.filter((frame) => frame.type === 'res').map((frame) => [frame.id, frame]));
				for (const id of sent.get(client)!) {
					const res = responses.get(id);
					assert.ok(res, `request ${id} was dropped without an answer`);
					answered++;
					if (!res.ok) {
						errors++;
						assert.equal(typeof res.error.message, 'string');
					}
				}
			}

			console.log(`shutdown under load (${restart ? 'restart' : 'stop'}): ${answered} requests, all answered (${errors} with an error)`);
			await gw.stop();
		});
	}
});
