// The sessions service: one SessionStore per agent for a server generation, the turns every agent run records into
// its session (the `agent` method, `chat.send`, hooks that wake the main session), the `chat` events a run streams
// (delta, then final | aborted | error, as OpenClaw shapes them) and `sessions.changed` to the clients that asked
// for it with `sessions.subscribe`.
import path from 'node:path';
import {errorCodes, events, GatewayError} from '../../source/protocol/index.js';
import type {AgentService} from '../agents/service.js';
import type {AgentEventPayload, AgentRun, RunOutcome} from '../agents/run.js';
import type {RunRequest} from '../agents/runner.js';
import {selectedModelRef} from '../agents/models.js';
import type {ChatMessage} from '../agents/provider.js';
import type {Logger} from '../logger.js';
import type {MethodSpec} from '../methods/types.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {chatHistory} from '../methods/chat-history.js';
import {chatSend} from '../methods/chat-send.js';
import {sessionsDelete, sessionsReset} from '../methods/sessions-lifecycle.js';
import {sessionsDescribe, sessionsList} from '../methods/sessions-list.js';
import {sessionsSubscribe, sessionsUnsubscribe} from '../methods/sessions-subscribe.js';
import {operatorQueues} from '../methods/operator-queues.js';
import {isStoredSessionKey, parseAgentSessionKey} from './keys.js';
import {agentSessionTarget, type SessionIdMatch, type SessionIdRequest, type SessionTarget, type SessionTargetRequest} from './session-id.js';
import {sessionDefaults, sessionRow, type SessionRow} from './rows.js';
import {SessionStore, type SessionEntry, type SessionLimits, type SessionStatus} from './store.js';
import {messageText} from './transcript.js';
import type {SessionModelDefaults} from '../../source/protocol/methods/index.js';

/** Earlier turns a run gets as context: the newest messages within both bounds. */
const historyMaxMessages = 40;
const historyMaxBytes = 256 * 1024;

export type SessionServiceOptions = {stateDir: string; logger: Logger; agents: AgentService; limits?: Partial<SessionLimits>};

export class SessionService implements GatewayService {
	readonly name = 'sessions';
	readonly methods: MethodSpec[];
	readonly agents: AgentService;
	private readonly stores = new Map<string, Promise<SessionStore>>();
	/** The stores of `stores` that have opened, for answers that need not wait. */
	private readonly opened = new Map<string, SessionStore>();
	private readonly subscribers = new Set<string>();
	private readonly logger: Logger;
	private gateway?: GatewayRuntime;
	private stopListening?: () => void;

	constructor(private readonly options: SessionServiceOptions) {
		this.logger = options.logger.child('gateway/sessions');
		this.agents = options.agents;
		this.methods = [
			sessionsList(this),
			sessionsDescribe(this),
			sessionsSubscribe(this),
			sessionsUnsubscribe(this),
			sessionsReset(this),
			sessionsDelete(this),
			chatSend(this),
			chatHistory(this),
			...operatorQueues,
		];
		options.agents.sessionHistory = async (key, sessionId) => this.history(key, sessionId);
		options.agents.sessionTarget = async (request) => this.agentTarget(request);
		options.agents.runner.on('started', (run: AgentRun) => {
			let recorded!: () => void;
			this.userTurns.set(run, new Promise<void>((resolve) => (recorded = resolve)));
			this.userTurnRecorded.set(run, recorded);
			this.follow(run);
		});
		options.agents.runner.turnHooks = {start: async (run, request) => this.recordStart(run, request), end: async (run, outcome) => this.recordEnd(run, outcome)};
	}

	async start(gateway: GatewayRuntime): Promise<void> {
		this.gateway = gateway;
		this.stopListening = gateway.onConnectionClosed((connId) => this.subscribers.delete(connId));
		// The main store opens with the server: a broken store shows at start, not on the first chat.
		await this.store('main');
	}

