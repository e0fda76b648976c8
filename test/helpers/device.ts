// A real Ed25519 device identity for tests: generate a key pair, sign OpenClaw's v3 connect payload over the
// socket's challenge nonce, and send `connect` with it.
import {createHash, generateKeyPairSync, sign, type KeyObject} from 'node:crypto';
import type WebSocket from 'ws';
import {devicePayloads} from '../../gateway/device.js';
import type {ConnectParams} from '../../source/protocol/index.js';
import {connectParams, RawSocket} from './gateway.js';

export type DeviceKeys = {publicKey: KeyObject; privateKey: KeyObject; id: string; raw: Buffer};

export function newDevice(): DeviceKeys {
	const {publicKey, privateKey} = generateKeyPairSync('ed25519');
	const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(-32);
	return {publicKey, privateKey, raw, id: createHash('sha256').update(raw).digest('hex')};
}

/** Open a socket (with `options`, e.g. headers), sign `params` as `keys`, send connect, return socket and response. */
export async function connectAsDevice(
	url: string,
	keys: DeviceKeys,
	params: Record<string, unknown>,
	options: WebSocket.ClientOptions = {},
): Promise<{socket: RawSocket; res: any}> {
	const socket = new RawSocket(url, options);
	await socket.opened;
	const challenge = await socket.event('connect.challenge');
	const full = connectParams(params) as unknown as ConnectParams;
	const device = {id: keys.id, publicKey: keys.raw.toString('base64url'), signature: '', signedAt: Date.now(), nonce: challenge.payload.nonce as string};
	const [v3] = devicePayloads({...full, device}, device.nonce);
	device.signature = sign(null, Buffer.from(v3), keys.privateKey).toString('base64url');
	socket.send({type: 'req', id: 'c1', method: 'connect', params: {...full, device}});
	return {socket, res: await socket.response('c1')};
}
