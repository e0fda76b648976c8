// The Gateway: one HTTP server on one port carrying the WebSocket control plane, health probes, the control page
// and (through `httpRoutes`) OpenResponses and hooks. One GatewayServer is one "generation": an in-process restart
// stops it and the run loop (run.ts) starts the next on the fresh config.
import {EventEmitter} from 'node:events';
import http from 'node:http';
import type {Duplex} from 'node:stream';
import {monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram} from 'node:perf_hooks';
import {createRequire} from 'node:module';
import type {WebSocketServer as WebSocketServerType} from 'ws';
import {
	closeCodes,
	events,
	isRecord,
	limits,
	PROTOCOL_VERSION,
	type HelloOk,
	type ShutdownPayload,
} from '../source/protocol/index.js';
import type {AuthSettings} from './auth.js';
import {AuthRateLimiter, authAttemptSource, defaultRateLimit, type RateLimitSettings} from './auth-rate-limit.js';
import {BudgetMeter, budgetQuietMs, type BudgetReport} from './budget-meter.js';
import type {LoadedConfig} from '../source/protocol/config/load.js';
import {Connection} from './connection.js';
import {handleHttp, originAllowed, type HttpRoute} from './http.js';
import type {Logger} from './logger.js';
import {DevicePairingStore} from './device-pairing.js';
import {execTailscaleWhois, type TailscaleWhois} from './tailscale-whois.js';
import {DiagnosticsRecorder} from './diagnostics.js';
import {heartbeatStatus} from './heartbeat.js';
import {loadGatewayIdentity, type GatewayIdentity} from './identity.js';
import {coreMethods, operatorMethods} from './methods/index.js';
import {updateSchedule} from './methods/update-status.js';
import type {MethodSpec} from './methods/types.js';
import {PresenceRegistry, selfPresence} from './presence.js';
import type {GatewayService} from './service.js';
import type {BroadcastOptions, GatewayRuntime, RestartStatus} from './runtime.js';
import {gatewayVersion} from '../source/protocol/version.js';
import type {EventLoopStats, HealthResult, StatusResult} from '../source/protocol/methods/index.js';

// ws through require(): its ESM wrapper makes the loader lex every CJS file, which costs start-up time.
const {WebSocketServer} = createRequire(import.meta.url)('ws') as {WebSocketServer: typeof WebSocketServerType};

export type GatewayServerOptions = {
	host: string;
	port: number;
	bindMode?: string;
	auth: AuthSettings;
	stateDir: string;
	configPath: string;
	config: LoadedConfig;
	logger: Logger;
	version?: string;
	handshakeTimeoutMs?: number;
	tickIntervalMs?: number;
	pingIntervalMs?: number;
	maxPreAuthSocketsPerIp?: number;
	maxPayload?: number;
	maxBufferedBytes?: number;
	rateLimit?: Partial<RateLimitSettings>;
	/** Methods beyond the core set (later issues add theirs here). */
	methods?: MethodSpec[];
	httpRoutes?: HttpRoute[];
	/** Features plugged in: their methods, HTTP routes, health fields and lifecycle hooks. */
	services?: GatewayService[];
	/** Called when a client asks for an in-process restart (RPC, SIGUSR2, reload). */
	onRestartRequested?: (reason: string) => void;
	/** Who owns a tailnet address (Tailscale Serve identity); default: `tailscale whois --json` from PATH. */
	tailscaleWhois?: TailscaleWhois;
};

export type StopOptions = {reason?: string; restart?: boolean; restartExpectedMs?: number};

/** What a Connection needs from its server; kept narrow so connection.ts stays testable on its own. */
export type ConnectionHost = {
	readonly logger: Logger;
	readonly auth: AuthSettings;
	readonly rateLimiter: AuthRateLimiter;
	readonly presence: PresenceRegistry;
	readonly devices: DevicePairingStore;
	readonly methods: ReadonlyMap<string, MethodSpec>;
	readonly runtime: GatewayRuntime;
	readonly handshakeTimeoutMs: number;
	readonly maxPayload: number;
	readonly maxBufferedBytes: number;
	readonly admissionClosed: boolean;
	readonly tailscaleWhois: TailscaleWhois;
	/** `gateway.nodes.pairing.autoApproveLocal` (default true): pair a new device on a direct loopback connection. */
	autoApproveLocal(): boolean;
	helloOk(conn: Connection, authMethod: string, issued?: {deviceToken: string; issuedAtMs: number}): HelloOk;
	onAuthenticated(conn: Connection): void;
	onClosed(conn: Connection, wasReady: boolean): void;
};

