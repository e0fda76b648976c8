// The one definition of the OpenClaw protocol 4 wire format, shared by the gateway (server) and the client.
// Names, codes and limits follow ../shared/reference/openclaw-protocol.md so that clients written for
// OpenClaw work against our gateway and ours against theirs.

export const PROTOCOL_VERSION = 4;
export const MIN_CLIENT_PROTOCOL_VERSION = 4;
export const MIN_PROBE_PROTOCOL_VERSION = 3;

export const DEFAULT_PORT = 18_789;
export const DEV_PORT = 19_001;

export const limits = {
	preAuthMaxPayload: 65_536,
	maxPayload: 26_214_400,
	maxBufferedBytes: 52_428_800,
	tickIntervalMs: 30_000,
	handshakeTimeoutMs: 15_000,
	pingIntervalMs: 25_000,
	maxPendingHandshakeFrames: 15,
	preAuthSocketsPerIp: 32,
	closeReasonMaxBytes: 120,
	closeGraceMs: 1000,
	idempotencyTtlMs: 300_000,
	idempotencyMaxKeys: 1000,
	presenceTtlMs: 300_000,
	presenceMaxEntries: 200,
} as const;

export type RequestFrame = {
	type: 'req';
	id: string;
	method: string;
	params?: unknown;
	traceparent?: string;
};

export type ErrorShape = {
	code: ErrorCode;
	message: string;
	details?: Record<string, unknown>;
	retryable?: boolean;
	retryAfterMs?: number;
};

export type ResponseFrame = {
	type: 'res';
	id: string;
	ok: boolean;
	payload?: unknown;
	error?: ErrorShape;
};

export type StateVersion = {presence: number; health: number};

export type EventFrame = {
	type: 'event';
	event: string;
	payload?: unknown;
	seq?: number;
	stateVersion?: StateVersion;
};

export type Frame = RequestFrame | ResponseFrame | EventFrame;

export const errorCodes = {
	invalidRequest: 'INVALID_REQUEST',
	forbidden: 'FORBIDDEN',
	unavailable: 'UNAVAILABLE',
	notPaired: 'NOT_PAIRED',
} as const;
export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes] | (string & {});

export const closeCodes = {
	normal: 1000,
	goingAway: 1001,
	protocolError: 1002,
	policyViolation: 1008,
	messageTooBig: 1009,
	serviceRestart: 1012,
	tryAgainLater: 1013,
	clientTimeout: 4000,
	clientInvalidated: 4001,
} as const;

export const roles = ['operator', 'node', 'worker'] as const;
export type Role = (typeof roles)[number];

export const scopes = {
	read: 'operator.read',
	write: 'operator.write',
	admin: 'operator.admin',
	approvals: 'operator.approvals',
	pairing: 'operator.pairing',
	talk: 'operator.talk',
	questions: 'operator.questions',
	talkSecrets: 'operator.talk.secrets',
} as const;
export type Scope = string;

/** Every scope a gateway may grant; anything else a client asks for is dropped. */
export const knownScopes: ReadonlySet<string> = new Set(Object.values(scopes));

/** Does a granted scope set satisfy the required one? admin implies all; write implies read and talk. */
export function scopeSatisfied(granted: readonly string[], required: string): boolean {
	if (granted.includes(required) || granted.includes(scopes.admin)) {
		return true;
	}

	if (granted.includes(scopes.write) && (required === scopes.read || required === scopes.talk)) {
		return true;
	}

	return false;
}

export const knownClientIds = [
	'webchat-ui',
	'openclaw-control-ui',
	'openclaw-browser-copilot',
	'openclaw-tui',
	'webchat',
	'cli',
	'gateway-client',
	'openclaw-macos',
	'openclaw-linux',
	'openclaw-ios',
	'openclaw-watchos',
	'openclaw-android',
	'node-host',
	'openclaw-worker',
	'test',
	'fingerprint',
	'openclaw-probe',
] as const;

export const knownClientModes = ['webchat', 'cli', 'ui', 'backend', 'node', 'worker', 'probe', 'test'] as const;

export type ClientInfo = {
	id: string;
	version: string;
	platform: string;
	mode: string;
	displayName?: string;
	buildId?: string;
	deviceFamily?: string;
	modelIdentifier?: string;
	timeZone?: string;
	instanceId?: string;
};

export type ConnectParams = {
	minProtocol: number;
	maxProtocol: number;
	client: ClientInfo;
	role?: Role;
	scopes?: string[];
	caps?: string[];
	auth?: {token?: string; password?: string; deviceToken?: string};
	device?: {id: string; publicKey: string; signature: string; signedAt: number; nonce: string};
	locale?: string;
	userAgent?: string;
	[key: string]: unknown;
};

