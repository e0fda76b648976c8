// The gateway's own methods (health, status, presence, restart, identity, machine facts, devices, nodes, models,
// usage, stability, update): their params and what this gateway answers. Plain types, no zod, so the CLI's fast path
// can import them for nothing; the gateway's zod schemas are checked against them (gateway/methods/types.ts).
import type {PresenceEntry} from '../index.js';
import type {ConfigReloadHealth} from './config.js';
import type {ChannelAccountSnapshot} from './channels.js';

/** Params of a method that reads none (extra keys are accepted on the wire where the schema passes them through). */
export type NoParams = Record<string, never>;

export type EventLoopStats = {
	degraded: boolean;
	degradedSinceMs: number | null;
	reasons: string[];
	intervalMs: number;
	delayP99Ms: number;
	delayMaxMs: number;
	utilization: number;
	cpuCoreRatio: number;
};

/** One per-client budget (auth failures, pre-auth sockets, hook auth) as `health.budgets` reports it. */
export type BudgetReport = {
	/** True while a client is locked out, or the budget turned something away within the last `budgetQuietMs`. */
	exhausted: boolean;
	/** When the current exhaustion began (epoch ms); null when not exhausted. */
	since: number | null;
	/** Attempts or sockets turned away since `since`. */
	refused: number;
	/** Turned away since the gateway started. */
	refusedTotal: number;
	lastRefusedAt: number | null;
	/** Client IPs over the budget now: locked out, or pressing on it (turned away within the last `budgetQuietMs`). */
	clients: number;
	/** The budget in words, e.g. "10 failed attempts per 60 s per IP, then locked out for 300 s". */
	limit: string;
};

export type SessionsSummary = {path: string; count: number; recent: Array<{key: string; updatedAt: number | null; age: number | null}>};

export type HeartbeatSettings = {enabled: boolean; every: string; everyMs: number | null; prompt: string; target: string; ackMaxChars: number};

export type LogWriterStatus = {
	ok: boolean;
	file: string;
	error?: string;
	droppedLines: number;
	writtenLines: number;
	rotations: number;
	faults: number;
	since?: string;
};

/** `health.channels.<id>`: the channel's summary with its one account under `accounts.default`. */
export type ChannelHealth = {
	configured: boolean;
	enabled: boolean;
	running: boolean;
	connected: boolean;
	lastError: string | null;
	lastProbeAt: number | null;
	accounts: Record<string, ChannelAccountSnapshot>;
	/** Routing facts vary by channel (agents/channel routing): free-form. */
	[routing: string]: unknown;
};

export type HealthResult = {
	ok: boolean;
	ts: number;
	durationMs: number;
	channels: Record<string, ChannelHealth>;
	channelOrder: string[];
	channelLabels: Record<string, string>;
	/** How inbound channel messages reach agents, when routing is configured (its shape follows the config). */
	channelRouting?: unknown;
	heartbeatSeconds: number;
	defaultAgentId: string;
	agents: Array<{agentId: string; isDefault: boolean; heartbeat: HeartbeatSettings; sessions: SessionsSummary}>;
	sessions: SessionsSummary;
	/** The reload service's state; `{hotReloadStatus: 'active'}` alone before it started (and on OpenClaw). */
	configReload: ConfigReloadHealth | {hotReloadStatus: 'active'};
	eventLoop: EventLoopStats;
	uptimeMs: number;
	budgets: Record<string, BudgetReport>;
	logging?: LogWriterStatus;
	/** What agent runs hold against the run policy's budgets. */
	agentRuns?: {active: number; inFlightInputBytes: number; retainedResultBytes: number; policy: Record<string, number>};
};

export type HeartbeatStatus = {
	defaultAgentId: string;
	agents: Array<{agentId: string; enabled: boolean; every: string; everyMs: number | null; waitingForRoute: boolean}>;
};

/** `status.sessions`, OpenClaw's shape. */
export type SessionsStatus = {
	paths: string[];
	count: number;
	defaults: {model: string | null; contextTokens: number | null};
	recent: SessionsSummary['recent'];
	byAgent: Array<{agentId: string} & SessionsSummary>;
};

export type StatusResult = {
	ok: boolean;
	ts: number;
	version: string;
	/** OpenClaw's name for `version` (a real OpenClaw gateway sends this one only); this gateway never sends it. */
	runtimeVersion?: string;
	pid: number;
	uptimeMs: number;
	gateway: {bind: string; host: string; port: number; url: string; reloadMode: string; authMode: string};
	connections: {total: number; authenticated: number};
	process: {rssBytes: number; heapUsedBytes: number; nodeVersion: string; platform: string};
	eventLoop: EventLoopStats;
	heartbeat: HeartbeatStatus;
	/** Admin callers only. */
	configPath?: string;
	stateDir?: string;
	sessions?: SessionsStatus;
	health: HealthResult;
};

export type RestartRequestParams = {reason?: string; skipDeferral?: boolean; target?: {pid?: number; port?: number}};
export type RestartRequestResult = {ok: boolean; status: 'scheduled' | 'coalesced'; pid: number};

