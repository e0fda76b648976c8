// What the index keeps about one session, and how those fields follow from its transcript and its turns. Pure: no
// file is read or written here, so what a turn or a recovery does to an entry can be read (and tested) apart from
// the disk work around it.
import type {ParsedTranscript} from './transcript.js';

export type SessionStatus = 'running' | 'done' | 'failed' | 'killed' | 'timeout';

export type SessionEntry = {
	key: string;
	sessionId: string;
	agentId: string;
	createdAt: number;
	updatedAt: number;
	messageCount: number;
	/** The `__openclaw.seq` the next message gets: keeps counting across trims. */
	nextSeq: number;
	/** Transcript size when this entry was written: a different size on open means the index is behind. */
	transcriptBytes: number;
	lastRunId?: string;
	/** The agent's workspace (its cwd) at the session's last turn; the transcript header keeps the first as `cwd`. */
	workspaceDir?: string;
	status?: SessionStatus;
	abortedLastRun?: boolean;
	model?: string;
	modelProvider?: string;
	inputTokens?: number;
	outputTokens?: number;
	totalTokens?: number;
};

export type TurnEnd = {
	runId: string;
	text: string;
	status: Exclude<SessionStatus, 'running'>;
	stopReason: string;
	model?: string;
	error?: string;
	usage?: {input?: number; output?: number};
};

/** `<provider>/<model>`; a ref without a slash names both (`echo`). */
export function splitModelRef(ref: string): {provider: string; model: string} {
	const slash = ref.indexOf('/');
	return {provider: slash === -1 ? ref : ref.slice(0, slash), model: slash === -1 ? ref : ref.slice(slash + 1)};
}

/** What the end of a turn (already in the transcript) changes in its entry: status, last run, model, token totals. */
export function recordTurnEnd(entry: SessionEntry, turn: TurnEnd, at: number): void {
	Object.assign(entry, {updatedAt: at, lastRunId: turn.runId, status: turn.status, abortedLastRun: turn.status === 'killed'});
	if (turn.model) {
		const {provider, model} = splitModelRef(turn.model);
		entry.modelProvider = provider;
		entry.model = model;
	}

	if (turn.usage) {
		entry.inputTokens = (entry.inputTokens ?? 0) + (turn.usage.input ?? 0);
		entry.outputTokens = (entry.outputTokens ?? 0) + (turn.usage.output ?? 0);
		entry.totalTokens = entry.inputTokens + entry.outputTokens;
	}
}

/** Index fields a transcript implies: message count, next seq, last activity and last run. */
export function entryFieldsFromTranscript(parsed: ParsedTranscript, base?: SessionEntry): Partial<SessionEntry> {
	const last = parsed.messages.at(-1);
	const lastSeq = Math.max(0, ...parsed.messages.map((message) => message.__openclaw?.seq ?? 0));
	const runId = last?.__openclaw?.runId ?? last?.__openclaw?.idempotencyKey?.replace(/:user$/, '');
	return {
		messageCount: parsed.messages.length,
		nextSeq: Math.max(base?.nextSeq ?? 1, lastSeq + 1),
		updatedAt: Math.max(base?.updatedAt ?? 0, last?.timestamp ?? parsed.header?.createdAt ?? 0),
		...(runId ? {lastRunId: runId} : {}),
		// A transcript that ends on the user's message was cut off mid-run.
		...(last?.role === 'user' ? {status: 'killed' as const, abortedLastRun: true} : last ? {status: last.errorMessage ? ('failed' as const) : ('done' as const)} : {}),
	};
}
