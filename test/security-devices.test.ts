// A device identity is a key pair anyone can make: it earns its requested scopes only where the reference gateway
// pairs devices silently (a direct loopback connection). Through a proxy (forwarding headers) it is refused with
// NOT_PAIRED "pairing required", since no pairing store exists here. Freshly signed Ed25519 devices, real sockets.
import assert from 'node:assert/strict';
import {createHash, generateKeyPairSync, sign} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {devicePayloads} from '../gateway/device.js';
import type {ConnectParams} from '../source/protocol/index.js';
import {connectParams, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway();
});
after(async () => gw.stop());

/** Connect with a freshly generated, correctly signed device identity (v3 payload) over a socket with `headers`. */
async function connectWithDevice(params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{socket: RawSocket; res: any}> {
	const socket = new RawSocket(gw.url, {headers});
	await socket.opened;
	const challenge = await socket.event('connect.challenge');
	const {publicKey, privateKey} = generateKeyPairSync('ed25519');
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
});