	async stop(): Promise<void> {
		this.stopListening?.();
		// Runs were aborted by the agents service (bounded wait: a provider that ignores the abort cannot hold the
		// restart); their last turns are written before the next generation reads the store.
		const running = this.agents.runner.activeRuns().map(async (run) => run.done);
		await Promise.race([Promise.allSettled(running), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
		await Promise.all([...this.stores.values()].map(async (store) => (await store).flush()));
	}

	health(): Record<string, unknown> | Promise<Record<string, unknown>> {
		// Once the main store has opened (at start), answer without a promise: `health` is polled on every connection.
		const opened = this.opened.get('main');
		if (opened) {
			return {sessions: this.summary(opened)};
		}

		return this.store('main').then((store) => ({sessions: this.summary(store)}));
	}

	/** `status.sessions`, OpenClaw's shape: paths, count, defaults, recent and one entry per agent. */
	async status(): Promise<Record<string, unknown>> {
		return {sessions: await this.statusSummary()};
	}

	async statusSummary(): Promise<Record<string, unknown>> {
		const byAgent = await Promise.all(this.agents.agentIds().map(async (agentId) => ({agentId, ...this.summary(await this.store(agentId))})));
		const defaults = sessionDefaults(this.modelRef());
		return {
			paths: byAgent.map((entry) => entry.path),
			count: byAgent.reduce((sum, entry) => sum + entry.count, 0),
			defaults: {model: defaults.model, contextTokens: null},
			recent: byAgent.flatMap((entry) => entry.recent).sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0)).slice(0, 10),
			byAgent,
		};
	}

	store(agentId: string): Promise<SessionStore> {
		let store = this.stores.get(agentId);
		if (!store) {
			const dir = path.join(this.options.stateDir, 'agents', agentId, 'sessions');
			store = SessionStore.open(dir, agentId, {limits: this.options.limits, logger: this.logger, busy: (key) => this.activeRunIds(key).length > 0});
			this.stores.set(agentId, store);
			store.then(
				(opened) => this.opened.set(agentId, opened),
				() => {}, // whoever awaits the store sees the failure
			);
		}

		return store;
	}

	/** The store a key lives in: `agent:<id>:...` names its agent. */
	storeForKey(key: string, agentId = 'main'): Promise<SessionStore> {
		return this.store(parseAgentSessionKey(key)?.agentId ?? agentId);
	}

	modelRef(): string {
		return selectedModelRef(this.agents.currentConfig());
	}

	defaults(): SessionModelDefaults {
		return sessionDefaults(this.modelRef());
	}

	activeRunIds(key: string): string[] {
		return this.agents.runner.activeRuns().filter((run) => run.sessionKey === key).map((run) => run.runId);
	}

	row(entry: SessionEntry): SessionRow {
		return sessionRow(entry, {runIds: this.activeRunIds(entry.key)});
	}

	/** The session an `agent` turn goes to: a `sessionId` without a key is looked up in the stores it may be in. */
	async agentTarget(request: SessionTargetRequest): Promise<SessionTarget> {
		const {sessionId} = request;
		const matches = sessionId && !request.sessionKey?.trim() ? await this.sessionIdMatches(sessionId, request.agentIdGiven ? [request.agentId] : this.agents.agentIds()) : [];
		const target = agentSessionTarget(request, matches);
		await this.checkSessionIdFree(target);
		return target;
	}

	/** Refuses, before the run starts, a turn that would give a session the id another session already has. */
	async checkSessionIdFree(target: SessionTarget): Promise<void> {
		if (!target.sessionId || !isStoredSessionKey(target.sessionKey)) {
			return;
		}

		const takenBy = (await this.storeForKey(target.sessionKey, target.agentId)).sessionIdTakenBy(target.sessionKey, target.sessionId);
		if (takenBy) {
			throw new GatewayError({
				code: errorCodes.invalidRequest,
				message: `sessionId ${target.sessionId.id} already belongs to session ${takenBy}: send it without sessionKey to continue that session, or pick another sessionId`,
			});
		}
	}

