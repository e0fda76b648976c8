// `sessions.*` and `chat.*` reads and writes: the stored sessions as OpenClaw's rows, a session's transcript, and a
// user message into a session.
import type {NoParams} from './gateway.js';

export type SessionKind = 'direct' | 'group' | 'global' | 'unknown';
export type SessionStatus = 'running' | 'done' | 'failed' | 'killed' | 'timeout';

/** One session as `sessions.list`, `sessions.describe` and `chat.history` show it. */
export type SessionRow = {
	key: string;
	kind: SessionKind;
	chatType: 'group' | 'direct';
	agentId: string;
	sessionId: string;
	sessionStartedAt: number;
	updatedAt: number | null;
	lastInteractionAt: number;
	status: SessionStatus;
	hasActiveRun: boolean;
	activeRunIds: string[];
	abortedLastRun?: boolean;
	lastRunId?: string;
	workspaceDir?: string;
	messageCount: number;
	model?: string;
	modelProvider?: string;
	inputTokens?: number;
	outputTokens?: number;
	totalTokens?: number;
	totalTokensFresh?: boolean;
	visibility: 'shared';
};

/** The model a new session would run. */
export type SessionModelDefaults = {modelProvider: string; model: string; contextTokens: number | null};

/** OpenClaw's SessionsListParamsSchema; this gateway acts on the paging, agent, activity and search filters. */
export type SessionsListParams = {
	limit?: number;
	offset?: number;
	activeMinutes?: number;
	activeOnly?: boolean;
	requireLastInteraction?: boolean;
	sortBy?: 'updatedAt' | 'lastInteractionAt' | 'activity';
	includeGlobal?: boolean;
	includeUnknown?: boolean;
	excludeSubagents?: boolean;
	excludeCron?: boolean;
	excludeSystem?: boolean;
	configuredAgentsOnly?: boolean;
	includeDerivedTitles?: boolean;
	includeLastMessage?: boolean;
	includeActivitySummary?: boolean;
	label?: string;
	projectId?: string;
	workspaceDir?: string;
	group?: string;
	pinned?: boolean;
	boardFace?: 'chat' | 'dashboard';
	hasBoard?: boolean;
	creatorId?: string;
	ownerId?: string;
	ownerFirst?: boolean;
	involvingMe?: boolean;
	profileRelation?: unknown;
	involvingProfileId?: string;
	includePeople?: boolean;
	spawnedBy?: string;
	agentId?: string;
	search?: string;
	archived?: boolean | 'all';
};

export type SessionsListResult = {
	ts: number;
	path: string | null;
	count: number;
	totalCount: number;
	limitApplied: number;
	offset?: number;
	nextOffset: number | null;
	hasMore: boolean;
	defaults: SessionModelDefaults;
	sessions: SessionRow[];
};

/** A transcript message in OpenClaw's shape; `__openclaw` carries the gateway's own bookkeeping. */
export type ChatMessage = {
	role: 'user' | 'assistant';
	content: Array<{type: 'text'; text: string}>;
	timestamp: number;
	stopReason?: string;
	model?: string;
	provider?: string;
	usage?: {input?: number; output?: number; totalTokens?: number};
	errorMessage?: string;
	__openclaw: {id: string; seq: number; runId?: string; idempotencyKey?: string};
};

export type ChatHistoryParams = {
	sessionKey: string;
	agentId?: string;
	cursor?: string;
	limit?: number;
	maxBytes?: number;
	offset?: number;
	pendingBefore?: number;
	inputRunIds?: string[];
	messageId?: string;
	sessionId?: string;
	maxChars?: number;
};

export type ChatHistoryResult = {
	sessionKey: string;
	sessionId?: string;
	messages: ChatMessage[];
	totalMessages: number;
	hasMore: boolean;
	defaults: SessionModelDefaults;
	sessionInfo?: SessionRow;
	inFlightRun?: {runId: string; text: string};
};

/** OpenClaw's ChatSendParamsSchema; the fields this gateway does not act on are accepted and ignored. */
export type ChatSendParams = {
	sessionKey: string;
	agentId?: string;
	sessionId?: string;
	message: string;
	mentions?: unknown;
	workContext?: unknown;
	intent?: unknown;
	thinking?: string;
	fastMode?: boolean | 'auto';
	fastAutoOnSeconds?: number;
	queueMode?: 'steer' | 'followup' | 'collect' | 'interrupt';
	deliver?: boolean;
	originatingChannel?: string;
	originatingTo?: string;
	originatingAccountId?: string;
	originatingThreadId?: string;
	replyToId?: string;
	attachments?: unknown[];
	/** Per-tool bindings, keyed by tool name: free-form. */
	toolBindings?: Record<string, unknown>;
	timeoutMs?: number;
	systemInputProvenance?: unknown;
	systemProvenanceReceipt?: string;
	suppressCommandInterpretation?: boolean;
	expectedLeafEntryId?: string | null;
	expectedSessionRoutingContract?: string;
	expectedPermissionMode?: unknown;
	expectedToolOverrides?: unknown;
	idempotencyKey: string;
};

export type SessionsDeleteParams = {
	key: string;
	agentId?: string;
	deleteTranscript?: boolean;
	expectedSessionId?: string;
	expectedLifecycleRevision?: string;
	expectedSessionUpdatedAt?: number;
	emitLifecycleHooks?: boolean;
	archivedOnly?: boolean;
};

export type SessionMethods = {
	'sessions.list': {params: SessionsListParams; result: SessionsListResult};
	/** With list params it also answers the current list. */
	'sessions.subscribe': {params: SessionsListParams; result: {subscribed: true; list?: SessionsListResult}};
	'sessions.unsubscribe': {params: NoParams; result: {subscribed: false}};
	'sessions.describe': {
		params: {key: string; agentId?: string; includeDerivedTitles?: boolean; includeLastMessage?: boolean};
		result: {session: SessionRow | null};
	};
	'sessions.reset': {
		params: {key: string; agentId?: string; reason?: 'new' | 'reset'; expectedSessionId?: string};
		result: {ok: true; key: string; entry: SessionRow};
	};
	'sessions.delete': {params: SessionsDeleteParams; result: {ok: true; key: string; deleted: boolean; archived: string[]}};
	'chat.history': {params: ChatHistoryParams; result: ChatHistoryResult};
	/** Acceptance, not completion: the reply streams as `chat` events. */
	'chat.send': {params: ChatSendParams; result: {runId: string; status: 'started' | 'in_flight' | 'ok'}};
};
