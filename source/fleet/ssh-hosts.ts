// One OpenSSH connection per remote host, shared by all of that host's gateways: one `ssh -N` with a `-L` for each
// gateway's port (SshTunnel's moreRemotePorts). SshTunnel reopens a dropped connection with backoff; a host that
// could not be reached at all is tried again here, with its own backoff, when its gateways are next polled. A host
// that is down fails only its own gateways.
import {backoffDelay} from '../client/backoff.js';
import {defaultTunnelBackoff, SshTunnel, type SshTunnelOptions} from '../supervisor/ssh-tunnel.js';
import {remoteGatewayDown, parseSshTarget} from '../supervisor/ssh-command.js';
import type {SshEntry} from './entry.js';

type Host = {
	tunnel: SshTunnel;
	/** The gateways reached through it (the connection forwards each one's port). */
	entries: SshEntry[];
	opening?: Promise<unknown>;
	failures: number;
	retryAt: number;
	lastError?: string;
};

/** ssh connections differ by destination and key: the same host reached with two keys is two connections. */
export function hostKey(entry: SshEntry): string {
	return `${entry.ssh}\u0000${entry.identity ?? ''}`;
}

export class SshHostPool {
	private readonly hosts = new Map<string, Host>();

	constructor(
		entries: readonly SshEntry[],
		private readonly tunnelOptions: Partial<SshTunnelOptions> = {},
		private readonly now = Date.now,
	) {
		const groups = new Map<string, SshEntry[]>();
		for (const entry of entries) {
			groups.set(hostKey(entry), [...(groups.get(hostKey(entry)) ?? []), entry]);
		}

		for (const [key, group] of groups) {
			this.hosts.set(key, this.host(group));
		}
	}

	private host(group: SshEntry[]): Host {
		const ports = [...new Set(group.map((entry) => entry.remotePort))];
		const tunnel = new SshTunnel({
			...this.tunnelOptions,
			target: group[0].ssh,
			identity: group[0].identity,
			remotePort: ports[0],
			moreRemotePorts: ports.slice(1),
		});
		// Its state is read when a gateway is polled; listening keeps an 'error'-less emitter quiet.
		tunnel.on('state', () => {});
		return {tunnel, entries: group, failures: 0, retryAt: 0};
	}

	/**
	 * A gateway added to the fleet. On a host already connected whose connection does not forward its port, the
	 * connection is replaced by one that forwards every port (ssh cannot add a -L to a running `ssh -N`); the other
	 * gateways there reconnect through it at their next poll.
	 */
	add(entry: SshEntry): void {
		const key = hostKey(entry);
		const host = this.hosts.get(key);
		if (!host) {
			this.hosts.set(key, this.host([entry]));
			return;
		}

		const forwarded = host.entries.some((other) => other.remotePort === entry.remotePort);
		host.entries.push(entry);
		if (!forwarded) {
			void host.tunnel.stop();
			this.hosts.set(key, this.host(host.entries));
		}
	}

	/** A gateway left the fleet; the last one of its host takes the host's connection with it. */
	async remove(entry: SshEntry): Promise<void> {
		const key = hostKey(entry);
		const host = this.hosts.get(key);
		if (!host) {
			return;
		}

		host.entries = host.entries.filter((other) => other !== entry);
		if (host.entries.length === 0) {
			this.hosts.delete(key);
			await host.tunnel.stop();
		}
	}

	/** How many ssh connections the pool holds (one per host). */
	get size(): number {
		return this.hosts.size;
	}

	tunnelFor(entry: SshEntry): SshTunnel | undefined {
		return this.hosts.get(hostKey(entry))?.tunnel;
	}

	/**
	 * The local URL that reaches `entry` through its host's connection, opening the connection if it is not open.
	 * Throws one message naming the host and why (ssh's reason, or that it is being reopened).
	 */
	async urlFor(entry: SshEntry): Promise<string> {
		const host = this.hosts.get(hostKey(entry));
		if (!host) {
			throw new Error(`no ssh connection for ${entry.ssh}`);
		}

		const {tunnel} = host;
		const {status} = tunnel.state;
		if (status === 'down' || status === 'reopening') {
			const retry = tunnel.state.retryInMs === undefined ? '' : `; reopening with backoff`;
			throw new Error(`ssh connection to ${entry.ssh} is down: ${tunnel.state.error ?? 'lost'}${retry}`);
		}

		if (status !== 'open') {
			if (!host.opening) {
				if (this.now() < host.retryAt) {
					throw new Error(host.lastError ?? `ssh connection to ${entry.ssh} failed`);
				}

				host.opening = tunnel.start().then(
					() => {
						host.failures = 0;
					},
					(error: unknown) => {
						host.failures++;
						host.lastError = (error as Error).message;
						host.retryAt = this.now() + backoffDelay(host.failures, {...defaultTunnelBackoff, maxMs: 30_000});
					},
				);
				void host.opening.finally(() => {
					host.opening = undefined;
				});
			}

			await host.opening;
			if (tunnel.state.status !== 'open') {
				throw new Error(host.lastError ?? `ssh connection to ${entry.ssh} failed`);
			}
		}

		const port = tunnel.localPortFor(entry.remotePort);
		if (port === undefined) {
			throw new Error(`no forward to port ${entry.remotePort} on ${entry.ssh}`);
		}

		return `ws://127.0.0.1:${port}`;
	}

	/**
	 * A connect failure through an open connection, said about the remote side: the local port is ssh's and always
	 * accepts, so "unreachable" there means nothing listens on the gateway's port on that host.
	 */
	explain(entry: SshEntry, error: unknown): string | undefined {
		const tunnel = this.tunnelFor(entry);
		const failure = error as {kind?: unknown; detail?: {code?: unknown}} | undefined;
		const dropped = failure?.kind === 'unreachable' || (failure?.kind === 'closed' && failure.detail?.code === 1006);
		if (!tunnel || !dropped || tunnel.state.status !== 'open') {
			return undefined;
		}

		return remoteGatewayDown(parseSshTarget(entry.ssh), entry.remotePort);
	}

	/** For a process 'exit' listener: every ssh child killed at once, nothing awaited. */
	disposeSync(): void {
		for (const host of this.hosts.values()) {
			host.tunnel.disposeSync();
		}
	}

	async close(): Promise<void> {
		await Promise.all([...this.hosts.values()].map(async (host) => host.tunnel.stop()));
	}
}
