// The socket Discord and Slack keep open (gateway/channels/reconnecting-socket.ts), against a real ws server on
// loopback: a refused URL and a dropped socket are retried after the backoff, a fatal close code is not, a wait the
// service names replaces the backoff, the logged reason never carries the secret, and stop() leaves nothing retrying.
// The channel hears of every retry and of giving up (a fatal close, or a URL refused for good), with secrets masked.
import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import {after, before, test} from 'node:test';
import {WebSocketServer, type WebSocket} from 'ws';
import {Logger} from '../gateway/logger.js';
import {reconnectingSocket, RefusedForGood} from '../gateway/channels/reconnecting-socket.js';

const secret = 'xapp-secret-123';
let server: WebSocketServer;
let url: string;
const opened: WebSocket[] = [];

before(async () => {
	server = new WebSocketServer({host: '127.0.0.1', port: 0});
	await new Promise((resolve) => server.once('listening', resolve));
	url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
	server.on('connection', (ws) => opened.push(ws));
});

after(() => {
	server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForConnections(count: number, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (opened.length < count && Date.now() < deadline) {
		await sleep(20);
	}
}

function harness(options: {fatal?: number; failFirstUrl?: boolean; refuseUrl?: boolean} = {}) {
	const lines: string[] = [];
	const retries: string[] = [];
	const gaveUp: string[] = [];
	let urlCalls = 0;
	let drops = 0;
	const connection = reconnectingSocket({
		channel: 'test',
		label: 'test socket',
		logger: new Logger({level: 'debug', sinks: [(line) => lines.push(line)]}),
		secrets: [secret],
		async resolveUrl() {
			urlCalls++;
			if (options.refuseUrl) {
				throw new RefusedForGood(`service refused token ${secret} for good`);
			}

			if (options.failFirstUrl && urlCalls === 1) {
				throw new Error(`service refused token ${secret}`);
			}

			return url;
		},
		attach() {},
		onDrop() {
			drops++;
		},
		onServerClose: (code) => (code === options.fatal ? `refused with ${code}` : undefined),
		onRetry: (why) => retries.push(why),
		onGiveUp: (why) => gaveUp.push(why),
	});
	return {connection, lines, retries, gaveUp, calls: () => urlCalls, drops: () => drops};
}

test('a dropped socket is opened again after the backoff; a refused URL too, its reason logged without the secret', {timeout: 15_000}, async () => {
	opened.length = 0;
	const {connection, lines, calls, retries, gaveUp} = harness({failFirstUrl: true});
	connection.start();
	await waitForConnections(1, 4000);
	assert.equal(opened.length, 1, 'connected after the refused first URL');
	assert.equal(calls(), 2);
	assert.ok(lines.some((line) => line.includes('service refused token')), lines.join('\n'));
	assert.ok(!lines.some((line) => line.includes(secret)), `the secret is masked:\n${lines.join('\n')}`);
	opened[0]!.close(4000, 'going away');
	await waitForConnections(2, 4000);
	assert.equal(opened.length, 2, 'a new socket after the drop');
	assert.deepEqual(retries, ['service refused token ***', 'socket closed (4000)'], 'the channel heard of each retry, the secret masked');
	assert.deepEqual(gaveUp, []);
	connection.stop();
	await sleep(1500);
	assert.equal(opened.length, 2, 'nothing retries after stop()');
});

test('a fatal close code is not retried', {timeout: 15_000}, async () => {
	opened.length = 0;
	const {connection, calls, drops, gaveUp} = harness({fatal: 4004});
	connection.start();
	await waitForConnections(1, 4000);
	opened[0]!.close(4004, 'authentication failed');
	await sleep(2500); // longer than the first backoff (1 s) and the second (2 s) would be
	assert.equal(opened.length, 1);
	assert.equal(calls(), 1);
	assert.ok(drops() >= 1, 'the channel was told the socket is gone (its heartbeat stops)');
	assert.deepEqual(gaveUp, ['refused with 4004'], 'the channel was told why, once');
	connection.stop();
});

test('a URL refused for good is not retried, and the channel is told why, without the secret', {timeout: 15_000}, async () => {
	opened.length = 0;
	const {connection, calls, retries, gaveUp} = harness({refuseUrl: true});
	connection.start();
	await sleep(1500); // longer than the first backoff (1 s)
	assert.equal(calls(), 1);
	assert.equal(opened.length, 0);
	assert.deepEqual(retries, []);
	assert.equal(gaveUp.length, 1);
	assert.match(gaveUp[0]!, /service refused token .* for good/);
	assert.ok(!gaveUp[0]!.includes(secret), gaveUp[0]);
	connection.stop();
});

test('a reconnect with a wait the service names uses that wait, not the backoff', {timeout: 15_000}, async () => {
	opened.length = 0;
	const {connection, lines} = harness();
	connection.start();
	await waitForConnections(1, 4000);
	const askedAt = Date.now();
	connection.reconnectLater('resume at once', 0);
	await waitForConnections(2, 4000);
	assert.equal(opened.length, 2);
	assert.ok(Date.now() - askedAt < 900, 'sooner than the first backoff (1 s)');
	assert.ok(lines.some((line) => line.includes('"retryInMs":0')), lines.join('\n'));
	connection.stop();
});