function envNumber(name: string): number | undefined {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : undefined;
}

export class GatewayServer extends EventEmitter implements ConnectionHost, GatewayRuntime {
	readonly version: string;
	readonly startedAt = Date.now();
	readonly logger: Logger;
	readonly presence = new PresenceRegistry();
	readonly methods = new Map<string, MethodSpec>();
	readonly rateLimiter: AuthRateLimiter;
	readonly handshakeTimeoutMs: number;
	readonly maxPayload: number;
	readonly maxBufferedBytes: number;
	readonly tickIntervalMs: number;
	readonly runtime: GatewayRuntime = this;
	readonly devices: DevicePairingStore;
	readonly diagnostics = new DiagnosticsRecorder();
	readonly tailscaleWhois: TailscaleWhois;
	auth: AuthSettings;
	admissionClosed = false;
	ready = false;
	healthVersion = 1;

	private readonly httpServer: http.Server;
	private readonly wss: WebSocketServerType;
	private readonly connections = new Set<Connection>();
	/** Unauthenticated sockets per client IP, oldest first (a Set keeps insertion order). */
	private readonly preAuthByIp = new Map<string, Set<Connection>>();
	private readonly preAuthMeter = new BudgetMeter();
	/** When each IP last had a socket closed to make room: the IPs currently pressing on the budget. */
	private readonly preAuthEvictedAt = new Map<string, number>();
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly eventLoop: IntervalHistogram = monitorEventLoopDelay({resolution: 20});
	private readonly maxPreAuthPerIp: number;
	/** `health.budgets.preAuthSockets.limit`, said once rather than on every `health`. */
	private readonly preAuthLimitText: string;
	private readonly pingIntervalMs: number;
	private currentConfig: LoadedConfig;
	private boundPort: number;
	private stopping?: Promise<void>;
	private presenceTimer?: NodeJS.Timeout;
	private presenceDirty = false;
	private eventLoopCache?: {at: number; stats: EventLoopStats};
	/** The previous reading, so utilization and CPU are over the interval since (as OpenClaw reports them). */
	private eventLoopMark = {at: performance.now(), elu: performance.eventLoopUtilization(), cpu: process.cpuUsage()};
	private degradedSince?: number;
	private restartRequested = false;
	private gatewayIdentity?: GatewayIdentity;

	constructor(private readonly options: GatewayServerOptions) {
		super();
		this.version = options.version ?? gatewayVersion();
		this.logger = options.logger;
		this.auth = options.auth;
		this.currentConfig = options.config;
		this.boundPort = options.port;
		this.handshakeTimeoutMs =
			options.handshakeTimeoutMs ?? envNumber('OPENCLAW_HANDSHAKE_TIMEOUT_MS') ?? limits.handshakeTimeoutMs;
		this.tickIntervalMs = options.tickIntervalMs ?? limits.tickIntervalMs;
		this.pingIntervalMs = options.pingIntervalMs ?? limits.pingIntervalMs;
		this.maxPayload = options.maxPayload ?? limits.maxPayload;
		this.maxBufferedBytes = options.maxBufferedBytes ?? limits.maxBufferedBytes;
		this.maxPreAuthPerIp =
			options.maxPreAuthSocketsPerIp ??
			envNumber('OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP') ??
			options.config.config.gateway?.maxPreAuthSocketsPerIp ??
			limits.preAuthSocketsPerIp;
		this.preAuthLimitText = `${this.maxPreAuthPerIp} unauthenticated sockets per IP; past it the oldest is closed`;
		this.rateLimiter = new AuthRateLimiter({
			...defaultRateLimit,
			...options.config.config.gateway?.auth?.rateLimit,
			...options.rateLimit,
		});
		this.tailscaleWhois = options.tailscaleWhois ?? execTailscaleWhois();
		this.devices = new DevicePairingStore(options.stateDir, (message) => {
			this.logger.error(message);
		});
		this.presence.setSelf(selfPresence(this.version, bootId()));
		const services = options.services ?? [];
		for (const spec of [...coreMethods, ...operatorMethods, ...(options.methods ?? []), ...services.flatMap((service) => service.methods ?? [])]) {
			this.methods.set(spec.name, spec);
		}

		const routes = [...(options.httpRoutes ?? []), ...services.flatMap((service) => service.httpRoutes ?? [])];
		this.httpServer = http.createServer((request, response) => {
			void handleHttp(request, response, this, routes);
		});
		this.httpServer.on('upgrade', (request, socket, head) => {
			this.onUpgrade(request, socket, head);
		});
		this.httpServer.on('clientError', (_error, socket) => {
			socket.destroy();
		});
		this.wss = new WebSocketServer({noServer: true, maxPayload: limits.preAuthMaxPayload, perMessageDeflate: false});
	}

