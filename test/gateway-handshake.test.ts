// Protocol 4 handshake and frame rules, against a real gateway on a loopback port.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {authedSocket, RawSocket, startTestGateway, testToken, type TestGateway} from './helpers/gateway.js';

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway();
});
after(async () => {
	await gw.stop();
});

describe('handshake', () => {
	test('sends connect.challenge with a nonce and ts on open, without seq', async () => {
		const socket = new RawSocket(gw.url);
		const challenge = await socket.event('connect.challenge');
		assert.equal(typeof challenge.payload.nonce, 'string');
		assert.ok(Number.isInteger(challenge.payload.ts));
		assert.deepEqual(challenge.payload.capabilities, [], 'the field OpenClaw sends; no connect-time extras are offered');
		assert.equal(challenge.seq, undefined);
		socket.close();
	});

	test('connect answers hello-ok with protocol, server, features, snapshot, auth and policy', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect();
		assert.equal(res.ok, true);
		const hello = res.payload;
		assert.equal(hello.type, 'hello-ok');
		assert.equal(hello.protocol, 4);
		assert.equal(typeof hello.server.version, 'string');
		assert.equal(typeof hello.server.connId, 'string');
		assert.ok(hello.features.methods.includes('health'));
		assert.ok(hello.features.events.includes('shutdown'));
		assert.ok(Array.isArray(hello.snapshot.presence));
		assert.deepEqual(Object.keys(hello.snapshot.stateVersion).sort(), ['health', 'presence']);
		// What OpenClaw's CLI needs from a hello: the capability `models list` requires, and how sessions are keyed.
		assert.deepEqual(hello.features.capabilities, ['published-model-catalog']);
		assert.ok(hello.features.methods.includes('models.list'));
		assert.deepEqual(hello.snapshot.sessionDefaults, {
			defaultAgentId: 'main',
			modelConfigured: false,
			ownership: 'sole',
			selectionRequired: false,
			mainKey: 'main',
			mainSessionKey: 'agent:main:main',
			scope: 'per-sender',
		});
		assert.deepEqual(hello.snapshot.updateSchedule, {channel: 'stable', autoEnabled: false});
		const self = hello.snapshot.presence[0];
		assert.deepEqual([self.mode, self.reason, self.version], ['gateway', 'self', hello.server.version]);
		assert.match(self.text, /^Gateway: \S+ .*· app \S+ · mode gateway · reason self$/);
		assert.ok(hello.snapshot.uptimeMs >= 0);
		assert.deepEqual(hello.auth, {role: 'operator', scopes: ['operator.read'], method: 'token'});
		assert.deepEqual(hello.policy, {maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs: 30_000});
		socket.close();
	});

	test('a non-connect first request gets INVALID_REQUEST and close 1008', async () => {
		const socket = new RawSocket(gw.url);
		await socket.opened;
		socket.send({type: 'req', id: 'e1', method: 'health', params: {}});
		const res = await socket.response('e1');
		assert.equal(res.ok, false);
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.equal(res.error.message, 'invalid handshake: first request must be connect');
		assert.deepEqual(await socket.closedWith(), {code: 1008, reason: 'invalid handshake: first request must be connect'});
	});

	test('invalid JSON before hello closes 1000 without an answer', async () => {
		const socket = new RawSocket(gw.url);
		await socket.opened;
		socket.send('this is {not json');
		assert.deepEqual(await socket.closedWith(), {code: 1000, reason: ''});
		assert.equal(socket.frames.filter((frame) => frame.type === 'res').length, 0);
	});

	test('JSON that is not a request frame closes 1008 "invalid request frame"', async () => {
		const socket = new RawSocket(gw.url);
		await socket.opened;
		socket.send({hello: 1});
		assert.deepEqual(await socket.closedWith(), {code: 1008, reason: 'invalid request frame'});
	});

	test('a binary first frame closes 1000', async () => {
		const socket = new RawSocket(gw.url);
		await socket.opened;
		socket.ws.send(Buffer.from([1, 2, 3, 4]));
		assert.equal((await socket.closedWith()).code, 1000);
	});

	test('wrong token: unauthorized with AUTH_TOKEN_MISMATCH, close 1008 with the message', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({auth: {token: 'wrong-token'}});
		assert.equal(res.ok, false);
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.match(res.error.message, /^unauthorized: gateway token mismatch/);
		assert.equal(res.error.details.code, 'AUTH_TOKEN_MISMATCH');
		const closed = await socket.closedWith();
		assert.equal(closed.code, 1008);
		assert.equal(closed.reason, res.error.message);
	});

	test('missing token: unauthorized with AUTH_TOKEN_MISSING', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({auth: undefined});
		assert.equal(res.error.details.code, 'AUTH_TOKEN_MISSING');
		assert.match(res.error.message, /^unauthorized/);
		assert.equal((await socket.closedWith()).code, 1008);
	});

	test('protocol mismatch: PROTOCOL_MISMATCH details and close 1002', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({minProtocol: 5, maxProtocol: 5});
		assert.equal(res.error.message, 'protocol mismatch');
		assert.equal(res.error.details.code, 'PROTOCOL_MISMATCH');
		assert.equal(res.error.details.expectedProtocol, 4);
		assert.deepEqual(await socket.closedWith(), {code: 1002, reason: 'protocol mismatch'});
	});

	test('probe mode may offer protocol 3..4 and is granted no scopes', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({minProtocol: 3, maxProtocol: 4, client: {id: 'cli', version: 'dev', platform: 'linux', mode: 'probe'}});
		assert.equal(res.ok, true);
		assert.deepEqual(res.payload.auth.scopes, []);
		const health = await socket.call('health');
		assert.equal(health.ok, true, 'health needs no scope');
		const presence = await socket.call('system-presence');
		assert.equal(presence.error.code, 'FORBIDDEN');
		assert.equal(presence.error.details.code, 'MISSING_SCOPE');
		socket.close();
	});

	test('invalid connect params name the missing property and close 1008', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({client: undefined});
		assert.equal(res.error.message, "invalid connect params: must have required property 'client'");
		assert.equal((await socket.closedWith()).reason, res.error.message);
	});

	test('an unknown client id fails validation', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({client: {id: 'bad-client', version: '1', platform: 'linux', mode: 'cli'}});
		assert.match(res.error.message, /^invalid connect params/);
	});

	test('connect sent before the challenge arrives is accepted', async () => {
		const socket = new RawSocket(gw.url);
		await socket.opened;
		socket.send({type: 'req', id: 'early', method: 'connect', params: {minProtocol: 4, maxProtocol: 4, client: {id: 'cli', version: '1', platform: 'linux', mode: 'cli'}, auth: {token: testToken}}});
		const res = await socket.response('early');
		assert.equal(res.ok, true);
		socket.close();
	});

	test('an oversize pre-auth frame closes 1009', async () => {
		const socket = new RawSocket(gw.url);
		await socket.opened;
		socket.send({type: 'req', id: 'big', method: 'connect', params: {pad: 'x'.repeat(70 * 1024)}});
		assert.equal((await socket.closedWith()).code, 1009);
	});

	test('after auth the frame limit is maxPayload, not 64 KiB', async () => {
		const socket = await authedSocket(gw.url);
		const res = await socket.call('health', {pad: 'x'.repeat(200 * 1024)});
		assert.equal(res.ok, true);
		socket.close();
	});

	test('a silent socket is closed after the handshake timeout', async () => {
		const quick = await startTestGateway({handshakeTimeoutMs: 300});
		try {
			const socket = new RawSocket(quick.url);
			const started = Date.now();
			const closed = await socket.closedWith(3000);
			assert.equal(closed.code, 1000);
			assert.ok(Date.now() - started >= 250);
		} finally {
			await quick.stop();
		}
	});
});

