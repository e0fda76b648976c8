// Who is connected: the gateway's own entry first (as OpenClaw lists it: `mode: "gateway"`, `reason: "self"`), then
// one entry per authenticated socket, bounded in count and age, with a version counter that every change bumps
// (clients compare it to detect missed presence updates).
import os from 'node:os';
import {limits, type PresenceEntry} from '../source/protocol/index.js';

/** The first non-internal IPv4 address: how other machines on the network would reach this host. */
function primaryAddress(): string | undefined {
	for (const addresses of Object.values(os.networkInterfaces())) {
		const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
		if (found) {
			return found.address;
		}
	}

	return undefined;
}

export function selfPresence(version: string, instanceId: string): Omit<PresenceEntry, 'ts'> {
	const host = os.hostname();
	const ip = primaryAddress();
	const platform = `${process.platform} ${os.release()}`;
	const deviceFamily = process.platform === 'darwin' ? 'Mac' : process.platform === 'win32' ? 'Windows' : 'Linux';
	return {
		host,
		...(ip ? {ip} : {}),
		version,
		platform,
		deviceFamily,
		mode: 'gateway',
		reason: 'self',
		instanceId,
		text: `Gateway: ${host}${ip ? ` (${ip})` : ''} · app ${version} · mode gateway · reason self`,
	};
}

export class PresenceRegistry {
	private readonly entries = new Map<string, PresenceEntry>();
	private self?: Omit<PresenceEntry, 'ts'>;
	version = 1;

	/** The gateway's own entry, listed first and never aged out. */
	setSelf(entry: Omit<PresenceEntry, 'ts'>): void {
		this.self = entry;
		this.version++;
	}

	upsert(connId: string, entry: Omit<PresenceEntry, 'ts'>): void {
		this.entries.set(connId, {...entry, connId, ts: Date.now()});
		while (this.entries.size > limits.presenceMaxEntries) {
			const oldest = this.entries.keys().next().value;
			if (oldest === undefined) {
				break;
			}

			this.entries.delete(oldest);
		}

		this.version++;
	}

	touch(connId: string): void {
		const entry = this.entries.get(connId);
		if (entry) {
			entry.ts = Date.now();
		}
	}

	remove(connId: string): boolean {
		const removed = this.entries.delete(connId);
		if (removed) {
			this.version++;
		}

		return removed;
	}

	list(): PresenceEntry[] {
		const now = Date.now();
		const cutoff = now - limits.presenceTtlMs;
		const clients = [...this.entries.values()].filter((entry) => entry.ts >= cutoff);
		return this.self ? [{...this.self, ts: now}, ...clients] : clients;
	}

	get size(): number {
		return this.entries.size;
	}
}
