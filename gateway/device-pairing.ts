// Which device identities may connect (`device.pair.*`). A device proves its key on `connect` (device.ts); this
// store says whether that key is paired. As on OpenClaw's gateway, a device on a direct loopback connection is
// paired silently; from anywhere else an unknown device is refused with PAIRING_REQUIRED and left as a pending
// request that an operator approves or rejects. Kept in <stateDir>/devices/pairing.json (atomic writes): a restart
// keeps both the paired devices and the requests still waiting.
import {randomUUID} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../source/protocol/config/write.js';

export type DeviceFacts = {
	deviceId: string;
	publicKey: string;
	displayName?: string;
	platform?: string;
	clientId?: string;
	clientMode?: string;
	role: string;
	scopes: string[];
	remoteIp?: string;
};

export type PendingDevice = DeviceFacts & {requestId: string; ts: number};
export type PairedDevice = DeviceFacts & {roles: string[]; approvedScopes: string[]; createdAtMs: number; approvedAtMs: number};

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

	list(): {pending: PendingDevice[]; paired: PairedDevice[]} {
		return {pending: [...this.pending], paired: [...this.paired.values()]};
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
		this.save();
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
			this.save();
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
		};
		this.paired.set(facts.deviceId, device);
		this.save();
		return device;
	}

	/** Writes one after another, each of the whole current state: the last one on disk is the newest. */
	private save(): void {
		const data: Stored = {version: 1, pending: this.pending, paired: [...this.paired.values()]};
		this.writing = this.writing
			.then(async () => writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, {mode: 0o600}))
			.catch((error: Error) => {
				this.onWriteError(`device pairing store not saved to ${this.file}: ${error.message}`);
			});
	}
}
