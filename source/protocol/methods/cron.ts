// `cron.*`: the scheduler's jobs as OpenClaw's CLI reads and changes them (`openclaw cron list|status|add|rm|run|runs`).
import type {NoParams} from './gateway.js';

export type CronSchedule =
	| {kind: 'cron'; expr: string; tz?: string; staggerMs?: number}
	| {kind: 'every'; everyMs: number; anchorMs?: number}
	| {kind: 'at'; at: string};

export type CronRunStatus = 'ok' | 'error' | 'skipped';

/** What a job runs; OpenClaw's payload kinds carry more fields, kept as given (free-form past these). */
export type CronPayload = {kind: 'agentTurn'; message: string; model?: string; timeoutSeconds?: number; [key: string]: unknown};

export type CronJobState = {
	nextRunAtMs?: number;
	runningAtMs?: number;
	lastRunAtMs?: number;
	lastRunStatus?: CronRunStatus;
	lastStatus?: CronRunStatus;
	lastError?: string;
	lastDurationMs?: number;
	consecutiveErrors?: number;
};

/** A job as the scheduler stores it (`<stateDir>/cron/jobs.json`). */
export type CronJob = {
	id: string;
	name: string;
	description?: string;
	agentId?: string;
	sessionKey?: string;
	enabled: boolean;
	deleteAfterRun?: boolean;
	createdAtMs: number;
	updatedAtMs: number;
	schedule: CronSchedule;
	sessionTarget: string;
	wakeMode: string;
	payload: CronPayload;
	/** OpenClaw's delivery settings (mode, channel, to...): free-form, stored as given. */
	delivery?: Record<string, unknown>;
	state: CronJobState;
};

/** A job as the wire shows it: the stored job, its state's headline fields on top, and the agent that runs it. */
export type CronJobView = CronJob & {
	/** Opaque token of the definition (not its run state), as OpenClaw's clients compare it. */
	configRevision: string;
	nextRunAtMs?: number;
	lastRunAtMs?: number;
	lastRunStatus?: CronRunStatus;
	lastRunError?: string;
	effectiveAgentId: string;
};

export type CronDeliveryPreview = {label: string; detail: string};

export type CronRunEntry = {
	ts: number;
	jobId: string;
	action: 'finished';
	status: CronRunStatus;
	error?: string;
	summary?: string;
	runId: string;
	runAtMs: number;
	durationMs: number;
	nextRunAtMs?: number;
	model?: string;
	sessionKey?: string;
	/** Whether the answer reached the job's delivery target (`not-requested`: the job names none). */
	deliveryStatus: CronRunDeliveryStatus;
	delivered?: boolean;
	/** Why the answer did not reach the target. */
	deliveryError?: string;
};

/** OpenClaw's delivery statuses of a cron run (`openclaw cron runs --delivery-status`). */
export type CronRunDeliveryStatus = 'delivered' | 'not-delivered' | 'unknown' | 'not-requested';

export type Paging = {total: number; offset: number; limit: number; hasMore: boolean; nextOffset: number | null};

export type CronJobId = {id: string} | {jobId: string};
export type CronRunMode = 'due' | 'force' | 'if-enabled';

export type CronAddParams = {
	name: string;
	description?: string;
	agentId?: string | null;
	sessionKey?: string | null;
	enabled?: boolean;
	deleteAfterRun?: boolean;
	schedule: CronSchedule;
	sessionTarget: string;
	wakeMode: string;
	/** Any kind is accepted on the wire; this gateway runs `agentTurn` only and refuses the others. */
	payload: {kind: string; message?: string; model?: string; timeoutSeconds?: number};
	delivery?: Record<string, unknown>;
	declarationKey?: string;
	displayName?: string;
};

export type CronMethods = {
	'cron.list': {
		params: {includeDisabled?: boolean; limit?: number; offset?: number; query?: string; agentId?: string};
		result: Paging & {jobs: CronJobView[]; snapshotRevision: string; deliveryPreviews: Record<string, CronDeliveryPreview>};
	};
	'cron.status': {
		params: NoParams;
		result: {enabled: boolean; triggersEnabled: boolean; storePath: string; storage: 'json'; jobs: number; nextWakeAtMs: number | null};
	};
	'cron.get': {params: CronJobId; result: CronJobView};
	'cron.add': {params: CronAddParams; result: CronJobView & {deliveryPreview: CronDeliveryPreview}};
	'cron.remove': {params: CronJobId; result: {ok: true; removed: true}};
	'cron.run': {
		params: CronJobId & {mode?: CronRunMode; expectedProcessInstanceId?: string};
		result: {ok: true; ran: false; reason: 'not-due' | 'disabled'} | {ok: true; enqueued: true; runId: string};
	};
	'cron.runs': {params: {id?: string; jobId?: string; limit?: number; offset?: number}; result: Paging & {entries: CronRunEntry[]}};
};