	get host(): string {
		return this.options.host;
	}

	get port(): number {
		return this.boundPort;
	}

	get bindMode(): string {
		return this.options.bindMode ?? 'loopback';
	}

	get stateDir(): string {
		return this.options.stateDir;
	}

	get configPath(): string {
		return this.options.configPath;
	}

	get bootId(): string {
		return bootId();
	}

	identity(): GatewayIdentity | undefined {
		return this.gatewayIdentity;
	}

	activeWork(): Record<string, number> {
		const work: Record<string, number> = {rootRequests: [...this.connections].reduce((sum, conn) => sum + conn.pending().length, 0)};
		for (const service of this.options.services ?? []) {
			for (const [kind, count] of Object.entries(service.activeWork?.() ?? {})) {
				work[kind] = (work[kind] ?? 0) + count;
			}
		}

		return work;
	}

	get connectionCount(): number {
		return this.connections.size;
	}

	config(): LoadedConfig {
		return this.currentConfig;
	}

	/** Hot-apply a new config (reload decides what is hot-safe). */
	setConfig(config: LoadedConfig): void {
		this.currentConfig = config;
		this.rateLimiter.settings = {...defaultRateLimit, ...config.config.gateway?.auth?.rateLimit, ...this.options.rateLimit};
	}

	async start(): Promise<void> {
		const started = performance.now();
		await this.devices.load();
		this.gatewayIdentity = await loadGatewayIdentity(this.stateDir, (reason) => {
			this.logger.warn(`gateway identity file unreadable (${reason}): made a new identity`);
		});
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error) => {
				this.httpServer.off('listening', onListening);
				reject(error);
			};

			const onListening = () => {
				this.httpServer.off('error', onError);
				resolve();
			};

