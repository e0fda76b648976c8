// The page's device identity (OpenClaw protocol 4): an Ed25519 key pair made by WebCrypto, kept in IndexedDB as a
// non-extractable CryptoKey so the page can sign with it but no script can read the private key out. The gateway
// requires one from the Control UI: on loopback it pairs the device silently, elsewhere an operator approves it.
//
// The device token a paired device is issued (`hello-ok.auth.deviceToken`) is kept here too, beside the key, and not
// in sessionStorage: the gateway issues it once per device and role and not again while it is live, so it has to
// outlive the tab; and it is worth nothing without this key's signature, so the two are kept and forgotten together.
// It is stored with the id of the device it was issued to, so a key made anew never signs with another key's token.
const databaseName = 'openclaw-control-ui';
const storeName = 'keys';
const keyName = 'device';
const tokenName = 'device-token';

export type DeviceIdentity = {id: string; publicKey: string; privateKey: CryptoKey};

function base64Url(bytes: ArrayBuffer): string {
	let binary = '';
	for (const byte of new Uint8Array(bytes)) {
		binary += String.fromCharCode(byte);
	}

	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function hex(bytes: ArrayBuffer): string {
	return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

let opened: Promise<IDBDatabase> | undefined;
function openDatabase(): Promise<IDBDatabase> {
	opened ??= openDatabaseOnce();
	opened.catch(() => {
		opened = undefined;
	});
	return opened;
}

function openDatabaseOnce(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(databaseName, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(storeName);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
	});
}

function inStore<T>(database: IDBDatabase, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		const request = run(database.transaction(storeName, mode).objectStore(storeName));
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

async function keyPair(): Promise<CryptoKeyPair> {
	let database: IDBDatabase | undefined;
	try {
		database = await openDatabase();
		const stored = await inStore<CryptoKeyPair | undefined>(database, 'readonly', (store) => store.get(keyName) as IDBRequest<CryptoKeyPair | undefined>);
		if (stored?.privateKey && stored.publicKey) {
			return stored;
		}
	} catch {
		// Private windows may refuse IndexedDB: a key for this page's life still works (a new device each visit).
	}

	const created = (await crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign', 'verify'])) as CryptoKeyPair;
	if (database) {
		await inStore(database, 'readwrite', (store) => store.put(created, keyName)).catch(() => undefined);
	}

	return created;
}

export async function loadDeviceIdentity(): Promise<DeviceIdentity> {
	if (!globalThis.crypto?.subtle) {
		throw new Error('this page needs a secure context (https:// or http://localhost) for its device key');
	}

	const pair = await keyPair();
	const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
	return {id: hex(await crypto.subtle.digest('SHA-256', raw)), publicKey: base64Url(raw), privateKey: pair.privateKey};
}

export async function signPayload(identity: DeviceIdentity, payload: string): Promise<string> {
	return base64Url(await crypto.subtle.sign({name: 'Ed25519'}, identity.privateKey, new TextEncoder().encode(payload)));
}

type StoredDeviceToken = {deviceId: string; token: string};

/** The device token this device was issued, if it has one (and storage works). */
export async function loadDeviceToken(identity: DeviceIdentity): Promise<string | undefined> {
	try {
		const stored = await inStore<StoredDeviceToken | undefined>(await openDatabase(), 'readonly', (store) => store.get(tokenName) as IDBRequest<StoredDeviceToken | undefined>);
		return stored?.deviceId === identity.id && typeof stored.token === 'string' ? stored.token : undefined;
	} catch {
		return undefined;
	}
}

/** Kept when storage works; without it (a private window) the page simply asks for the shared token next time. */
export async function saveDeviceToken(identity: DeviceIdentity, token: string): Promise<void> {
	const record: StoredDeviceToken = {deviceId: identity.id, token};
	await openDatabase()
		.then(async (database) => inStore(database, 'readwrite', (store) => store.put(record, tokenName)))
		.catch(() => undefined);
}

/** Drop the device token (refused or revoked: the shared token gets a new one issued). */
export async function forgetDeviceToken(): Promise<void> {
	await openDatabase()
		.then(async (database) => inStore(database, 'readwrite', (store) => store.delete(tokenName)))
		.catch(() => undefined);
}

/** Sign out of this browser: key and token go, the next visit is a new device (its pairing starts afresh). */
export async function forgetDevice(): Promise<void> {
	await openDatabase()
		.then(async (database) => Promise.all([keyName, tokenName].map(async (name) => inStore(database, 'readwrite', (store) => store.delete(name)))))
		.catch(() => undefined);
}