describe('frames after hello', () => {
	test('unknown method: admin gets "unknown method", read-only gets missing scope', async () => {
		const admin = await authedSocket(gw.url, {scopes: ['operator.admin']});
		const res = await admin.call('no.such.method');
		assert.deepEqual(res.error, {code: 'INVALID_REQUEST', message: 'unknown method: no.such.method'});
		admin.close();
		const reader = await authedSocket(gw.url);
		const denied = await reader.call('no.such.method');
		assert.equal(denied.error.code, 'FORBIDDEN');
		reader.close();
	});

	test('a read-scoped client cannot call admin methods', async () => {
		const reader = await authedSocket(gw.url);
		const res = await reader.call('gateway.restart.request', {});
		assert.equal(res.error.code, 'FORBIDDEN');
		assert.equal(res.error.message, 'missing scope: operator.admin');
		assert.deepEqual(res.error.details, {code: 'MISSING_SCOPE', missingScope: 'operator.admin', requiredScopes: ['operator.admin']});
		reader.close();
	});

	test('a frame without id is answered with id "invalid"; invalid JSON is ignored; the socket keeps working', async () => {
		const socket = await authedSocket(gw.url);
		socket.send({type: 'req', method: 'health'});
		const res = await socket.response('invalid');
		assert.equal(res.error.message, "invalid request frame: must have required property 'id'");
		socket.send('not json after auth');
		const health = await socket.call('health');
		assert.equal(health.ok, true);
		socket.close();
	});

	test('a second connect is refused and the socket stays open', async () => {
		const socket = await authedSocket(gw.url);
		const res = await socket.call('connect', {});
		assert.equal(res.error.message, 'connect is only valid as the first request');
		assert.equal((await socket.call('health')).ok, true);
		socket.close();
	});

	test('invalid params are named', async () => {
		const socket = await authedSocket(gw.url);
		const res = await socket.call('health', {probe: 'yes'});
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.match(res.error.message, /^invalid health params: at \/probe/);
		socket.close();
	});

	test('events carry a per-connection seq starting at 1; presence tracks clients', async () => {
		const watcher = await authedSocket(gw.url);
		const other = await authedSocket(gw.url, {client: {id: 'gateway-client', version: '2', platform: 'linux', mode: 'backend'}});
		const presence = await watcher.frame((frame) => frame.event === 'presence' && frame.payload.presence.some((entry: any) => entry.clientId === 'gateway-client'));
		assert.ok(presence.seq >= 1);
		assert.ok(presence.stateVersion.presence >= 1);
		const list = await watcher.call('system-presence');
		assert.ok(list.payload.some((entry: any) => entry.clientId === 'gateway-client' && entry.mode === 'backend'));
		other.close();
		watcher.close();
	});
});
