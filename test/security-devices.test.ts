// A device identity is a key pair anyone can make: it earns its requested scopes only where the reference gateway
// pairs devices silently (a direct loopback connection). Through a proxy (forwarding headers) an unknown device is
// refused with NOT_PAIRED "pairing required" and waits as a request an operator approves (`device.pair.approve`)
// or rejects. Freshly signed Ed25519 devices, real sockets.
import assert from 'node:assert/strict';
import {createHash, generateKeyPairSync, sign, type KeyObject} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {devicePayloads} from '../gateway/device.js';
import type {ConnectParams} from '../source/protocol/index.js';
import {authedSocket, connectParams, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway();
});
after(async () => gw.stop());

/** Connect with a freshly generated, correctly signed device identity (v3 payload) over a socket with `headers`. */
async function connectWithDevice(
	params: Record<string, unknown>,
	headers: Record<string, string> = {},
	{publicKey, privateKey}: {publicKey: KeyObject; privateKey: KeyObject} = generateKeyPairSync('ed25519'),
): Promise<{socket: RawSocket; res: any}> {
	const socket = new RawSocket(gw.url, {headers});
	await socket.opened;
	const challenge = await socket.event('connect.challenge');
	const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(-32);
	const full = connectParams(params) as unknown as ConnectParams;
	const device = {
		id: createHash('sha256').update(raw).digest('hex'),
		publicKey: raw.toString('base64url'),
		signature: '',
		signedAt: Date.now(),
		nonce: challenge.payload.nonce as string,
	};
	const [v3] = devicePayloads({...full, device}, device.nonce);
	device.signature = sign(null, Buffer.from(v3), privateKey).toString('base64url');
	socket.send({type: 'req', id: 'c1', method: 'connect', params: {...full, device}});
	return {socket, res: await socket.response('c1')};
}

const webchat = {client: {id: 'webchat-ui', version: '1', platform: 'web', mode: 'webchat'}, scopes: ['operator.admin', 'made.up.scope']};

describe('device identities', () => {
	test('on a direct loopback connection a signed device keeps its known requested scopes', async () => {
		const {socket, res} = await connectWithDevice(webchat);
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.deepEqual(res.payload.auth.scopes, ['operator.admin']);
		socket.close();
	});

	test('relayed by a proxy (X-Forwarded-For) a signed device is refused: NOT_PAIRED "pairing required"', async () => {
		const {socket, res} = await connectWithDevice(webchat, {'X-Forwarded-For': '127.0.0.9'});
		assert.equal(res.ok, false);
		assert.equal(res.error.code, 'NOT_PAIRED');
		assert.equal(res.error.message, 'pairing required');
		assert.equal(res.error.details.code, 'PAIRING_REQUIRED');
		assert.equal((await socket.closedWith()).code, 1008);
	});

	test('a device refused through a proxy waits as a pairing request; approved, it connects with the scopes it asked for', async () => {
		const keys = generateKeyPairSync('ed25519');
		const proxied = {'X-Forwarded-For': '198.51.100.7'};
		const refused = await connectWithDevice(webchat, proxied, keys);
		const requestId = refused.res.error.details.requestId as string;
		assert.match(requestId, /^[\da-f-]{36}$/);
		const admin = await authedSocket(gw.url, {scopes: ['operator.admin']});
		const listed = await admin.call('device.pair.list');
		const pending = listed.payload.pending.find((entry: any) => entry.requestId === requestId);
		assert.equal(pending.clientId, 'webchat-ui');
		assert.deepEqual(pending.scopes, ['operator.admin', 'made.up.scope']);

		const approved = await admin.call('device.pair.approve', {requestId});
		assert.equal(approved.ok, true, JSON.stringify(approved.error));
		assert.equal(approved.payload.device.deviceId, pending.deviceId);
		const again = await connectWithDevice(webchat, proxied, keys);
		assert.equal(again.res.ok, true, JSON.stringify(again.res.error));
		assert.deepEqual(again.res.payload.auth.scopes, ['operator.admin']);
		const after = await admin.call('device.pair.list');
		assert.equal(after.payload.pending.some((entry: any) => entry.requestId === requestId), false);
		assert.equal(after.payload.paired.find((device: any) => device.deviceId === pending.deviceId).connected, true);
		assert.equal((await admin.call('device.pair.approve', {requestId})).error.message, 'unknown requestId');
		again.socket.close();
		admin.close();
	});

	test('a rejected request is gone and the device is still refused', async () => {
		const keys = generateKeyPairSync('ed25519');
		const proxied = {'X-Forwarded-For': '198.51.100.8'};
		const {res} = await connectWithDevice(webchat, proxied, keys);
		const admin = await authedSocket(gw.url, {scopes: ['operator.admin']});
		const rejected = await admin.call('device.pair.reject', {requestId: res.error.details.requestId});
		assert.equal(rejected.ok, true, JSON.stringify(rejected.error));
		const listed = await admin.call('device.pair.list');
		assert.equal(listed.payload.pending.some((entry: any) => entry.requestId === res.error.details.requestId), false);
		assert.equal((await connectWithDevice(webchat, proxied, keys)).res.error.details.code, 'PAIRING_REQUIRED');
		admin.close();
	});
});
