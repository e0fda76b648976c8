// The gateway's own device identity (`gateway.identity.get`): an Ed25519 key pair made once and kept in the state
// dir, so clients that pin the gateway see the same id across restarts. The id is the hex SHA-256 of the raw public
// key and the key travels as base64url, the same rules device.ts checks on a client's identity.
import {createHash, createPrivateKey, createPublicKey, generateKeyPairSync} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../source/protocol/config/write.js';

export type GatewayIdentity = {deviceId: string; publicKey: string};

const ed25519SpkiPrefixLength = 12;

function toBase64Url(buffer: Buffer): string {
	return buffer.toString('base64').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function identityOf(privateKeyPem: string): GatewayIdentity {
	const spki = createPublicKey(createPrivateKey(privateKeyPem)).export({format: 'der', type: 'spki'});
	const raw = spki.subarray(ed25519SpkiPrefixLength);
	return {deviceId: createHash('sha256').update(raw).digest('hex'), publicKey: toBase64Url(raw)};
}

export function identityPath(stateDir: string): string {
	return path.join(stateDir, 'identity', 'gateway-device.json');
}

/** Read the gateway's identity, creating it on first use. A damaged file is replaced (and said so in the log). */
export async function loadGatewayIdentity(stateDir: string, onReplaced?: (reason: string) => void): Promise<GatewayIdentity> {
	const file = identityPath(stateDir);
	try {
		const stored = JSON.parse(await readFile(file, 'utf8')) as {privateKeyPem?: unknown};
		if (typeof stored.privateKeyPem === 'string') {
			return identityOf(stored.privateKeyPem);
		}

		onReplaced?.('no private key in the file');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			onReplaced?.((error as Error).message);
		}
	}

	const {privateKey} = generateKeyPairSync('ed25519');
	const privateKeyPem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString();
	const identity = identityOf(privateKeyPem);
	await writeFileAtomic(file, `${JSON.stringify({version: 1, ...identity, privateKeyPem, createdAtMs: Date.now()}, null, 2)}\n`, {mode: 0o600});
	return identity;
}
