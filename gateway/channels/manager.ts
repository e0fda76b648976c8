// ChannelManager: the gateway service that owns every configured channel. It starts the enabled ones, answers
// `channels.status` / `channels.start` / `channels.stop`, adds the channel summary to `health`, and on a hot
// reload restarts only the channels whose config changed.
import type http from 'node:http';
import type {AgentService} from '../agents/service.js';
import type {LoadedConfig} from '../../source/protocol/config/load.js';
import type {HttpRoute} from '../http.js';
import type {Logger} from '../logger.js';
import type {GatewayService} from '../service.js';
import channelsStart from '../methods/channels-start.js';
import channelsStatus from '../methods/channels-status.js';
import channelsStop from '../methods/channels-stop.js';
import type {ProbedChannel} from './probed-channel.js';
import {defaultProbeTimeoutMs} from './probed-channel.js';
import type {ChannelTransport} from './inbound.js';
import {channelOutbound} from './outbound.js';
import {createChannel, createTransport} from './registry.js';
import {ChannelRouter, dmScopeOf} from './router.js';
import {defaultDmPolicy} from './access.js';
import {PairingStore} from './pairing.js';
import {channelsPairing} from '../methods/channels-pairing.js';
import type {MethodSpec} from '../methods/types.js';
import type {ChannelSection} from './service-probe.js';
import {channelIds, defaultAccountId, type ChannelAccountSnapshot, type ChannelId} from './types.js';

export type ChannelsStatusResult = {
	ts: number;
	channelOrder: ChannelId[];
	channelLabels: Record<string, string>;
	channels: Record<string, Record<string, unknown>>;
	channelAccounts: Record<string, ChannelAccountSnapshot[]>;
	channelDefaultAccountId: Record<string, string>;
};

function sectionsOf(config: LoadedConfig): Partial<Record<ChannelId, ChannelSection>> {
	const channels = (config.config.channels ?? {}) as Record<string, ChannelSection | undefined>;
	const sections: Partial<Record<ChannelId, ChannelSection>> = {};
	for (const id of channelIds) {
		const section = channels[id];
		if (section && typeof section === 'object') {
			sections[id] = section;
		}
	}

	return sections;
}

/**
 * Settings the router reads at every message (who may talk, how fast): changing them needs no new connection, and a
 * reconnect would lose what the service sends in the gap (Discord's Gateway has no replay without a resume).
 */
export const liveRoutingKeys = ['dmPolicy', 'allowFrom', 'rateLimit'] as const;

/** Which channels a set of changed config paths touches (`channels` itself touches all); routing settings none. */
export function affectedChannels(changedPaths: readonly string[]): Set<ChannelId> {
	const affected = new Set<ChannelId>();
	for (const changed of changedPaths) {
		if (changed === 'channels') {
			return new Set(channelIds);
		}

		for (const id of channelIds) {
			const prefix = `channels.${id}.`;
			const live = liveRoutingKeys.some((key) => changed === `${prefix}${key}` || changed.startsWith(`${prefix}${key}.`));
			if (!live && (changed === `channels.${id}` || changed.startsWith(prefix))) {
				affected.add(id);
			}
		}
	}

	return affected;
}

export class ChannelManager implements GatewayService {
	readonly name = 'channels';
	readonly methods: MethodSpec[] = [channelsStatus(this), channelsStart(this), channelsStop(this)];
	readonly httpRoutes: HttpRoute[];
	private readonly channels = new Map<ChannelId, ProbedChannel>();
	/** How each channel receives and answers messages; only with an agent service to route them to. */
	private readonly transports = new Map<ChannelId, ChannelTransport>();
	private readonly running = new Set<ChannelId>();
	/** Turns routed and not yet answered: a stop waits for them (bounded) before the agents service aborts its runs. */
	private readonly turns = new Set<Promise<void>>();
	private readonly router?: ChannelRouter;
	private readonly logger: Logger;
	private config?: LoadedConfig;
	private started = false;

	constructor(
		logger: Logger,
		private readonly env: NodeJS.ProcessEnv = process.env,
		/** The agents to route inbound messages to, and where channels keep their state (Telegram's update offset). */
		private readonly routeTo?: {agents: AgentService; stateDir?: string},
	) {
		this.logger = logger.child('gateway/channels');
		if (routeTo) {
			this.router = new ChannelRouter(
				routeTo.agents,
				{section: (id) => (this.config ? sectionsOf(this.config)[id] : undefined), dmScope: () => dmScopeOf(this.config?.config.session)},
				this.logger,
				PairingStore.at(routeTo.stateDir),
			);
			routeTo.agents.channelOutbound = channelOutbound(
				this.router,
				{section: (id) => (this.config ? sectionsOf(this.config)[id] : undefined), transport: (id) => this.transports.get(id)},
				this.logger,
			);
			this.methods.push(...channelsPairing(this));
		}

		this.httpRoutes = [
			{
				matches: (pathname) => this.inboundFor(pathname) !== undefined,
				handle: async (request, response, url) => this.handleInbound(request, response, url),
			},
		];
	}