export type RestartPreflightResult = {
	safe: boolean;
	counts: {
		queueSize: number;
		pendingReplies: number;
		embeddedRuns: number;
		cronRuns: number;
		backgroundExecSessions: number;
		rootRequests: number;
		activeTasks: number;
		totalActive: number;
	};
	blockers: string[];
	summary: string;
};

export type SystemInfoResult = {
	machineName: string;
	hostname: string;
	platform: string;
	release: string;
	arch: string;
	osLabel: string;
	port: number;
	nodeVersion: string;
	pid: number;
	processInstanceId: string;
	uptimeMs: number;
	cpuCount: number;
	cpuModel?: string;
	loadAverage: number[];
	memoryTotalBytes: number;
	memoryFreeBytes: number;
	eventLoop: EventLoopStats;
	processMemory: {rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number; arrayBuffersBytes: number};
	disks?: Array<{path: string; totalBytes: number; availableBytes: number}>;
	diskTotalBytes?: number;
	diskAvailableBytes?: number;
	diskPath?: string;
};

export type GatewayIdentityResult = {deviceId: string; publicKey: string};

export type StabilityParams = {limit?: number; type?: string; sinceSeq?: number};
/** One recorded event; its other fields depend on its type (free-form). */
export type DiagnosticEvent = {seq: number; ts: number; type: string; [field: string]: unknown};
export type MemorySample = {rssBytes: number; heapTotalBytes: number; heapUsedBytes: number; externalBytes: number; arrayBuffersBytes: number};
export type StabilityResult = {
	generatedAt: string;
	capacity: number;
	count: number;
	dropped: number;
	firstSeq: number | null;
	lastSeq: number | null;
	events: DiagnosticEvent[];
	summary: {
		byType: Record<string, number>;
		memory?: {latest: MemorySample; maxRssBytes: number; maxHeapUsedBytes: number; pressureCount: number};
	};
};

export type UpdateStatusResult = {
	sentinel: null;
	updateAvailable: null;
	effectiveChannel: string;
	schedule: {channel: string; autoEnabled: boolean};
	autoUpdate: {supported: boolean; reason: string};
};

export type NodeEntry = {
	nodeId: string;
	displayName: string;
	platform?: string;
	version?: string;
	remoteIp?: string;
	paired: boolean;
	connected: boolean;
	connectedAtMs?: number;
	lastSeenAtMs?: number;
};

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

export type ModelsListParams = {
	agentId?: string;
	sessionKey?: string;
	provider?: string;
	includeDetails?: boolean;
	view?: 'default' | 'configured' | 'provider-config' | 'all';
	preparedOnly?: boolean;
	refresh?: boolean;
};
export type ModelCatalogEntry = {
	id: string;
	name: string;
	provider: string;
	alias?: string;
	available: boolean;
	local?: boolean;
	input: string[];
	contextWindow?: number;
	tags: string[];
};

export type UsageTotals = {
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	totalTokens: number;
	totalCost: number;
	inputCost: number;
	outputCost: number;
	cacheReadCost: number;
	cacheWriteCost: number;
	missingCostEntries: number;
};
export type UsageCostResult = {updatedAt: number; days: number; daily: Array<{date: string} & UsageTotals>; totals: UsageTotals};

export type GatewayMethods = {
	health: {params: {probe?: boolean}; result: HealthResult};
	status: {params: {includeChannelSummary?: boolean}; result: StatusResult};
	'system-presence': {params: NoParams; result: PresenceEntry[]};
	'gateway.restart.request': {params: RestartRequestParams; result: RestartRequestResult};
	'gateway.restart.preflight': {params: NoParams; result: RestartPreflightResult};
	'system.info': {params: NoParams; result: SystemInfoResult};
	'gateway.identity.get': {params: NoParams; result: GatewayIdentityResult};
	'diagnostics.stability': {params: StabilityParams; result: StabilityResult};
	'update.status': {params: NoParams; result: UpdateStatusResult};
	/** OpenClaw answers its last heartbeat event; this gateway runs no heartbeats and always answers null. */
	'last-heartbeat': {params: NoParams; result: null};
	'node.list': {params: NoParams; result: {ts: number; nodes: NodeEntry[]}};
	'device.pair.list': {params: NoParams; result: {pending: PendingDevice[]; paired: Array<PairedDevice & {connected: boolean}>}};
	'device.pair.approve': {params: {requestId: string}; result: {requestId: string; device: PairedDevice}};
	'device.pair.reject': {params: {requestId: string}; result: {requestId: string; deviceId: string}};
	/** Revokes a paired device's token for one role; that device's open connections in the role are closed (4001). */
	'device.token.revoke': {params: {deviceId: string; role: string}; result: {deviceId: string; role: string; revokedAtMs: number}};
	'models.list': {params: ModelsListParams; result: {models: ModelCatalogEntry[]}};
	'usage.cost': {params: {days?: number}; result: UsageCostResult};
};
