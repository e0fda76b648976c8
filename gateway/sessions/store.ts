// One agent's sessions on disk, in OpenClaw's layout: `<stateDir>/agents/<agentId>/sessions/sessions.json` (the
// index: one entry per session key) and `<sessionId>.jsonl` (each session's transcript).
//
// Crash safety. The transcript is the truth and the index a cache of it: transcript lines are appended and fsynced
// at the end of every turn, the index is replaced atomically (temp file, fsync, rename) after each change. Opening
// the store reconciles the two, so a crash at any point loses no session: an index that does not parse is rebuilt
// from the transcripts, a transcript the index does not know (a crash between the two writes) is added back, and one
// that grew after its index entry was written is re-read. A line torn by a crash is skipped.
//
// Bounds (sessionLimits): at most `maxSessions` sessions per agent; a new one past that evicts the least recently
// updated session that has no run going (its transcript is deleted). At most `maxMessagesPerSession` messages and
// `maxTranscriptBytes` per transcript; past either it is rewritten (atomically) with the newest messages within three
// quarters of both, so a long conversation costs a rewrite every few hundred turns rather than every turn, and no
// read of a transcript (history, a run's context, recovery) holds more than that in memory. A reset starts a new
// transcript and deletes the old one.
import {randomUUID} from 'node:crypto';
import {mkdir, open, readdir, readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import type {SessionIdRequest} from './session-id.js';
import {
	appendTranscript,
	messageText,
	newMessageId,
	readTranscript,
	readTranscriptTail,
	type ParsedTranscript,
	type SessionHeader,
	type TranscriptLine,
	type TranscriptMessage,
} from './transcript.js';

export const sessionLimits = {maxSessions: 500, maxMessagesPerSession: 1000, maxTranscriptBytes: 8 * 1024 * 1024};
export type SessionLimits = typeof sessionLimits;

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

type IndexFile = {version: 1; sessions: Record<string, SessionEntry>};

export type TurnEnd = {
	runId: string;
	text: string;
	status: Exclude<SessionStatus, 'running'>;
	stopReason: string;
	model?: string;
	error?: string;
	usage?: {input?: number; output?: number};
};

export type StoreLogger = {warn(message: string, fields?: Record<string, unknown>): void};

export class SessionStore {
	private entries = new Map<string, SessionEntry>();
	private queue: Promise<unknown> = Promise.resolve();

	private constructor(
		readonly dir: string,
		readonly agentId: string,
		private readonly limits: SessionLimits,
		private readonly logger: StoreLogger,
		/** A session with a run going is never evicted. */
		private readonly busy: (key: string) => boolean,
	) {
		this.indexPath = path.join(dir, 'sessions.json');
	}

	static async open(
		dir: string,
		agentId: string,
		options: {limits?: Partial<SessionLimits>; logger?: StoreLogger; busy?: (key: string) => boolean} = {},
	): Promise<SessionStore> {
		const store = new SessionStore(dir, agentId, {...sessionLimits, ...options.limits}, options.logger ?? {warn() {}}, options.busy ?? (() => false));
		await store.load();
		return store;
	}

	/** Joined once: `health` reads it on every call. */
	readonly indexPath: string;

	transcriptPath(sessionId: string): string {
		return path.join(this.dir, `${sessionId}.jsonl`);
	}

	/** Newest first. */
	list(): SessionEntry[] {
		return [...this.entries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
	}

	/** The entries unsorted, in the order `list()` breaks ties by. */
	entriesInOrder(): Iterable<SessionEntry> {
		return this.entries.values();
	}

	get(key: string): SessionEntry | undefined {
		return this.entries.get(key);
	}

	get count(): number {
		return this.entries.size;
	}

	/** The newest `limit` messages of a session (within its last `maxBytes`), oldest first. */
	async messages(key: string, limit?: number, maxBytes?: number): Promise<TranscriptMessage[]> {
		const entry = this.entries.get(key);
		if (!entry) {
			return [];
		}

		const {messages} = await readTranscriptTail(this.transcriptPath(entry.sessionId), maxBytes ?? this.limits.maxTranscriptBytes);
		return limit === undefined ? messages : messages.slice(-limit);
	}

	/** The session that has this id (one at most: the id is its transcript's file name). */
	bySessionId(sessionId: string): SessionEntry | undefined {
		for (const entry of this.entries.values()) {
			if (entry.sessionId === sessionId) {
				return entry;
			}
		}

		return undefined;
	}

	/** The other session that already has the id a turn asks `key` to take, if any: two keys cannot share a transcript. */
	sessionIdTakenBy(key: string, request: SessionIdRequest): string | undefined {
		const current = this.entries.get(key);
		if (current && (current.sessionId === request.id || request.ifDifferent === 'keep')) {
			return undefined;
		}

		const owner = this.bySessionId(request.id);
		return owner && owner.key !== key ? owner.key : undefined;
	}

	/**
	 * The user's message of a turn: creates the session if it is new (under `sessionId.id` when given), or moves it to
	 * a fresh transcript under the asked id (the old one is deleted, as a reset does). Durable with the turn's end (one
	 * fsync per turn).
	 */
	async startTurn(key: string, turn: {runId: string; text: string; at?: number; workspaceDir?: string; sessionId?: SessionIdRequest}): Promise<SessionEntry> {
		return this.serial(async () => {
			const at = turn.at ?? Date.now();
			const {entry, replaced} = await this.turnEntry(key, at, turn.workspaceDir, turn.sessionId);
			if (turn.workspaceDir) {
				entry.workspaceDir = turn.workspaceDir;
			}

			const message = this.message(entry, 'user', turn.text, at, {idempotencyKey: `${turn.runId}:user`});
			await this.append(entry, [{type: 'message', message}], false);
			Object.assign(entry, {updatedAt: at, lastRunId: turn.runId, status: 'running' as const, abortedLastRun: false});
			await this.writeIndex();
			if (replaced) {
				// Only once the index names the new transcript (as a reset does): the index never names a missing file.
				await rm(this.transcriptPath(replaced.sessionId), {force: true});
			}

			return {...entry};
		});
	}

	/** The entry a turn writes to, and the one it replaced when the turn moved the session to another id. */
	private async turnEntry(key: string, at: number, workspaceDir: string | undefined, sessionId: SessionIdRequest | undefined): Promise<{entry: SessionEntry; replaced?: SessionEntry}> {
		const current = this.entries.get(key);
		if (sessionId) {
			const takenBy = this.sessionIdTakenBy(key, sessionId);
			if (takenBy) {
				throw new Error(`session id ${sessionId.id} already belongs to session ${takenBy}`);
			}
		}

		if (!current) {
			return {entry: await this.create(key, at, undefined, workspaceDir, sessionId?.id)};
		}

		if (sessionId && sessionId.ifDifferent === 'rotate' && current.sessionId !== sessionId.id) {
			return {entry: await this.create(key, at, current, workspaceDir ?? current.workspaceDir, sessionId.id), replaced: current};
		}

		return {entry: current};
	}

	/** The assistant's answer (or the failure) that ends a turn; fsynced before the index says it happened. */
	async endTurn(key: string, turn: TurnEnd): Promise<SessionEntry | undefined> {
		return this.serial(async () => {
			const entry = this.entries.get(key);
			if (!entry) {
				return undefined;
			}

			const at = Date.now();
			const lines: TranscriptLine[] = [];
			if (turn.text || turn.status !== 'done') {
				const message = this.message(entry, 'assistant', turn.text, at, {runId: turn.runId});
				message.stopReason = turn.stopReason;
				if (turn.model) {
					const slash = turn.model.indexOf('/');
					message.model = slash === -1 ? turn.model : turn.model.slice(slash + 1);
					message.provider = slash === -1 ? turn.model : turn.model.slice(0, slash);
				}

				if (turn.error) {
					message.errorMessage = turn.error;
				}

				if (turn.usage) {
					message.usage = {...turn.usage, totalTokens: (turn.usage.input ?? 0) + (turn.usage.output ?? 0)};
				}

				lines.push({type: 'message', message});
			}

			await this.append(entry, lines, true);
			Object.assign(entry, {updatedAt: at, lastRunId: turn.runId, status: turn.status, abortedLastRun: turn.status === 'killed'});
			if (turn.model) {
				const slash = turn.model.indexOf('/');
				entry.modelProvider = slash === -1 ? turn.model : turn.model.slice(0, slash);
				entry.model = slash === -1 ? turn.model : turn.model.slice(slash + 1);
			}

			if (turn.usage) {
				entry.inputTokens = (entry.inputTokens ?? 0) + (turn.usage.input ?? 0);
				entry.outputTokens = (entry.outputTokens ?? 0) + (turn.usage.output ?? 0);
				entry.totalTokens = entry.inputTokens + entry.outputTokens;
			}

			if (entry.messageCount > this.limits.maxMessagesPerSession || entry.transcriptBytes > this.limits.maxTranscriptBytes) {
				await this.trim(entry);
			}

			await this.writeIndex();
			return {...entry};
		});
	}

	/** A fresh transcript under the same key (OpenClaw's `/new`, `/reset`); the old one is deleted. */
	async reset(key: string): Promise<SessionEntry> {
		return this.serial(async () => {
			const previous = this.entries.get(key);
			const entry = await this.create(key, Date.now(), previous);
			await this.writeIndex();
			if (previous) {
				await rm(this.transcriptPath(previous.sessionId), {force: true});
			}

			return {...entry};
		});
	}

	async delete(key: string): Promise<boolean> {
		return this.serial(async () => {
			const entry = this.entries.get(key);
			if (!entry) {
				return false;
			}

			this.entries.delete(key);
			await this.writeIndex();
			await rm(this.transcriptPath(entry.sessionId), {force: true});
			return true;
		});
	}

	/** Resolves once every write queued so far is on disk. */
	async flush(): Promise<void> {
		await this.serial(async () => {});
	}

	private serial<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task, task);
		this.queue = run.catch(() => {});
		return run;
	}

	private message(entry: SessionEntry, role: 'user' | 'assistant', text: string, at: number, meta: {runId?: string; idempotencyKey?: string}): TranscriptMessage {
		return {role, content: [{type: 'text', text}], timestamp: at, __openclaw: {id: newMessageId(), seq: entry.nextSeq++, ...meta}};
	}

	private async append(entry: SessionEntry, lines: TranscriptLine[], sync: boolean): Promise<void> {
		if (lines.length === 0 && !sync) {
			return;
		}

		const file = this.transcriptPath(entry.sessionId);
		if (lines.length > 0) {
			await appendTranscript(file, lines, {sync});
		} else {
			const handle = await open(file, 'a');
			await handle.sync();
			await handle.close();
		}

		entry.messageCount += lines.filter((line) => line.type === 'message').length;
		entry.transcriptBytes = (await stat(file)).size;
	}

	private async create(key: string, at: number, replacing?: SessionEntry, workspaceDir = replacing?.workspaceDir, sessionId: string = randomUUID()): Promise<SessionEntry> {
		if (!replacing) {
			await this.makeRoom();
		}

		const entry: SessionEntry = {key, sessionId, agentId: this.agentId, createdAt: at, updatedAt: at, messageCount: 0, nextSeq: 1, transcriptBytes: 0, ...(workspaceDir ? {workspaceDir} : {})};
		const header: SessionHeader = {type: 'session', version: 1, id: entry.sessionId, key, agentId: this.agentId, createdAt: at, ...(workspaceDir ? {cwd: workspaceDir} : {})};
		await mkdir(this.dir, {recursive: true, mode: 0o700});
		await appendTranscript(this.transcriptPath(entry.sessionId), [header], {sync: true});
		entry.transcriptBytes = (await stat(this.transcriptPath(entry.sessionId))).size;
		await syncDir(this.dir);
		this.entries.set(key, entry);
		return entry;
	}

	private async makeRoom(): Promise<void> {
		while (this.entries.size >= this.limits.maxSessions) {
			const victim = [...this.entries.values()].filter((entry) => !this.busy(entry.key)).sort((a, b) => a.updatedAt - b.updatedAt)[0];
			if (!victim) {
				return;
			}

			this.logger.warn('session store full: evicting the least recently used session', {key: victim.key, maxSessions: this.limits.maxSessions});
			this.entries.delete(victim.key);
			await rm(this.transcriptPath(victim.sessionId), {force: true});
		}
	}

	private async trim(entry: SessionEntry): Promise<void> {
		const file = this.transcriptPath(entry.sessionId);
		const parsed = await readTranscriptTail(file, Math.floor(this.limits.maxTranscriptBytes * 0.75));
		const keep = parsed.messages.slice(-Math.max(1, Math.floor(this.limits.maxMessagesPerSession * 0.75)));
		const header: SessionHeader = {type: 'session', version: 1, id: entry.sessionId, key: entry.key, agentId: this.agentId, createdAt: entry.createdAt, ...(entry.workspaceDir ? {cwd: entry.workspaceDir} : {})};
		const text = [header, ...keep.map((message) => ({type: 'message', message}))].map((line) => JSON.stringify(line)).join('\n') + '\n';
		await writeFileAtomic(file, text);
		entry.messageCount = keep.length;
		entry.transcriptBytes = Buffer.byteLength(text);
	}

	private async writeIndex(): Promise<void> {
		const file: IndexFile = {version: 1, sessions: Object.fromEntries(this.entries)};
		await writeFileAtomic(this.indexPath, `${JSON.stringify(file, null, 2)}\n`);
		await syncDir(this.dir);
	}

	private async load(): Promise<void> {
		let changed = false;
		try {
			const parsed = JSON.parse(await readFile(this.indexPath, 'utf8')) as Partial<IndexFile>;
			for (const [key, entry] of Object.entries(parsed.sessions ?? {})) {
				if (entry && typeof entry.sessionId === 'string') {
					this.entries.set(key, {...entry, key});
				}
			}
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				this.logger.warn('session index unreadable: rebuilding it from the transcripts', {path: this.indexPath, error: (error as Error).message});
				changed = true;
			}
		}

		let files: string[] = [];
		try {
			files = (await readdir(this.dir)).filter((name) => name.endsWith('.jsonl'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}

		const bySessionId = new Map([...this.entries.values()].map((entry) => [entry.sessionId, entry]));
		const present = new Set<string>();
		for (const name of files) {
			const sessionId = name.slice(0, -'.jsonl'.length);
			present.add(sessionId);
			const file = path.join(this.dir, name);
			const known = bySessionId.get(sessionId);
			const size = (await stat(file)).size;
			if (known && known.transcriptBytes === size) {
				continue;
			}

			const parsed = await readTranscript(file);
			if (known) {
				Object.assign(known, summarize(parsed, known), {transcriptBytes: size});
				changed = true;
				continue;
			}

			if (!parsed.header) {
				this.logger.warn('transcript without a session header ignored', {path: file});
				continue;
			}

			const current = this.entries.get(parsed.header.key);
			if (current && current.createdAt >= parsed.header.createdAt) {
				// An older transcript of a key that has since been reset (the delete did not happen before a crash).
				await rm(file, {force: true});
				continue;
			}

			const entry: SessionEntry = {
				key: parsed.header.key,
				sessionId,
				agentId: parsed.header.agentId ?? this.agentId,
				createdAt: parsed.header.createdAt,
				updatedAt: parsed.header.createdAt,
				...(typeof parsed.header.cwd === 'string' ? {workspaceDir: parsed.header.cwd} : {}),
				messageCount: 0,
				nextSeq: 1,
				transcriptBytes: size,
				...summarize(parsed),
			};
			this.entries.set(entry.key, entry);
			changed = true;
			this.logger.warn('session recovered from its transcript (the index did not list it)', {key: entry.key, sessionId});
		}

		for (const [key, entry] of this.entries) {
			if (!present.has(entry.sessionId)) {
				this.logger.warn('session index entry without a transcript dropped', {key, sessionId: entry.sessionId});
				this.entries.delete(key);
				changed = true;
			}
		}

		for (const entry of this.entries.values()) {
			if (entry.status === 'running') {
				// The process that ran it is gone: the run ended without its answer.
				Object.assign(entry, {status: 'killed', abortedLastRun: true});
				changed = true;
			}
		}

		if (changed) {
			await this.writeIndex();
		}
	}
}

/** Index fields a transcript implies: message count, next seq, last activity and last run. */
function summarize(parsed: ParsedTranscript, base?: SessionEntry): Partial<SessionEntry> {
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

async function syncDir(dir: string): Promise<void> {
	try {
		const handle = await open(dir, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// Some filesystems refuse fsync on a directory; the rename is still atomic there.
	}
}

export {messageText};