	start(gateway: {config(): LoadedConfig}): void {
		this.started = true;
		this.config = gateway.config();
		this.load(this.config, new Set(channelIds));
	}

	async stop(): Promise<void> {
		this.started = false;
		for (const channel of this.channels.values()) {
			channel.stop();
		}

		for (const id of this.running) {
			this.transports.get(id)?.stop();
		}

		this.running.clear();
		// Nothing new comes in now. A message already taken was confirmed to its service (Telegram's offset stored, a
		// webhook or Slack POST answered), which will not send it again: let its turn finish and answer, or a restart
		// loses it. Bounded; past that the agents service (stopped after this one) aborts what is left, as before.
		if (this.turns.size > 0) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([Promise.allSettled([...this.turns]), new Promise((resolve) => (timer = setTimeout(resolve, turnsStopGraceMs)))]);
			clearTimeout(timer);
		}
	}

	applyConfig(config: LoadedConfig, changedPaths: string[]): void {
		this.config = config;
		const affected = affectedChannels(changedPaths);
		if (affected.size > 0 && this.started) {
			this.load(config, affected);
		}
	}

	/** (Re)build and start the given channels from config; others are left running as they are. */
	private load(config: LoadedConfig, ids: ReadonlySet<ChannelId>): void {
		const sections = sectionsOf(config);
		const skip = this.env.OPENCLAW_SKIP_CHANNELS === '1';
		for (const id of ids) {
			this.channels.get(id)?.stop();
			this.channels.delete(id);
			this.stopTransport(id);
			this.transports.delete(id);
			const section = sections[id];
			if (!section) {
				continue;
			}

			try {
				const channel = createChannel(id, section, this.logger);
				this.channels.set(id, channel);
				const transport = this.router ? createTransport(id, section, this.logger, {stateDir: this.routeTo?.stateDir}) : undefined;
				if (transport) {
					this.transports.set(id, transport);
				}

				if (channel.enabled && channel.configured && !skip) {
					channel.start();
					this.startTransport(id);
				}
			} catch (error) {
				// A channel that cannot even be built is left out and reported; the gateway and other channels go on.
				this.logger.error(`channel ${id} failed to start`, {channel: id, error: (error as Error).message});
			}
		}
	}

	private startTransport(id: ChannelId): void {
		const transport = this.transports.get(id);
		if (!transport || !this.router || this.running.has(id)) {
			return;
		}

		if (transport.inboundProblem) {
			this.logger.warn(`${id} channel: ${transport.inboundProblem}`, {channel: id});
		}

		const router = this.router;
		this.running.add(id);
		transport.start(
			(message) => {
				const turn = router.route(message, transport);
				this.turns.add(turn);
				void turn.finally(() => this.turns.delete(turn));
			},
			(reason) => this.transportGaveUp(id, transport, reason),
		);
	}

	/**
	 * The transport stopped itself for good: the channel stops with it (not running, not connected, no more re-probes),
	 * so status says so and channels.start (or a config change) can start both again. The reason stays its lastError,
	 * and is logged here, once, for every transport.
	 */
	private transportGaveUp(id: ChannelId, transport: ChannelTransport, reason: string): void {
		if (this.transports.get(id) !== transport || !this.running.delete(id)) {
			return;
		}

		this.channels.get(id)?.stop();
		this.logger.error(`${id} channel stopped: ${reason}`, {channel: id});
	}

	private stopTransport(id: ChannelId): void {
		if (this.running.delete(id)) {
			this.transports.get(id)?.stop();
		}
	}

	/** The running channel that receives on this HTTP path, if any. */
	private inboundFor(pathname: string): ChannelTransport | undefined {
		for (const id of this.running) {
			const transport = this.transports.get(id);
			if (transport?.inboundPath === pathname && transport.handleHttp) {
				return transport;
			}
		}

		return undefined;
	}

	private async handleInbound(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
		const transport = this.inboundFor(url.pathname);
		if (!transport?.handleHttp) {
			response.writeHead(404).end();
			return;
		}

		await transport.handleHttp(request, response);
	}

	/** What a channel that carries messages adds to its account snapshot, in OpenClaw's field names. */
	private routingSnapshot(id: ChannelId): Record<string, unknown> {
		const transport = this.transports.get(id);
		if (!transport || !this.router || !this.config) {
			return {};
		}

		const section = sectionsOf(this.config)[id] ?? {};
		const activity = this.router.activity.get(id);
		return {
			dmPolicy: section.dmPolicy ?? defaultDmPolicy,
			allowFrom: (section.allowFrom as unknown[] | undefined)?.map(String) ?? [],
			mode: transport.mode,
			...(transport.inboundPath ? {webhookPath: transport.inboundPath} : {}),
			...(transport.inboundProblem ? {inboundError: transport.inboundProblem} : {}),
			// A way in that is failing (being retried, or given up) is not connected, whatever the last API probe said.
			...(transport.lastError ? {lastError: transport.lastError, connected: false} : {}),
			lastInboundAt: activity?.lastInboundAt ?? null,
			lastOutboundAt: activity?.lastOutboundAt ?? null,
		};
	}

	/** The pairing store, when this manager routes messages. */
	get pairing(): PairingStore | undefined {
		return this.router?.pairing;
	}

	/** Tell an approved peer, on the channel it wrote from; false when it cannot be told. */
	async notifyApproved(channel: ChannelId, replyTo: string): Promise<boolean> {
		const transport = this.running.has(channel) ? this.transports.get(channel) : undefined;
		if (!transport) {
			return false;
		}

		try {
			await transport.send(replyTo, 'OpenClaw: access approved. Send a message to start chatting.');
			return true;
		} catch {
			return false;
		}
	}

	/** Routing counters (messages routed, refused, rate limited, answered, failed), for health. */
	routing(): Record<string, number> | undefined {
		return this.router ? {...this.router.counters} : undefined;
	}

	has(id: string): id is ChannelId {
		return this.channels.has(id as ChannelId);
	}

	/** The channels in OpenClaw's order (a plain loop: `health` asks on every poll). */
	private ordered(filter?: string): ProbedChannel[] {
		const ordered: ProbedChannel[] = [];
		for (const id of channelIds) {
			const channel = this.channels.get(id);
			if (channel && (!filter || id === filter)) {
				ordered.push(channel);
			}
		}

		return ordered;
	}

	/** Fresh probes of the enabled, configured channels, in parallel, each under its own timeout. */
	async probeAll(options: {timeoutMs?: number; channel?: string} = {}): Promise<void> {
		await Promise.all(
			this.ordered(options.channel)
				.filter((channel) => channel.enabled && channel.configured)
				.map(async (channel) => channel.probe(options.timeoutMs ?? defaultProbeTimeoutMs)),
		);
	}

	async status(options: {probe?: boolean; timeoutMs?: number; channel?: string} = {}): Promise<ChannelsStatusResult> {
		if (options.probe) {
			await this.probeAll(options);
		}

		return this.currentStatus(options.channel);
	}

	/** What the channels last knew, without probing. */
	private currentStatus(filter?: string): ChannelsStatusResult {
		const result: ChannelsStatusResult = {
			ts: Date.now(),
			channelOrder: [],
			channelLabels: {},
			channels: {},
			channelAccounts: {},
			channelDefaultAccountId: {},
		};
		for (const channel of this.ordered(filter)) {
			const snapshot = {...channel.status(), ...this.routingSnapshot(channel.id)};
			result.channelOrder.push(channel.id);
			result.channelLabels[channel.id] = channel.label;
			result.channels[channel.id] = summary(snapshot);
			result.channelAccounts[channel.id] = [snapshot];
			result.channelDefaultAccountId[channel.id] = defaultAccountId;
		}

		return result;
	}

	startChannel(id: ChannelId): {started: boolean; outcome: string} {
		const channel = this.channels.get(id)!;
		if (!channel.configured) {
			return {started: false, outcome: 'not-configured'};
		}

		if (channel.isRunning) {
			return {started: false, outcome: 'already-running'};
		}

		channel.start();
		this.startTransport(id);
		return {started: true, outcome: 'started'};
	}

	stopChannel(id: ChannelId): {stopped: boolean} {
		const channel = this.channels.get(id)!;
		const wasRunning = channel.isRunning;
		channel.stop();
		this.stopTransport(id);
		return {stopped: wasRunning};
	}

	/** OpenClaw's health shape: channels:{id:{...summary, accounts:{default:{...}}}}, channelOrder, channelLabels. */
	health(options: {probe?: boolean}): Record<string, unknown> | Promise<Record<string, unknown>> {
		// Without a probe the answer is at hand: no promise (`health` is polled on every connection).
		return options.probe ? this.status({probe: true}).then((status) => this.healthOf(status)) : this.healthOf(this.currentStatus());
	}

	private healthOf(status: ChannelsStatusResult): Record<string, unknown> {
		const channels: Record<string, unknown> = {};
		for (const id of status.channelOrder) {
			const [account] = status.channelAccounts[id];
			channels[id] = {...status.channels[id], accounts: {[defaultAccountId]: account}};
		}

		const routing = this.routing();
		return {channels, channelOrder: status.channelOrder, channelLabels: status.channelLabels, ...(routing ? {channelRouting: routing} : {})};
	}
}

function summary(snapshot: ChannelAccountSnapshot): Record<string, unknown> {
	return {
		configured: snapshot.configured,
		enabled: snapshot.enabled,
		running: snapshot.running,
		connected: snapshot.connected,
		lastError: snapshot.lastError,
		lastProbeAt: snapshot.lastProbeAt,
		...(snapshot.probe ? {probe: snapshot.probe} : {}),
	};
}

/** How long a stop waits for channel turns under way (the gateway's restart is expected in ~1.5 s). */
const turnsStopGraceMs = 2000;