	private async sessionIdMatches(sessionId: string, agentIds: string[]): Promise<SessionIdMatch[]> {
		const stores = await Promise.all(agentIds.map(async (agentId) => this.store(agentId)));
		return stores.flatMap((store) => {
			const entry = store.bySessionId(sessionId);
			return entry ? [{agentId: store.agentId, key: entry.key, updatedAt: entry.updatedAt}] : [];
		});
	}

	/**
	 * Earlier turns of a session as model context (newest within the bounds), oldest first; none when the turn moves
	 * the session to another id (it starts a fresh transcript).
	 */
	async history(key: string, sessionId?: SessionIdRequest): Promise<ChatMessage[]> {
		if (!isStoredSessionKey(key)) {
			return [];
		}

		const store = await this.storeForKey(key);
		const current = store.get(key);
		if (current && sessionId?.ifDifferent === 'rotate' && current.sessionId !== sessionId.id) {
			return [];
		}

		const messages = await store.messages(key, historyMaxMessages, historyMaxBytes * 2);
		const out: ChatMessage[] = [];
		let bytes = 0;
		for (const message of messages.reverse()) {
			const content = messageText(message);
			bytes += Buffer.byteLength(content);
			if (bytes > historyMaxBytes || (message.role === 'assistant' && message.errorMessage)) {
				break;
			}

			out.unshift({role: message.role, content});
		}

		return out;
	}

	subscribe(connId: string): void {
		this.subscribers.add(connId);
	}

	unsubscribe(connId: string): boolean {
		return this.subscribers.delete(connId);
	}

	/** `sessions.changed` to subscribed clients (OpenClaw sends it only to them, never to everyone). */
	changed(payload: Record<string, unknown>): void {
		if (this.subscribers.size > 0) {
			this.gateway?.broadcast(events.sessionsChanged, payload, {connIds: this.subscribers, dropIfSlow: true});
		}
	}

	private summary(store: SessionStore): {path: string; count: number; recent: Array<{key: string; updatedAt: number | null; age: number | null}>} {
		const now = Date.now();
		return {
			path: store.indexPath,
			count: store.count,
			recent: (newest(store.entriesInOrder(), 5) ?? store.list().slice(0, 5)).map((entry) => ({key: entry.key, updatedAt: entry.updatedAt, age: now - entry.updatedAt})),
		};
	}

	/** Follow one run's events: its answer streams as `chat` deltas. */
	private follow(run: AgentRun): void {
		run.on('event', (payload: AgentEventPayload) => {
			if (payload.stream === 'assistant') {
				const text = String(payload.data.text ?? '');
				this.chat(run, {state: 'delta', deltaText: String(payload.data.delta ?? ''), message: {role: 'assistant', content: [{type: 'text', text}], timestamp: payload.ts}});
			}
		});
	}

	private readonly chatSeq = new WeakMap<AgentRun, number>();
	private readonly userTurns = new WeakMap<AgentRun, Promise<void>>();
	private readonly userTurnRecorded = new WeakMap<AgentRun, () => void>();

	/** Resolves once the run's user message is in its session (chat.send answers after it, as OpenClaw's does). */
	async userTurn(run: AgentRun): Promise<void> {
		await this.userTurns.get(run);
	}

	private chat(run: AgentRun, frame: Record<string, unknown>): void {
		const seq = (this.chatSeq.get(run) ?? 0) + 1;
		this.chatSeq.set(run, seq);
		this.gateway?.broadcast(events.chat, {runId: run.runId, sessionKey: run.sessionKey, seq, ...frame}, frame.state === 'delta' ? {dropIfSlow: true} : {});
	}

	private async recordStart(run: AgentRun, request: RunRequest): Promise<void> {
		try {
			await this.recordUserTurn(run, request);
		} finally {
			this.userTurnRecorded.get(run)?.();
		}
	}

