// Which device identities may connect (`device.pair.*`). A device proves its key on `connect` (device.ts); this
// store says whether that key is paired. As on OpenClaw's gateway, a device on a direct loopback connection is
// paired silently; from anywhere else an unknown device is refused with PAIRING_REQUIRED and left as a pending
// request that an operator approves or rejects. Kept in <stateDir>/devices/pairing.json (atomic writes): a restart
// keeps both the paired devices and the requests still waiting.
//
// A paired device also gets a device token (`hello-ok.auth.deviceToken`) on its first connect after pairing, one per
// role: with it and its signed identity it can connect without the shared secret. Only the token's SHA-256 is kept
// (a copy of the file lets nobody in), and the token is handed out only after that hash is on disk, so a crash can
// never leave a client holding a token the gateway forgot. `device.token.revoke` ends it.
import {createHash, randomBytes, randomUUID, timingSafeEqual} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../source/protocol/config/write.js';
import type {DeviceFacts, PendingDevice} from '../source/protocol/methods/gateway.js';

export type {DeviceFacts, PendingDevice};
/** One role's device token as stored: its hash, never the token. */
export type DeviceTokenRecord = {sha256: string; scopes: string[]; createdAtMs: number; revokedAtMs?: number};
export type PairedDevice = DeviceFacts & {
	roles: string[];
	approvedScopes: string[];
	createdAtMs: number;
	approvedAtMs: number;
	tokens?: Record<string, DeviceTokenRecord>;
};
/** What `device.pair.list` shows of a device: its tokens without their hashes. */
export type ListedDevice = Omit<PairedDevice, 'tokens'> & {tokens?: Array<{role: string; scopes: string[]; createdAtMs: number; revokedAtMs?: number}>};

