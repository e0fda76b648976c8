// One agent's sessions on disk, in OpenClaw's layout: `<stateDir>/agents/<agentId>/sessions/sessions.json` (the
// index: one entry per session key) and `<sessionId>.jsonl` (each session's transcript). This is the facade the
// gateway uses: it owns the entries, runs every change one at a time, and orders the writes; the parts live in
// entry.ts (the entry and what a turn does to it), index-file.ts (the index format and its atomic write),
// entry-transcript.ts (a session's transcript writes), turn-entry.ts (which entry a turn takes) and reconcile.ts
// (mending the index at open).
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
import {rm} from 'node:fs/promises';
import {recordTurnEnd, type SessionEntry, type TurnEnd} from './entry.js';
import {appendToTranscript, startTranscript, transcriptOverLimits, transcriptPath, trimTranscript, turnEndMessage, turnMessage} from './entry-transcript.js';
import {indexFilePath, writeIndex} from './index-file.js';
import {reconcileIndex} from './reconcile.js';
import type {SessionIdRequest} from './session-id.js';
import {readTranscriptTail, type TranscriptLine, type TranscriptMessage} from './transcript.js';
import {entryBySessionId, sessionIdTakenBy, turnEntry} from './turn-entry.js';

export type {SessionEntry, SessionStatus, TurnEnd} from './entry.js';

export const sessionLimits = {maxSessions: 500, maxMessagesPerSession: 1000, maxTranscriptBytes: 8 * 1024 * 1024};
export type SessionLimits = typeof sessionLimits;

export type StoreLogger = {warn(message: string, fields?: Record<string, unknown>): void};

export class SessionStore {
	private queue: Promise<unknown> = Promise.resolve();

	private constructor(
		readonly dir: string,
		readonly agentId: string,
		private readonly entries: Map<string, SessionEntry>,
		private readonly limits: SessionLimits,
		private readonly logger: StoreLogger,
		/** A session with a run going is never evicted. */
		private readonly busy: (key: string) => boolean,
	) {
		this.indexPath = indexFilePath(dir);
	}

	static async open(
		dir: string,
		agentId: string,
		options: {limits?: Partial<SessionLimits>; logger?: StoreLogger; busy?: (key: string) => boolean} = {},
	): Promise<SessionStore> {
		const logger = options.logger ?? {warn() {}};
		const {entries, changed} = await reconcileIndex(dir, agentId, logger);
		const store = new SessionStore(dir, agentId, entries, {...sessionLimits, ...options.limits}, logger, options.busy ?? (() => false));
		if (changed) {
			await store.writeIndex();
		}

		return store;
	}

	/** Joined once: `health` reads it on every call. */
	readonly indexPath: string;

	transcriptPath(sessionId: string): string {
		return transcriptPath(this.dir, sessionId);
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
		return entryBySessionId(this.entries, sessionId);
	}

	/** The other session that already has the id a turn asks `key` to take, if any: two keys cannot share a transcript. */
	sessionIdTakenBy(key: string, request: SessionIdRequest): string | undefined {
		return sessionIdTakenBy(this.entries, key, request);
	}

	/**
	 * The user's message of a turn: creates the session if it is new (under `sessionId.id` when given), or moves it to
	 * a fresh transcript under the asked id (the old one is deleted, as a reset does). Durable with the turn's end (one
	 * fsync per turn).
	 */
	async startTurn(key: string, turn: {runId: string; text: string; at?: number; workspaceDir?: string; sessionId?: SessionIdRequest}): Promise<SessionEntry> {
		return this.serial(async () => {
			const at = turn.at ?? Date.now();
			const target = turnEntry(this.entries, key, turn.sessionId);
			const replaced = target.kind === 'move' ? target.replaces : undefined;
			const entry = target.kind === 'current' ? target.entry : await this.create(key, at, {replacing: replaced, workspaceDir: turn.workspaceDir, sessionId: target.sessionId});
			if (turn.workspaceDir) {
				entry.workspaceDir = turn.workspaceDir;
			}

			const message = turnMessage(entry, 'user', turn.text, at, {idempotencyKey: `${turn.runId}:user`});
			await appendToTranscript(this.dir, entry, [{type: 'message', message}], false);
			Object.assign(entry, {updatedAt: at, lastRunId: turn.runId, status: 'running' as const, abortedLastRun: false});
			await this.writeIndex();
			if (replaced) {
				// Only once the index names the new transcript (as a reset does): the index never names a missing file.
				await rm(this.transcriptPath(replaced.sessionId), {force: true});
			}

			return {...entry};
		});
	}

	/** The assistant's answer (or the failure) that ends a turn; fsynced before the index says it happened. */
	async endTurn(key: string, turn: TurnEnd): Promise<SessionEntry | undefined> {
		return this.serial(async () => {
			const entry = this.entries.get(key);
			if (!entry) {
				return undefined;
			}

			const at = Date.now();
			const lines: TranscriptLine[] = turn.text || turn.status !== 'done' ? [{type: 'message', message: turnEndMessage(entry, turn, at)}] : [];
			await appendToTranscript(this.dir, entry, lines, true);
			recordTurnEnd(entry, turn, at);
			if (transcriptOverLimits(entry, this.limits)) {
				await trimTranscript(this.dir, entry, this.agentId, this.limits);
			}

			await this.writeIndex();
			return {...entry};
		});
	}

	/** A fresh transcript under the same key (OpenClaw's `/new`, `/reset`); the old one is deleted. */
	async reset(key: string): Promise<SessionEntry> {
		return this.serial(async () => {
			const previous = this.entries.get(key);
			const entry = await this.create(key, Date.now(), {replacing: previous});
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

	/** A new session under `key` (replacing its current one keeps the workspace); only a new key may evict another. */
	private async create(key: string, at: number, options: {replacing?: SessionEntry; workspaceDir?: string; sessionId?: string}): Promise<SessionEntry> {
		const {replacing, workspaceDir = replacing?.workspaceDir, sessionId = randomUUID()} = options;
		if (!replacing) {
			await this.makeRoom();
		}

		const entry: SessionEntry = {key, sessionId, agentId: this.agentId, createdAt: at, updatedAt: at, messageCount: 0, nextSeq: 1, transcriptBytes: 0, ...(workspaceDir ? {workspaceDir} : {})};
		await startTranscript(this.dir, entry, this.agentId);
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

	private async writeIndex(): Promise<void> {
		await writeIndex(this.indexPath, this.dir, this.entries);
	}
}