	private async recordUserTurn(run: AgentRun, request: RunRequest): Promise<void> {
		if (!isStoredSessionKey(run.sessionKey)) {
			return;
		}

		const store = await this.storeForKey(run.sessionKey, run.agentId);
		const entry = await store.startTurn(run.sessionKey, {
			runId: run.runId,
			text: request.message,
			at: run.acceptedAt,
			...(run.workspaceDir ? {workspaceDir: run.workspaceDir} : {}),
			...(request.sessionId ? {sessionId: request.sessionId} : {}),
		});
		this.changed({sessionKey: run.sessionKey, agentId: run.agentId, phase: 'start', runId: run.runId, ts: Date.now(), session: this.row(entry), updatedAt: entry.updatedAt});
	}

	private async recordEnd(run: AgentRun, outcome: RunOutcome): Promise<void> {
		// The chat stream ends first: what the client shows does not wait for the disk.
		this.chat(run, chatTerminal(run, outcome));
		if (!isStoredSessionKey(run.sessionKey)) {
			return;
		}

		const store = await this.storeForKey(run.sessionKey, run.agentId);
		const status = sessionStatus(outcome);
		const entry = await store.endTurn(run.sessionKey, {
			runId: run.runId,
			text: run.text,
			status,
			stopReason: outcome.result.meta.stopReason,
			model: run.model,
			...(outcome.error ? {error: outcome.error} : {}),
		});
		if (entry) {
			this.changed({
				sessionKey: run.sessionKey,
				agentId: run.agentId,
				phase: status === 'failed' ? 'error' : 'end',
				runId: run.runId,
				ts: Date.now(),
				session: this.row(entry),
				updatedAt: entry.updatedAt,
			});
		}
	}
}

function sessionStatus(outcome: RunOutcome): Exclude<SessionStatus, 'running'> {
	if (outcome.status === 'error') {
		return 'failed';
	}

	if (outcome.status === 'timeout') {
		return 'timeout';
	}

	return outcome.summary === 'aborted' ? 'killed' : 'done';
}

/** The `chat` event that ends a run, as OpenClaw's gateway shapes it. */
function chatTerminal(run: AgentRun, outcome: RunOutcome): Record<string, unknown> {
	const stopReason = outcome.result.meta.stopReason;
	const message = run.text ? {role: 'assistant', content: [{type: 'text', text: run.text}], timestamp: Date.now()} : undefined;
	if (outcome.status === 'error') {
		return {state: 'error', errorMessage: outcome.error ?? 'agent run failed', errorKind: 'unknown', stopReason};
	}

	if (outcome.status === 'timeout') {
		return {state: 'error', errorMessage: 'agent run timed out', errorKind: 'timeout', stopReason, ...(message ? {message} : {})};
	}

	if (outcome.summary === 'aborted') {
		return {state: 'aborted', stopReason, ...(message ? {message} : {})};
	}

	return {state: 'final', stopReason, ...(message ? {message} : {})};
}

/**
 * The `limit` entries `list()` would put first (newest first; equal times keep their order, as the stable sort does),
 * without sorting every session on each `health` call: one pass, keeping a short sorted list. Undefined when a time
 * is not a number (the sort's order is then its own business: the caller sorts).
 */
export function newest(entries: Iterable<SessionEntry>, limit: number): SessionEntry[] | undefined {
	const kept: SessionEntry[] = [];
	for (const entry of entries) {
		if (typeof entry.updatedAt !== 'number' || Number.isNaN(entry.updatedAt)) {
			return undefined;
		}

		let at = kept.length;
		while (at > 0 && kept[at - 1].updatedAt < entry.updatedAt) {
			at--;
		}

		if (at < limit) {
			kept.splice(at, 0, entry);
			if (kept.length > limit) {
				kept.pop();
			}
		}
	}

	return kept;
}
