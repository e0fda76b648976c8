// Device identity proof on `connect` (OpenClaw protocol 4): the id is the hex SHA-256 of the raw Ed25519 public key,
// the nonce is this socket's challenge, `signedAt` is within 2 minutes, and the signature verifies over the v3
// payload (or the legacy v2 one, which openclaw-node still signs).
import {createHash, createPublicKey, verify} from 'node:crypto';
import type {ConnectParams} from '../source/protocol/index.js';

const maxSkewMs = 120_000;
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

function fromBase64Url(value: string): Buffer {
	return Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
}

export function devicePayloads(params: ConnectParams, nonce: string): string[] {
	const device = params.device!;
	const role = params.role ?? 'operator';
	const scopes = (params.scopes ?? []).join(',');
	const token = params.auth?.token ?? params.auth?.deviceToken ?? '';
	const {client} = params;
	const base = [device.id, client.id, client.mode, role, scopes, String(device.signedAt), token, nonce];
	return [
		['v3', ...base, client.platform.toLowerCase(), (client.deviceFamily ?? '').toLowerCase()].join('|'),
		['v2', ...base].join('|'),
	];
}

/** Returns the OpenClaw error text for a bad device proof, or undefined when the proof holds. */
export function verifyDevice(params: ConnectParams, nonce: string, now = Date.now()): string | undefined {
	const device = params.device!;
	const raw = fromBase64Url(device.publicKey);
	if (raw.length !== 32) {
		return 'device public key invalid';
	}

	if (createHash('sha256').update(raw).digest('hex') !== device.id) {
		return 'device identity mismatch';
	}

	if (Math.abs(now - device.signedAt) > maxSkewMs) {
		return 'device signature expired';
	}

	if (device.nonce !== nonce) {
		return 'device nonce mismatch';
	}

	let key;
	try {
		key = createPublicKey({key: Buffer.concat([ed25519SpkiPrefix, raw]), format: 'der', type: 'spki'});
	} catch {
		return 'device public key invalid';
	}

	const signature = fromBase64Url(device.signature);
	for (const payload of devicePayloads(params, nonce)) {
		if (verify(null, Buffer.from(payload, 'utf8'), key, signature)) {
			return undefined;
		}
	}

	return 'device signature invalid';
}
