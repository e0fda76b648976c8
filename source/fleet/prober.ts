// FleetProber: one row per gateway, kept current by probing each one (a `health` request, timed) over a connection
// held between polls. Connections are opened at most `concurrency` at a time; each gateway's polls after its first
// are offset within the interval, so a large fleet is polled a few at a time. It follows what each gateway says about
// itself: a method its hello-ok did not list is never sent. SSH entries share one connection per host (SshHostPool).
//
//   const prober = new FleetProber(entries, {env});
//   prober.on('row', (row) => ...);     // a row that changed
//   await prober.probeAll();            // every gateway once (fleet status), or
//   prober.start();                     // keep polling (the console)
//   await prober.stop();
import {createHash} from 'node:crypto';
import {EventEmitter} from 'node:events';
import type {GatewayClient} from '../client/index.js';
import {openSession} from '../commands/command-connect.js';
import {serves} from '../client/served-methods.js';
import type {Env} from '../protocol/config/paths.js';
import {isRecord} from '../protocol/index.js';
import type {SshTunnelOptions} from '../supervisor/ssh-tunnel.js';
import {CredentialError, dial, type Dial} from './credentials.js';
import {whereOf, type FleetEntry, type SshEntry} from './entry.js';
import {summarizeHealth} from './health-summary.js';
import {firstSentence, shortReason} from './reasons.js';
import {initialRow, reduceRow, type FleetEvent, type FleetRow} from './row.js';
import {limiter, pollOffset} from './schedule.js';
import type {SshHostPool} from './ssh-hosts.js';

export type FleetProberOptions = {
	env: Env;
	/** Time between two probes of one gateway (default 5 s). */
	intervalMs?: number;
	/** Connection attempts at once (default 8). */
	concurrency?: number;
	/** Give up on one connect or probe after this long (default 10 s). */
	timeoutMs?: number;
	/** After credentials were refused, wait this long before offering the same ones again (default 30 s). */
	authRetryMs?: number;
	tunnelOptions?: Partial<SshTunnelOptions>;
	now?: () => number;
};

type Link = {
	entry: FleetEntry;
	row: FleetRow;
	client?: GatewayClient;
	/** The credentials last refused, and when: the same ones are not offered again before authRetryMs. */
	refused?: {fingerprint: string; at: number};
	polling?: Promise<void>;
	timer?: NodeJS.Timeout;
	/** Set once the gateway said its reload mode / version through `status` on this connection. */
	statusRead?: boolean;
	/** Set when the entry left the fleet: a poll still under way must not bring its row back. */
	removed?: boolean;
};

type Events = {row: [row: FleetRow]};

function fingerprint(target: Dial): string {
	return createHash('sha256').update(`${target.url}\n${target.token ?? ''}\n${target.password ?? ''}`).digest('hex');
}

export class FleetProber extends EventEmitter<Events> {
	private readonly links = new Map<string, Link>();
	/** Made on the first ssh dial: a fleet without ssh entries never loads ssh (execa) at all. */
	private pool?: SshHostPool;
	private poolLoading?: Promise<SshHostPool>;
	private readonly sshEntries: SshEntry[];
	private readonly connectSlot: ReturnType<typeof limiter>;
	private readonly now: () => number;
	private running = false;

	constructor(
		entries: readonly FleetEntry[],
		private readonly options: FleetProberOptions,
	) {
		super();
		this.now = options.now ?? Date.now;
		this.connectSlot = limiter(options.concurrency ?? 8);
		this.sshEntries = entries.filter((entry): entry is SshEntry => entry.kind === 'ssh');
		for (const entry of entries) {
			this.links.set(entry.name, {entry, row: initialRow(entry.name, whereOf(entry), this.now())});
		}
	}

	rows(): FleetRow[] {
		return [...this.links.values()].map((link) => link.row);
	}

	/** The live connection to one gateway, if it is up (the console drills in through its own). */
	client(name: string): GatewayClient | undefined {
		const client = this.links.get(name)?.client;
		return client?.state === 'connected' ? client : undefined;
	}

	entry(name: string): FleetEntry | undefined {
		return this.links.get(name)?.entry;
	}

	/**
	 * Where one gateway is now and the credentials to offer it, as the next poll would dial it: a profile's config and
	 * a tokenFile read again, an ssh entry through its host's shared connection (opened if it is not). For a client of
	 * the caller's own, with more scopes than the probe's (the console's drill-in and its R and m).
	 */
	async dialFor(name: string): Promise<Dial> {
		const link = this.links.get(name);
		if (!link) {
			throw new Error(`no gateway named ${JSON.stringify(name)} in the fleet`);
		}

		return dial(link.entry, this.options.env, async () => this.sshPool());
	}

