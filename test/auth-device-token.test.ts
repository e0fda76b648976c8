// Device identity with pairing and device tokens (issue 11 part 4): a signed device that is not paired is refused
// from anywhere but a direct loopback connection and waits as a request (`device.pair.requested` to operators);
// once approved its next connect gets `hello-ok.auth.deviceToken`, kept only as a hash in the state dir; with that
// token and its signature it connects without the shared secret (auth.method "device-token"); a wrong or revoked
// token is refused (AUTH_DEVICE_TOKEN_MISMATCH); revoking or rejecting closes its open sockets (4001). Real
// Ed25519 keys (node:crypto), real sockets, an in-process gateway.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {authedSocket, emptyConfig, startTestGateway, type TestGateway} from './helpers/gateway.js';
import {connectAsDevice, newDevice} from './helpers/device.js';

// Through a proxy on this host: the socket is loopback but the client is elsewhere, so no silent pairing.
const remote = {headers: {'X-Forwarded-For': '198.51.100.20'}};
const operator = {client: {id: 'openclaw-macos', version: '1', platform: 'darwin', mode: 'ui'}, scopes: ['operator.read', 'operator.write']};

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway();
});
after(async () => gw.stop());

async function admin() {
	return authedSocket(gw.url, {scopes: ['operator.admin']});
}

/** Pair `keys` the way an operator does: refused connect → request → device.pair.approve. */
async function pairRemotely(keys = newDevice()) {
	const refused = await connectAsDevice(gw.url, keys, operator, remote);
	const requestId = refused.res.error.details.requestId as string;
	const socket = await admin();
	assert.equal((await socket.call('device.pair.approve', {requestId})).ok, true);
	socket.close();
	return keys;
}

describe('pairing a new device', () => {
	test('from elsewhere: NOT_PAIRED "pairing required", close 1008 naming the request, device.pair.requested to operators', async () => {
		const watcher = await admin();
		const keys = newDevice();
		const {socket, res} = await connectAsDevice(gw.url, keys, operator, remote);
		assert.equal(res.ok, false);
		assert.equal(res.error.code, 'NOT_PAIRED');
		assert.equal(res.error.message, 'pairing required');
		assert.equal(res.error.details.code, 'PAIRING_REQUIRED');
		assert.equal(res.error.details.reason, 'not-paired');
		assert.equal(res.error.details.deviceId, keys.id);
		const closed = await socket.closedWith();
		assert.equal(closed.code, 1008);
		assert.equal(closed.reason, `pairing required (requestId: ${res.error.details.requestId})`);
		const event = await watcher.event('device.pair.requested');
		assert.equal(event.payload.requestId, res.error.details.requestId);
		assert.equal(event.payload.deviceId, keys.id);
		watcher.close();
	});

	test('on a direct loopback connection: paired silently, and the first hello-ok carries a device token', async () => {
		const {socket, res} = await connectAsDevice(gw.url, newDevice(), operator);
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.equal(res.payload.auth.method, 'token');
		assert.match(res.payload.auth.deviceToken, /^[\w-]{43}$/);
		assert.equal(typeof res.payload.auth.issuedAtMs, 'number');
		socket.close();
	});

	test('gateway.nodes.pairing.autoApproveLocal: false makes a loopback device wait for approval too', async () => {
		const strict = await startTestGateway({
			config: {...emptyConfig('/nonexistent/openclaw.json'), config: {gateway: {nodes: {pairing: {autoApproveLocal: false}}}}},
		});
		try {
			const {res} = await connectAsDevice(strict.url, newDevice(), operator);
			assert.equal(res.ok, false);
			assert.equal(res.error.details.code, 'PAIRING_REQUIRED');
		} finally {
			await strict.stop();
		}
	});
});