			this.httpServer.once('error', onError);
			this.httpServer.once('listening', onListening);
			this.httpServer.listen({port: this.options.port, host: this.options.host, exclusive: true});
		});
		const address = this.httpServer.address();
		if (address && typeof address === 'object') {
			this.boundPort = address.port;
		}

		this.eventLoop.enable();
		this.every(this.tickIntervalMs, () => {
			this.broadcast(events.tick, {ts: Date.now()}, {dropIfSlow: true});
		});
		this.every(this.pingIntervalMs, () => {
			for (const conn of this.connections) {
				conn.ping();
			}
		});
		this.every(60_000, () => {
			void this.broadcastHealth();
			this.diagnostics.sampleMemory();
		});
		for (const service of this.options.services ?? []) {
			await service.start?.(this);
		}

		this.ready = true;
		this.diagnostics.record('diagnostic.phase.completed', {phase: 'startup', durationMs: Math.round(performance.now() - started)});
		this.diagnostics.sampleMemory();
		this.logger.info(`listening on ws://${this.options.host}:${this.boundPort}`, {
			port: this.boundPort,
			host: this.options.host,
			pid: process.pid,
			version: this.version,
		});
	}

	private every(ms: number, fn: () => void): void {
		const timer = setInterval(fn, ms);
		timer.unref();
		this.timers.push(timer);
	}

	private onUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
		const ip = request.socket.remoteAddress ?? 'unknown';
		const refuse = (status: number, text: string) => {
			socket.end(
				`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
			);
		};

		if (this.admissionClosed || !this.ready) {
			refuse(503, 'gateway restart in progress');
			return;
		}

		if (!originAllowed(request, this)) {
			this.logger.warn('refused websocket upgrade from a foreign origin', {ip, origin: request.headers.origin});
			refuse(403, 'origin not allowed');
			return;
		}

		this.makeRoomForPreAuth(ip);
		const scopeHeader = request.headers['x-openclaw-scopes'];
		const scopeCap =
			typeof scopeHeader === 'string' ? scopeHeader.split(',').map((scope) => scope.trim()).filter(Boolean) : undefined;
		const attemptSource = authAttemptSource(request);
		const ingress = {peer: ip, headers: request.headers};
		this.wss.handleUpgrade(request, socket, head, (ws) => {
			const conn = new Connection(ws, ip, this, attemptSource, ingress, scopeCap);
			this.connections.add(conn);
			const pending = this.preAuthByIp.get(ip) ?? new Set<Connection>();
			pending.add(conn);
			this.preAuthByIp.set(ip, pending);
		});
	}

	/**
	 * Keep an IP at most `maxPreAuthPerIp` unauthenticated sockets by closing its oldest one, not by refusing the
	 * newest: refusing let one local process that holds 32 idle sockets lock every loopback client out, while a new
	 * socket that sends `connect` at once now gets in unless the same IP opens that many more before its first frame.
	 */
	private makeRoomForPreAuth(ip: string): void {
		const pending = this.preAuthByIp.get(ip);
		while (pending && pending.size >= this.maxPreAuthPerIp) {
			const oldest = pending.values().next().value!;
			pending.delete(oldest);
			oldest.close(closeCodes.tryAgainLater, 'Too many unauthenticated sockets');
			this.preAuthEvictedAt.set(ip, Date.now());
			if (this.preAuthMeter.refuse()) {
				this.logger.warn('unauthenticated socket budget exhausted: closing the oldest to admit new ones', {
					ip,
					budget: this.maxPreAuthPerIp,
				});
			}
		}
	}

	private releasePreAuth(conn: Connection): void {
		const pending = this.preAuthByIp.get(conn.ip);
		if (pending?.delete(conn) && pending.size === 0) {
			this.preAuthByIp.delete(conn.ip);
		}
	}

	/** Counted from the sockets themselves: presence keeps at most its cap of entries, so it undercounts past that. */
	private authenticatedCount(): number {
		let count = 0;
		for (const conn of this.connections) {
			if (conn.authenticated) {
				count++;
			}
		}

		return count;
	}

	autoApproveLocal(): boolean {
		return this.currentConfig.config.gateway?.nodes?.pairing?.autoApproveLocal !== false;
	}

	/** Close every open connection of a device whose pairing or token was taken away (4001, as OpenClaw). */
	disconnectDevice(deviceId: string, role?: string): number {
		let closed = 0;
		for (const conn of this.connections) {
			if (conn.caller?.deviceId === deviceId && (role === undefined || conn.caller.role === role)) {
				conn.close(closeCodes.clientInvalidated, 'device removed');
				closed++;
			}
		}

		return closed;
	}

	helloOk(conn: Connection, authMethod: string, issued?: {deviceToken: string; issuedAtMs: number}): HelloOk {
		const caller = conn.caller!;
		const admin = caller.scopes.includes('operator.admin');
		const probe = caller.client.mode === 'probe';
		const configuredModel = this.currentConfig.config.agents?.defaults?.model;
		return {
			type: 'hello-ok',
			protocol: PROTOCOL_VERSION,
			server: {version: this.version, connId: conn.connId, bootId: bootId()},
			features: {
				methods: [...this.methods.values()].filter((spec) => spec.advertise !== false).map((spec) => spec.name),
				events: Object.values(events),
				// Only what is served: models.list makes the published model catalog available.
				capabilities: ['published-model-catalog'],
			},
			snapshot: {
				presence: this.presence.list(),
				health: {},
				stateVersion: this.stateVersion(),
				uptimeMs: Date.now() - this.startedAt,
				appliedConfigHash: this.currentConfig.hash,
				sessionDefaults: {
					defaultAgentId: 'main',
					modelConfigured: configuredModel !== undefined,
					ownership: 'sole',
					selectionRequired: false,
					mainKey: 'main',
					mainSessionKey: 'agent:main:main',
					scope: 'per-sender',
				},
				...(probe ? {} : {updateSchedule: {...updateSchedule}}),
				...(admin ? {configPath: this.configPath, stateDir: this.stateDir, authMode: this.auth.mode} : {}),
			},
			auth: {role: caller.role, scopes: [...caller.scopes], method: authMethod, ...issued},
			policy: {maxPayload: this.maxPayload, maxBufferedBytes: this.maxBufferedBytes, tickIntervalMs: this.tickIntervalMs},
		};
	}

	stateVersion(): {presence: number; health: number} {
		return {presence: this.presence.version, health: this.healthVersion};
	}

	onAuthenticated(conn: Connection): void {
		this.releasePreAuth(conn);
		const caller = conn.caller!;
		this.presence.upsert(conn.connId, {
			clientId: caller.client.id,
			mode: caller.client.mode,
			version: caller.client.version,
			platform: caller.client.platform,
			deviceFamily: caller.client.deviceFamily,
			instanceId: caller.client.instanceId,
			...(caller.deviceId ? {deviceId: caller.deviceId} : {}),
			ip: conn.ip,
			roles: [caller.role],
			scopes: [...caller.scopes],
			reason: 'connect',
			onlineSince: Date.now(),
		});
		this.logger.debug('client connected', {connId: conn.connId, client: caller.client.id, mode: caller.client.mode, ip: conn.ip});
		this.broadcastPresence();
	}

	onClosed(conn: Connection, wasReady: boolean): void {
		this.connections.delete(conn);
		if (!wasReady) {
			this.releasePreAuth(conn);
			return;
		}

		this.emit('connection-closed', conn.connId);

		if (this.presence.remove(conn.connId) && !this.admissionClosed) {
			this.broadcastPresence();
		}
	}

	/**
	 * Presence changes on every connect and disconnect: a burst of N clients would send N full lists to N clients.
	 * The first change goes out at once; later ones within the window are coalesced into one trailing broadcast. The
	 * window grows with the audience (each broadcast is one list per client), from 250 ms to at most 2 s.
	 */
	private broadcastPresence(): void {
		if (this.presenceTimer) {
			this.presenceDirty = true;
			return;
		}

		this.broadcastWithVersion(events.presence, {presence: this.presence.list()}, true);
		this.presenceTimer = setTimeout(() => {
			this.presenceTimer = undefined;
			if (this.presenceDirty && !this.admissionClosed) {
				this.presenceDirty = false;
				this.broadcastPresence();
			}
		}, Math.min(presenceCoalesceMaxMs, presenceCoalesceMs + this.connections.size * 4));
		this.presenceTimer.unref();
	}

	private broadcastWithVersion(event: string, payload: unknown, dropIfSlow: boolean): void {
		const stateVersion = this.stateVersion();
		let payloadJson: string | undefined;
		for (const conn of this.connections) {
			if (conn.canReceive(event, undefined)) {
				payloadJson ??= JSON.stringify(payload);
				conn.sendEvent(event, payload, {stateVersion, dropIfSlow, payloadJson});
			}
		}
	}

	broadcast(event: string, payload: unknown, options: BroadcastOptions = {}): void {
		let payloadJson: string | undefined;
		for (const conn of this.connections) {
			if (options.connIds && !options.connIds.has(conn.connId)) {
				continue;
			}

			if (conn.canReceive(event, options.scope)) {
				payloadJson ??= JSON.stringify(payload);
				conn.sendEvent(event, payload, {dropIfSlow: options.dropIfSlow, payloadJson});
			}
		}
	}

	async broadcastHealth(): Promise<void> {
		const snapshot = await this.health();
		this.healthVersion++;
		this.broadcastWithVersion(events.health, snapshot, true);
	}

	/**
	 * The health snapshot. Answered synchronously when every service's part is (the common case: only a probe waits on
	 * the network), so the `health` poll every client makes is sent in the same turn it arrived in, with no promise.
	 */
	health(options: {probe?: boolean} = {}): HealthResult | Promise<HealthResult> {
		const started = performance.now();
		let parts: Array<Record<string, unknown> | Promise<Record<string, unknown>>> | undefined;
		let promised = false;
		for (const service of this.options.services ?? []) {
			const part = service.health?.(options) ?? {};
			(parts ??= []).push(part);
			promised ||= part instanceof Promise;
		}

		return promised
			? Promise.all(parts!).then((settled) => this.healthSnapshot(settled, started))
			: this.healthSnapshot((parts ?? []) as Array<Record<string, unknown>>, started);
	}

	private healthSnapshot(parts: Array<Record<string, unknown>>, started: number): HealthResult {
		// One object literal with every field in its final place, rather than a base snapshot with the services' parts
		// Object.assign-ed over it (which built base fields only to replace them, and walked each part's keys
		// megamorphically). The result is the merge's, field for field and in the same order: a part's value for a base
		// field takes the base field's place, its other fields follow in the order the merge met them, the last part to
		// name a field wins, and a service's `budgets` join ours rather than replace them.
		let channels: unknown = healthUnset;
		let channelOrder: unknown = healthUnset;
		let channelLabels: unknown = healthUnset;
		let sessions: unknown = healthUnset;
		let configReload: unknown = healthUnset;
		let budgets: unknown = healthUnset;
		// Parts naming fields other than those (rare for base fields, usual for the services' own), replayed in order.
		let rest: Array<Record<string, unknown>> | undefined;
		for (const part of parts) {
			if (part == null) {
				continue;
			}

			let others = false;
			for (const key of Object.keys(part)) {
				switch (key) {
					case 'channels': {
						channels = part.channels;
						break;
					}

					case 'channelOrder': {
						channelOrder = part.channelOrder;
						break;
					}

					case 'channelLabels': {
						channelLabels = part.channelLabels;
						break;
					}

					case 'sessions': {
						sessions = part.sessions;
						break;
					}

					case 'configReload': {
						configReload = part.configReload;
						break;
					}

					case 'budgets': {
						budgets = part.budgets;
						break;
					}

					default: {
						others = true;
					}
				}
			}

			if (others) {
				(rest ??= []).push(part);
			}
		}

		// The services' parts are untyped (GatewayService.health): their `sessions` is taken as the summary it is.
		const summary = (isRecord(sessions) ? sessions : {path: `${this.stateDir}/agents/main/sessions/sessions.json`, count: 0, recent: []}) as HealthResult['sessions'];
		const ownBudgets = this.budgets();
		const snapshot: HealthResult = {
			ok: true,
			ts: Date.now(),
			durationMs: Math.round(performance.now() - started),
			channels: (channels === healthUnset ? {} : channels) as HealthResult['channels'],
			channelOrder: (channelOrder === healthUnset ? [] : channelOrder) as HealthResult['channelOrder'],
			channelLabels: (channelLabels === healthUnset ? {} : channelLabels) as HealthResult['channelLabels'],
			heartbeatSeconds: 0,
			defaultAgentId: 'main',
			agents: [
				{
					agentId: 'main',
					isDefault: true,
					heartbeat: {enabled: false, every: 'disabled', everyMs: null, prompt: '', target: '', ackMaxChars: 0},
					sessions: summary,
				},
			],
			sessions: (sessions === healthUnset ? summary : sessions) as HealthResult['sessions'],
			configReload: (configReload === healthUnset ? {hotReloadStatus: 'active'} : configReload) as HealthResult['configReload'],
			eventLoop: this.eventLoopStats(),
			uptimeMs: Date.now() - this.startedAt,
			// `ownBudgets` is this call's own object: a service's budgets are added to it in place ({...ours, ...theirs}).
			budgets: budgets === healthUnset ? ownBudgets : Object.assign(ownBudgets, isRecord(budgets) ? budgets : {}),
		};
		if (rest) {
			for (const part of rest) {
				for (const key of Object.keys(part)) {
					if (!healthMergedKeys.has(key)) {
						(snapshot as unknown as Record<string, unknown>)[key] = part[key];
					}
				}
			}
		}

		return snapshot;
	}

	/** Per-client budgets, each saying whether it is exhausted, since when and how much it turned away. */
	budgets(): Record<string, BudgetReport> {
		const now = Date.now();
		for (const [ip, at] of this.preAuthEvictedAt) {
			if (now - at >= budgetQuietMs) {
				this.preAuthEvictedAt.delete(ip);
			}
		}

		return {
			authFailures: this.rateLimiter.report(),
			preAuthSockets: this.preAuthMeter.report(this.preAuthEvictedAt.size, this.preAuthLimitText),
		};
	}

	/** Reading the histogram's percentiles costs ~70 µs: at most once a second, not on every `health` call. */
	eventLoopStats(): EventLoopStats {
		const now = Date.now();
		if (!this.eventLoopCache || now - this.eventLoopCache.at >= 1000) {
			this.eventLoopCache = {at: now, stats: this.readEventLoop()};
		}

		return {...this.eventLoopCache.stats};
	}

	private readEventLoop(): EventLoopStats {
		const p99 = this.eventLoop.percentile(99) / 1e6;
		const max = this.eventLoop.max / 1e6;
		const at = performance.now();
		const elu: EventLoopUtilization = performance.eventLoopUtilization();
		const cpu = process.cpuUsage();
		const mark = this.eventLoopMark;
		const intervalMs = at - mark.at;
		const utilization = performance.eventLoopUtilization(elu, mark.elu).utilization;
		// CPU time of the whole process (all threads) per wall-clock time: 1.0 is one core busy.
		const cpuCoreRatio = intervalMs > 0 ? (cpu.user - mark.cpu.user + cpu.system - mark.cpu.system) / 1000 / intervalMs : 0;
		this.eventLoopMark = {at, elu, cpu};
		const degraded = p99 > 200;
		this.degradedSince = degraded ? (this.degradedSince ?? Date.now()) : undefined;
		const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
		return {
			degraded,
			degradedSinceMs: this.degradedSince === undefined ? null : Date.now() - this.degradedSince,
			reasons: degraded ? ['event-loop-delay'] : [],
			intervalMs: round(intervalMs, 1),
			delayP99Ms: round(p99, 1),
			delayMaxMs: round(max, 1),
			utilization: round(utilization, 3),
			cpuCoreRatio: round(cpuCoreRatio, 3),
		};
	}

	async status(options: {admin: boolean}): Promise<StatusResult> {
		const memory = process.memoryUsage();
		return {
			ok: true,
			ts: Date.now(),
			version: this.version,
			pid: process.pid,
			uptimeMs: Date.now() - this.startedAt,
			gateway: {
				bind: this.bindMode,
				host: this.host,
				port: this.port,
				url: `ws://${this.host}:${this.port}`,
				reloadMode: this.currentConfig.config.gateway?.reload?.mode ?? 'hybrid',
				authMode: this.auth.mode,
			},
			connections: {total: this.connections.size, authenticated: this.authenticatedCount()},
			process: {rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, nodeVersion: process.version, platform: process.platform},
			eventLoop: this.eventLoopStats(),
			heartbeat: heartbeatStatus(this.currentConfig.config),
			...(options.admin ? {configPath: this.configPath, stateDir: this.stateDir} : {}),
			// The services' parts are untyped (GatewayService.status); here they are taken as the status fields they add.
			...(Object.assign({}, ...(await Promise.all((this.options.services ?? []).map(async (service) => service.status?.() ?? {})))) as Partial<StatusResult>),
			health: await this.health(),
		};
	}

	onConnectionClosed(listener: (connId: string) => void): () => void {
		this.on('connection-closed', listener);
		return () => this.off('connection-closed', listener);
	}

	requestRestart(reason: string): RestartStatus {
		if (this.restartRequested) {
			return 'coalesced';
		}

		this.restartRequested = true;
		this.logger.info('restart requested', {reason});
		// Answer the caller first: the restart closes its socket.
		setTimeout(() => {
			if (this.options.onRestartRequested) {
				this.options.onRestartRequested(reason);
			} else {
				void this.stop({reason, restart: true});
			}
		}, 50).unref();
		return 'scheduled';
	}

	/**
	 * Stop admitting, tell every client why (`shutdown` event), let in-flight requests finish (bounded), then close
	 * sockets: 1012 "service restart" when a restart follows, 1001 "gateway stopping" otherwise.
	 */
	async stop(options: StopOptions = {}): Promise<void> {
		this.stopping ??= this.doStop(options);
		return this.stopping;
	}

	private async drainUntilQuiet(): Promise<void> {
		const started = Date.now();
		await delay(shutdownQuietMs);
		const busy = () => [...this.connections].some((conn) => Date.now() - conn.lastFrameAt < shutdownQuietMs);
		while (busy() && Date.now() - started < shutdownDrainMaxMs) {
			await delay(25);
		}
	}

	private async doStop(options: StopOptions): Promise<void> {
		this.admissionClosed = true;
		const reason = options.reason ?? (options.restart ? 'gateway restarting' : 'gateway stopping');
		const payload: ShutdownPayload = {reason};
		if (options.restart) {
			payload.restartExpectedMs = options.restartExpectedMs ?? 1500;
		}

		this.logger.info(options.restart ? 'restarting' : 'stopping', {reason, clients: this.connections.size});
		for (const conn of this.connections) {
			if (conn.authenticated) {
				conn.sendEvent(events.shutdown, payload);
			}
		}

		// Drain: requests that crossed the `shutdown` event on the wire still get an answer (UNAVAILABLE) instead of
		// meeting a close frame, after which nothing may be sent. Wait until clients go quiet (bounded), and for
		// requests still running (bounded).
		const pending = [...this.connections].flatMap((conn) => conn.pending());
		await Promise.all([
			this.connections.size > 0 ? this.drainUntilQuiet() : undefined,
			pending.length > 0 ? Promise.race([Promise.allSettled(pending), delay(1000)]) : undefined,
		]);

		for (const timer of this.timers) {
			clearInterval(timer);
		}

		clearTimeout(this.presenceTimer);

		for (const service of this.options.services ?? []) {
			try {
				await service.stop?.();
			} catch (error) {
				this.logger.error('service stop failed', {service: service.name, error: (error as Error).message});
			}
		}

		this.eventLoop.disable();
		const closeCode = options.restart ? closeCodes.serviceRestart : closeCodes.goingAway;
		const closeReason = options.restart ? 'service restart' : 'gateway stopping';
		const closed = [...this.connections].map(
			(conn) =>
				new Promise<void>((resolve) => {
					conn.ws.once('close', () => {
						resolve();
					});
					conn.failPending(options.restart ? 'gateway restarting before the request finished; retry' : 'gateway stopped before the request finished');
					conn.close(closeCode, closeReason);
				}),
		);
		await Promise.race([Promise.all(closed), delay(limits.closeGraceMs + 200)]);
		for (const conn of this.connections) {
			conn.ws.terminate();
		}

		this.wss.close();
		await new Promise<void>((resolve) => {
			this.httpServer.close(() => {
				resolve();
			});
			this.httpServer.closeAllConnections();
		});
		this.ready = false;
		this.emit('stopped', options);
	}
}

const presenceCoalesceMs = 250;
const presenceCoalesceMaxMs = 2000;
const shutdownQuietMs = 150;
const shutdownDrainMaxMs = 800;

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(resolve, ms).unref();
	});
}

let processBootId: string | undefined;
function bootId(): string {
	processBootId ??= crypto.randomUUID();
	return processBootId;
}

/** healthSnapshot: a base field no service part named (distinct from a part naming it with `undefined`). */
const healthUnset = Symbol('unset');
/** healthSnapshot: the fields it takes from the parts into the literal itself; the rest are replayed after. */
const healthMergedKeys = new Set(['channels', 'channelOrder', 'channelLabels', 'sessions', 'configReload', 'budgets']);