function tokenHash(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

type Stored = {version: 1; pending: PendingDevice[]; paired: PairedDevice[]};

/** Requests waiting at once; past it the oldest is dropped (an unauthenticated peer must not grow the file). */
const maxPending = 50;

export class DevicePairingStore {
	private pending: PendingDevice[] = [];
	private paired = new Map<string, PairedDevice>();
	private writing: Promise<void> = Promise.resolve();

	constructor(
		private readonly stateDir: string,
		private readonly onWriteError: (message: string) => void = () => {},
	) {}

	get file(): string {
		return path.join(this.stateDir, 'devices', 'pairing.json');
	}

	async load(): Promise<void> {
		try {
			const stored = JSON.parse(await readFile(this.file, 'utf8')) as Partial<Stored>;
			this.pending = Array.isArray(stored.pending) ? stored.pending : [];
			this.paired = new Map((Array.isArray(stored.paired) ? stored.paired : []).map((device) => [device.deviceId, device]));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw new Error(`device pairing store ${this.file} is unreadable (${(error as Error).message}): fix or remove it`);
			}
		}
	}

	isPaired(deviceId: string, publicKey: string): boolean {
		return this.paired.get(deviceId)?.publicKey === publicKey;
	}

	list(): {pending: PendingDevice[]; paired: ListedDevice[]} {
		const paired = [...this.paired.values()].map(({tokens, ...device}) => ({
			...device,
			...(tokens ? {tokens: Object.entries(tokens).map(([role, {sha256: _hash, ...record}]) => ({role, ...record}))} : {}),
		}));
		return {pending: [...this.pending], paired};
	}

	pairedDevice(deviceId: string): PairedDevice | undefined {
		return this.paired.get(deviceId);
	}

	/**
	 * A new device token for a paired device that holds no live one for `role`; undefined when it has one already
	 * (the client keeps the one it was given) or the hash could not be saved (then no token is handed out at all).
	 */
	async issueToken(deviceId: string, role: string): Promise<{token: string; issuedAtMs: number} | undefined> {
		const device = this.paired.get(deviceId);
		const existing = device?.tokens?.[role];
		if (!device || (existing && existing.revokedAtMs === undefined)) {
			return undefined;
		}

		const token = randomBytes(32).toString('base64url');
		const record: DeviceTokenRecord = {sha256: tokenHash(token), scopes: [...device.approvedScopes], createdAtMs: Date.now()};
		const before = device.tokens;
		device.tokens = {...before, [role]: record};
		if (!(await this.save())) {
			// Not on disk: forget it too, so memory and file agree and the next connect tries again.
			if (device.tokens?.[role] === record) {
				device.tokens = before;
			}

			return undefined;
		}

		return {token, issuedAtMs: record.createdAtMs};
	}

	/** Does `token` match the device's live token for `role`? Compared as hashes, in constant time. */
	verifyToken(deviceId: string, role: string, token: string): DeviceTokenRecord | undefined {
		const record = this.paired.get(deviceId)?.tokens?.[role];
		if (!record || record.revokedAtMs !== undefined) {
			return undefined;
		}

		const given = Buffer.from(tokenHash(token), 'hex');
		return timingSafeEqual(given, Buffer.from(record.sha256, 'hex')) ? record : undefined;
	}

	/** Revoke the device's token for `role`; undefined when it has none. The device stays paired. */
	revokeToken(deviceId: string, role: string): DeviceTokenRecord | undefined {
		const device = this.paired.get(deviceId);
		const record = device?.tokens?.[role];
		if (!device || !record) {
			return undefined;
		}

		const revoked = {...record, revokedAtMs: record.revokedAtMs ?? Date.now()};
		device.tokens = {...device.tokens, [role]: revoked};
		void this.save();
		return revoked;
	}

	/** Pair at once (a direct loopback connection). */
	pairSilently(facts: DeviceFacts): PairedDevice {
		return this.pair(facts);
	}

	/** Record (or refresh) a waiting request for this device; returns its request id. */
	request(facts: DeviceFacts): PendingDevice {
		const existing = this.pending.find((entry) => entry.deviceId === facts.deviceId && entry.publicKey === facts.publicKey);
		const entry: PendingDevice = {...facts, requestId: existing?.requestId ?? randomUUID(), ts: Date.now()};
		this.pending = [...this.pending.filter((other) => other !== existing), entry].slice(-maxPending);
		void this.save();
		return entry;
	}

	approve(requestId: string): PairedDevice | undefined {
		const entry = this.pending.find((other) => other.requestId === requestId);
		if (!entry) {
			return undefined;
		}

		this.pending = this.pending.filter((other) => other !== entry);
		const {requestId: _requestId, ts: _ts, ...facts} = entry;
		return this.pair(facts);
	}

	reject(requestId: string): PendingDevice | undefined {
		const entry = this.pending.find((other) => other.requestId === requestId);
		if (entry) {
			this.pending = this.pending.filter((other) => other !== entry);
			void this.save();
		}

		return entry;
	}

	/** Resolves once every change so far is on disk. */
	flushed(): Promise<void> {
		return this.writing;
	}

	private pair(facts: DeviceFacts): PairedDevice {
		const now = Date.now();
		const before = this.paired.get(facts.deviceId);
		const device: PairedDevice = {
			...facts,
			roles: [...new Set([...(before?.roles ?? []), facts.role])],
			approvedScopes: facts.scopes,
			createdAtMs: before?.createdAtMs ?? now,
			approvedAtMs: now,
			...(before?.tokens ? {tokens: before.tokens} : {}),
		};
		this.paired.set(facts.deviceId, device);
		void this.save();
		return device;
	}

	/**
	 * Writes one after another, each of the whole current state: the last one on disk is the newest. Resolves true
	 * once this state is on disk (temp file, fsync, rename), false when the write failed.
	 */
	private async save(): Promise<boolean> {
		const text = `${JSON.stringify({version: 1, pending: this.pending, paired: [...this.paired.values()]} satisfies Stored, null, 2)}\n`;
		const write = this.writing.then(async () => {
			await writeFileAtomic(this.file, text, {mode: 0o600});
			return true;
		});
		this.writing = write.then(
			() => undefined,
			(error: Error) => {
				this.onWriteError(`device pairing store not saved to ${this.file}: ${error.message}`);
			},
		);
		return write.catch(() => false);
	}
}