	/** Every gateway probed once, `concurrency` at a time; resolves with the rows. */
	async probeAll(): Promise<FleetRow[]> {
		await Promise.all([...this.links.keys()].map(async (name) => this.probe(name)));
		return this.rows();
	}

	/** One poll of one gateway (a poll already under way is joined, not doubled). */
	async probe(name: string): Promise<FleetRow | undefined> {
		const link = this.links.get(name);
		if (!link) {
			return undefined;
		}

		link.polling ??= this.poll(link).finally(() => {
			link.polling = undefined;
		});
		await link.polling;
		return link.row;
	}

	/**
	 * Keep polling every gateway. The first poll of each is at once (connections still open `concurrency` at a time),
	 * so every row has its figures as soon as the connections allow; from the second on, each gateway polls in its own
	 * slot of the interval, so a large fleet is probed a few at a time, never all in the same tick.
	 */
	start(): void {
		if (this.running) {
			return;
		}

		this.running = true;
		const interval = this.options.intervalMs ?? 5000;
		const links = [...this.links.values()];
		const started = performance.now();
		for (const [index, link] of links.entries()) {
			// First poll now; the second in this gateway's own slot of the interval, then every interval.
			const slot = pollOffset(index, links.length, interval);
			this.schedule(link, 0, () => Math.max(0, started + slot + interval - performance.now()));
		}
	}

	/**
	 * A gateway joins the fleet (added from the console): its row at once, polled now and then with the others. An
	 * entry whose name is taken is refused: names are the rows' keys.
	 */
	add(entry: FleetEntry): FleetRow {
		if (this.links.has(entry.name)) {
			throw new Error(`a gateway named ${JSON.stringify(entry.name)} is already in the fleet`);
		}

		const link: Link = {entry, row: initialRow(entry.name, whereOf(entry), this.now())};
		this.links.set(entry.name, link);
		if (entry.kind === 'ssh') {
			this.sshEntries.push(entry);
			this.pool?.add(entry);
		}

		if (this.running) {
			this.schedule(link, 0);
		}

		return link.row;
	}

	/** A gateway leaves the fleet: its polls stop, its connection is closed (and its host's, if it was the last there). */
	async remove(name: string): Promise<boolean> {
		const link = this.links.get(name);
		if (!link) {
			return false;
		}

		link.removed = true;
		clearTimeout(link.timer);
		this.links.delete(name);
		const {entry} = link;
		if (entry.kind === 'ssh' && this.sshEntries.includes(entry)) {
			this.sshEntries.splice(this.sshEntries.indexOf(entry), 1);
		}

		await link.polling?.catch(() => {});
		this.drop(link);
		if (entry.kind === 'ssh') {
			await this.pool?.remove(entry);
		}

		return true;
	}

	/** Poll `link` after `firstDelayMs`, then after `secondDelayMs()` (default: the interval), then every interval. */
	private schedule(link: Link, firstDelayMs: number, secondDelayMs?: () => number): void {
		const interval = this.options.intervalMs ?? 5000;
		let nextDelayMs = secondDelayMs ?? (() => interval);
		const tick = () => {
			void this.probe(link.entry.name).finally(() => {
				if (this.running && !link.removed) {
					link.timer = setTimeout(tick, nextDelayMs());
					nextDelayMs = () => interval;
				}
			});
		};

		link.timer = setTimeout(tick, firstDelayMs);
	}

	private drop(link: Link): void {
		const client = link.client;
		link.client = undefined;
		client?.removeAllListeners();
		void client?.close();
	}

	async stop(): Promise<void> {
		this.running = false;
		for (const link of this.links.values()) {
			clearTimeout(link.timer);
		}

		await Promise.all(
			[...this.links.values()].map(async (link) => {
				await link.polling?.catch(() => {});
				const client = link.client;
				link.client = undefined;
				client?.removeAllListeners();
				await client?.close();
			}),
		);
		await (await this.poolLoading)?.close();
	}

	/** For a process 'exit' listener (a second signal): the ssh connections killed, nothing awaited. */
	disposeSync(): void {
		this.running = false;
		this.pool?.disposeSync();
	}

