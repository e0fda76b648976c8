// Agent runs: `agent` (two answers on one id), waiting for and aborting runs, and the agents this gateway runs.

/** OpenClaw's AgentParamsSchema minus internal fields; those this gateway does not act on are accepted and ignored. */
export type AgentParams = {
	message: string;
	idempotencyKey: string;
	agentId?: string;
	sessionKey?: string;
	sessionId?: string;
	thinking?: string;
	deliver?: boolean;
	bestEffortDeliver?: boolean;
	channel?: string;
	replyChannel?: string;
	to?: string;
	replyTo?: string;
	accountId?: string;
	replyAccountId?: string;
	threadId?: string | number;
	attachments?: unknown[];
	timeout?: number;
	model?: string;
	provider?: string;
	extraSystemPrompt?: string;
	label?: string;
	lane?: string;
	cwd?: string;
	promptMode?: string;
};

export type RunStatus = 'ok' | 'error' | 'timeout';

/** The first answer of `agent` (sent at once, `res ok:true` with this payload). */
export type AgentAccepted = {runId: string; sessionKey: string; agentId: string; status: 'accepted'; acceptedAt: number};

/** What became of a `deliver: true` answer (OpenClaw's `result.deliveryStatus`). */
export type DeliveryStatus = {
	requested: true;
	attempted: boolean;
	status: 'sent' | 'suppressed' | 'failed';
	succeeded: boolean;
	error?: true;
	reason?: string;
	errorMessage?: string;
	resultCount?: number;
};

/** The final answer of `agent`: how the run ended. */
export type AgentRunOutcome = {
	runId: string;
	status: RunStatus;
	summary: 'completed' | 'failed' | 'aborted';
	result: {
		payloads: Array<{text: string}>;
		meta: {durationMs: number; model: string; stopReason: string; aborted: boolean; resultDropped?: boolean};
		/** With `deliver: true`: whether the answer reached the peer, and how. */
		deliverySucceeded?: boolean;
		deliveryStatus?: DeliveryStatus;
	};
	error?: string;
};

export type AgentWaitResult =
	| {runId: string; status: 'timeout'}
	| {
			runId: string;
			status: RunStatus;
			summary: AgentRunOutcome['summary'];
			startedAt: number;
			endedAt?: number;
			stopReason: string;
			error?: string;
	  };

export type AgentEntry = {id: string; name?: string; model: string; workspace?: string};

export type AgentMethods = {
	/** Two answers on one request id: `accepted` at once, then `result` when the run ends. */
	agent: {params: AgentParams; accepted: AgentAccepted; result: AgentRunOutcome};
	'agent.wait': {params: {runId: string; timeoutMs?: number}; result: AgentWaitResult};
	'agent.abort': {params: {runId: string}; result: {ok: true; aborted: boolean; runId: string}};
	'chat.abort': {
		params: {sessionKey: string; agentId?: string; runId?: string; preserveSideRuns?: boolean};
		result: {ok: true; aborted: boolean; runIds: string[]};
	};
	'agents.list': {params: Record<string, never>; result: {defaultId: string; mainKey: string; scope: string; agents: AgentEntry[]}};
};