describe('device tokens', () => {
	test('after approval the next connect gets a token; the state dir keeps only its SHA-256', async () => {
		const keys = await pairRemotely();
		const {socket, res} = await connectAsDevice(gw.url, keys, operator, remote);
		assert.equal(res.ok, true, JSON.stringify(res.error));
		const token = res.payload.auth.deviceToken as string;
		assert.match(token, /^[\w-]{43}$/);
		await gw.server.devices.flushed();
		const stored = await readFile(path.join(gw.stateDir, 'devices', 'pairing.json'), 'utf8');
		assert.equal(stored.includes(token), false, 'the token itself is never written');
		assert.ok(stored.includes(createHash('sha256').update(token).digest('hex')));
		// A second connect with the shared secret does not mint another: the client keeps the one it has.
		const again = await connectAsDevice(gw.url, keys, operator, remote);
		assert.equal(again.res.payload.auth.deviceToken, undefined);
		socket.close();
		again.socket.close();
	});

	test('token + signed device, no shared secret: auth.method "device-token" with the approved scopes', async () => {
		const keys = await pairRemotely();
		const first = await connectAsDevice(gw.url, keys, operator, remote);
		const token = first.res.payload.auth.deviceToken as string;
		first.socket.close();
		const asked = {...operator, scopes: ['operator.read', 'operator.write', 'operator.admin'], auth: {deviceToken: token}};
		const {socket, res} = await connectAsDevice(gw.url, keys, asked, remote);
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.equal(res.payload.auth.method, 'device-token');
		assert.deepEqual(res.payload.auth.scopes, ['operator.read', 'operator.write'], 'never more than was approved');
		assert.equal(res.payload.auth.deviceToken, undefined);
		socket.close();
		// openclaw-node sends its stored device token as auth.token: that works too.
		const node = await connectAsDevice(gw.url, keys, {...operator, auth: {token}}, remote);
		assert.equal(node.res.payload.auth.method, 'device-token');
		node.socket.close();
	});

	test('a wrong token, or another device\'s token, is refused: AUTH_DEVICE_TOKEN_MISMATCH, close 1008', async () => {
		const keys = await pairRemotely();
		const first = await connectAsDevice(gw.url, keys, operator, remote);
		const token = first.res.payload.auth.deviceToken as string;
		first.socket.close();
		const wrong = await connectAsDevice(gw.url, keys, {...operator, auth: {deviceToken: `${token.slice(0, -2)}xx`}}, remote);
		assert.equal(wrong.res.ok, false);
		assert.equal(wrong.res.error.code, 'INVALID_REQUEST');
		assert.equal(wrong.res.error.details.code, 'AUTH_DEVICE_TOKEN_MISMATCH');
		assert.equal(wrong.res.error.message, 'unauthorized: device token mismatch (rotate/reissue device token)');
		assert.equal((await wrong.socket.closedWith()).code, 1008);
		const other = await pairRemotely();
		const stolen = await connectAsDevice(gw.url, other, {...operator, auth: {deviceToken: token}}, remote);
		assert.equal(stolen.res.error.details.code, 'AUTH_DEVICE_TOKEN_MISMATCH');
	});

	test('device.token.revoke closes the device\'s open sockets (4001) and the token stops working', async () => {
		const keys = await pairRemotely();
		const first = await connectAsDevice(gw.url, keys, operator, remote);
		const token = first.res.payload.auth.deviceToken as string;
		const connected = await connectAsDevice(gw.url, keys, {...operator, auth: {deviceToken: token}}, remote);
		assert.equal(connected.res.ok, true);
		const socket = await admin();
		const listed = await socket.call('device.pair.list');
		const entry = listed.payload.paired.find((device: any) => device.deviceId === keys.id);
		assert.equal(entry.tokens[0].role, 'operator');
		assert.equal(JSON.stringify(listed.payload).includes(createHash('sha256').update(token).digest('hex')), false, 'hashes stay in the file');

		const revoked = await socket.call('device.token.revoke', {deviceId: keys.id, role: 'operator'});
		assert.equal(revoked.ok, true, JSON.stringify(revoked.error));
		assert.equal(typeof revoked.payload.revokedAtMs, 'number');
		assert.deepEqual(await connected.socket.closedWith(), {code: 4001, reason: 'device removed'});
		assert.deepEqual(await first.socket.closedWith(), {code: 4001, reason: 'device removed'});
		const refused = await connectAsDevice(gw.url, keys, {...operator, auth: {deviceToken: token}}, remote);
		assert.equal(refused.res.error.details.code, 'AUTH_DEVICE_TOKEN_MISMATCH');
		// Still paired: with the shared secret it connects and is given a fresh token.
		const fresh = await connectAsDevice(gw.url, keys, operator, remote);
		assert.equal(fresh.res.ok, true);
		assert.notEqual(fresh.res.payload.auth.deviceToken, undefined);
		assert.notEqual(fresh.res.payload.auth.deviceToken, token);
		fresh.socket.close();

		const unknown = await socket.call('device.token.revoke', {deviceId: 'f'.repeat(64), role: 'operator'});
		assert.equal(unknown.ok, false);
		assert.match(unknown.error.message, /unknown device token/);
		const bad = await socket.call('device.token.revoke', {deviceId: keys.id});
		assert.match(bad.error.message, /invalid device\.token\.revoke params/);
		socket.close();
	});

	test('device.pair.reject closes the device\'s open sockets (4001)', async () => {
		const keys = newDevice();
		const refused = await connectAsDevice(gw.url, keys, operator, remote);
		// The same device then connects from this host and is paired silently; its remote request still waits.
		const local = await connectAsDevice(gw.url, keys, operator);
		assert.equal(local.res.ok, true);
		const socket = await admin();
		assert.equal((await socket.call('device.pair.reject', {requestId: refused.res.error.details.requestId})).ok, true);
		assert.deepEqual(await local.socket.closedWith(), {code: 4001, reason: 'device removed'});
		socket.close();
	});

	test('the token outlives a restart: another gateway on the same state dir accepts it', async () => {
		const keys = await pairRemotely();
		const first = await connectAsDevice(gw.url, keys, operator, remote);
		const token = first.res.payload.auth.deviceToken as string;
		first.socket.close();
		await gw.server.devices.flushed();
		const next = await startTestGateway({stateDir: gw.stateDir});
		try {
			const {socket, res} = await connectAsDevice(next.url, keys, {...operator, auth: {deviceToken: token}}, remote);
			assert.equal(res.ok, true, JSON.stringify(res.error));
			assert.equal(res.payload.auth.method, 'device-token');
			socket.close();
		} finally {
			await next.stop();
		}
	});

	test('no token is handed out when its hash cannot be saved (the connect itself still succeeds)', async () => {
		const blocked = await startTestGateway();
		try {
			// A directory where the store's file goes: every atomic write's rename fails.
			await mkdir(path.join(blocked.stateDir, 'devices', 'pairing.json'), {recursive: true});
			const {socket, res} = await connectAsDevice(blocked.url, newDevice(), operator);
			assert.equal(res.ok, true, JSON.stringify(res.error));
			assert.equal(res.payload.auth.deviceToken, undefined);
			socket.close();
		} finally {
			await blocked.stop();
		}
	});
});