export type PresenceEntry = {
	ts: number;
	host?: string;
	clientId?: string;
	ip?: string;
	version?: string;
	platform?: string;
	deviceFamily?: string;
	mode?: string;
	reason?: string;
	instanceId?: string;
	roles?: string[];
	scopes?: string[];
	onlineSince?: number;
	text?: string;
	connId?: string;
	/** The verified device identity of the connection, when it had one. */
	deviceId?: string;
};

/** `hello-ok.snapshot.sessionDefaults`: how sessions are keyed when a client names none. */
export type SessionDefaults = {
	defaultAgentId: string;
	modelConfigured: boolean;
	ownership: string;
	selectionRequired: boolean;
	mainKey: string;
	mainSessionKey: string;
	scope: string;
};

export type HelloOk = {
	type: 'hello-ok';
	protocol: number;
	server: {version: string; connId: string; bootId?: string; buildId?: string};
	features: {methods: string[]; events: string[]; capabilities?: string[]};
	snapshot: {
		presence: PresenceEntry[];
		health: Record<string, unknown>;
		stateVersion: StateVersion;
		uptimeMs: number;
		configPath?: string;
		stateDir?: string;
		authMode?: string;
		appliedConfigHash?: string;
		sessionDefaults?: SessionDefaults;
		updateSchedule?: {channel: string; autoEnabled: boolean};
	};
	/** `deviceToken`: issued once to a paired device (then it may connect with it instead of the shared secret). */
	auth: {role: string; scopes: string[]; method?: string; deviceToken?: string; issuedAtMs?: number};
	policy: {maxPayload: number; maxBufferedBytes: number; tickIntervalMs: number};
};

export type ShutdownPayload = {reason: string; restartExpectedMs?: number};

/** Payload of `logs.tail` (byte-cursor follow protocol). */
export type LogsTailResult = {
	file: string;
	cursor: number;
	size: number;
	lines: string[];
	truncated?: boolean;
	reset?: boolean;
	skippedBytes?: number;
};

export const reloadModes = ['off', 'hot', 'restart', 'hybrid'] as const;
export type ReloadMode = (typeof reloadModes)[number];

/** The next reload mode in the console's cycle order: off -> hot -> restart -> hybrid -> off. */
export function nextReloadMode(mode: ReloadMode): ReloadMode {
	const index = reloadModes.indexOf(mode);
	return reloadModes[(index + 1) % reloadModes.length];
}

export const events = {
	challenge: 'connect.challenge',
	agent: 'agent',
	chat: 'chat',
	sessionsChanged: 'sessions.changed',
	presence: 'presence',
	tick: 'tick',
	health: 'health',
	heartbeat: 'heartbeat',
	shutdown: 'shutdown',
	cron: 'cron',
	devicePairRequested: 'device.pair.requested',
	devicePairResolved: 'device.pair.resolved',
	/** Ours: a reload was applied or is pending (the console's Reload pane listens to it). */
	configReload: 'config.reload',
	/** Ours: new log lines are available (lets followers poll at once instead of on a timer). */
	logsAppended: 'logs.appended',
} as const;

/** Events that every authenticated client receives, whatever its scopes. */
export const unscopedEvents: ReadonlySet<string> = new Set([
	events.tick,
	events.health,
	events.heartbeat,
	events.shutdown,
]);

/** Truncate a close reason to the 120 UTF-8 bytes the WebSocket spec (and OpenClaw) allow. */
export function truncateCloseReason(reason: string): string {
	const max = limits.closeReasonMaxBytes;
	if (Buffer.byteLength(reason) <= max) {
		return reason;
	}

	let out = reason;
	while (Buffer.byteLength(out) > max) {
		out = out.slice(0, -1);
	}

	return out;
}

export function errorShape(
	code: ErrorCode,
	message: string,
	extra: Omit<ErrorShape, 'code' | 'message'> = {},
): ErrorShape {
	return {code, message, ...extra};
}

/** An Error that carries a protocol error shape, thrown by method handlers and by the client. */
export class GatewayError extends Error {
	readonly code: ErrorCode;
	readonly details?: Record<string, unknown>;
	readonly retryable?: boolean;
	readonly retryAfterMs?: number;

	constructor(shape: ErrorShape) {
		super(shape.message);
		this.name = 'GatewayError';
		this.code = shape.code;
		this.details = shape.details;
		this.retryable = shape.retryable;
		this.retryAfterMs = shape.retryAfterMs;
	}

	toShape(): ErrorShape {
		const shape: ErrorShape = {code: this.code, message: this.message};
		if (this.details) {
			shape.details = this.details;
		}

		if (this.retryable !== undefined) {
			shape.retryable = this.retryable;
		}

		if (this.retryAfterMs !== undefined) {
			shape.retryAfterMs = this.retryAfterMs;
		}

		return shape;
	}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