	private async sshPool(): Promise<SshHostPool> {
		this.poolLoading ??= import('./ssh-hosts.js').then(({SshHostPool}) => {
			this.pool = new SshHostPool(this.sshEntries, this.options.tunnelOptions, this.now);
			return this.pool;
		});
		return this.poolLoading;
	}

	private apply(link: Link, event: FleetEvent): void {
		if (link.removed) {
			return;
		}

		const next = reduceRow(link.row, event);
		if (next !== link.row) {
			link.row = next;
			this.emit('row', next);
		}
	}

	private async poll(link: Link): Promise<void> {
		if (!link.client || link.client.state !== 'connected') {
			const connected = await this.connectSlot(async () => this.connect(link));
			if (!connected) {
				return;
			}
		}

		await this.probeHealth(link);
	}

	/** Open the link's connection; false (with the row saying why) when it could not be opened. */
	private async connect(link: Link): Promise<boolean> {
		const {entry} = link;
		const timeoutMs = this.options.timeoutMs ?? 10_000;
		this.apply(link, {type: 'connecting', at: this.now()});
		let target: Dial;
		try {
			target = await dial(entry, this.options.env, async () => this.sshPool());
		} catch (error) {
			const message = (error as Error).message;
			this.apply(link, error instanceof CredentialError ? {type: 'auth-failed', why: message, at: this.now()} : {type: 'unreachable', why: firstSentence(message), at: this.now()});
			return false;
		}

		const print = fingerprint(target);
		if (link.refused?.fingerprint === print && this.now() - link.refused.at < (this.options.authRetryMs ?? 30_000)) {
			return false; // the same credentials were just refused: offering them again only feeds the rate limiter
		}

		try {
			const session = await openSession(target, {timeoutMs, scopes: ['operator.read'], displayName: 'openclaw fleet'});
			link.refused = undefined;
			link.statusRead = false;
			link.client?.removeAllListeners();
			link.client = session.client;
			session.client.on('shutdown', (payload) => {
				if (payload.restartExpectedMs !== undefined) {
					this.apply(link, {type: 'restarting', expectedMs: payload.restartExpectedMs, at: this.now()});
				}
			});
			this.apply(link, {type: 'hello', version: session.hello.server?.version, at: this.now()});
			return true;
		} catch (error) {
			const kind = (error as {kind?: string}).kind;
			if (kind === 'auth') {
				link.refused = {fingerprint: print, at: this.now()};
				this.apply(link, {type: 'auth-failed', why: shortReason(error), at: this.now()});
			} else {
				const why = entry.kind === 'ssh' ? (this.pool?.explain(entry, error) ?? shortReason(error)) : shortReason(error);
				this.apply(link, {type: 'unreachable', why: firstSentence(why), at: this.now()});
			}

			return false;
		}
	}

	/** The RPC probe: `health`, timed, then (once per connection, if served and still unknown) `status`. */
	private async probeHealth(link: Link): Promise<void> {
		const client = link.client!;
		const timeoutMs = this.options.timeoutMs ?? 10_000;
		const method = serves(client, 'health') ? 'health' : serves(client, 'status') ? 'status' : undefined;
		if (!method) {
			this.apply(link, {type: 'unreachable', why: 'serves neither health nor status: nothing to probe', at: this.now()});
			return;
		}

		const started = performance.now();
		try {
			const payload = await client.request(method, {}, {timeoutMs});
			const latencyMs = Math.round((performance.now() - started) * 10) / 10;
			const summary = method === 'health' ? summarizeHealth(payload) : {};
			if (!link.statusRead && summary.reloadMode === undefined && serves(client, 'status')) {
				link.statusRead = true;
				const status = await client.request('status', {}, {timeoutMs}).catch(() => undefined);
				// Guarded whatever the map says: a real OpenClaw status has no `gateway` section.
				const gateway: Record<string, unknown> = isRecord(status) && isRecord(status.gateway) ? status.gateway : {};
				if (typeof gateway.reloadMode === 'string') {
					summary.reloadMode = gateway.reloadMode;
				}
			}

			this.apply(link, {type: 'probe-ok', latencyMs, summary, at: this.now()});
		} catch (error) {
			this.apply(link, {type: 'unreachable', why: shortReason(error), at: this.now()});
			// A link that did not answer is dropped: the next poll dials again (a moved port, a new token, a new tunnel).
			const dropped = link.client;
			link.client = undefined;
			dropped?.removeAllListeners();
			void dropped?.close();
		}
	}
}
