// AgentRunner: starts runs (deduplicated by idempotency key), streams the model's answer as `agent` events
// (lifecycle start -> assistant {text, delta}... -> lifecycle end|error) and settles each run's outcome.
// RPC `agent`, `POST /v1/responses` and hooks all run through here.
import {EventEmitter} from 'node:events';
import {limits} from '../../source/protocol/index.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import type {Logger} from '../logger.js';
import {mainSessionKey} from '../sessions/keys.js';
import type {SessionIdRequest} from '../sessions/session-id.js';
import {TtlCache} from './idempotency.js';
import {resolveModel, selectedModelRef} from './models.js';
import type {ChatMessage, TokenUsage} from './provider.js';
import {AgentRun, type AgentEventPayload, type RunOutcome} from './run.js';
import {defaultAgentId, ensureWorkspace, resolveAgentWorkspace, type WorkspaceContext} from '../../source/protocol/config/workspace.js';
import {inputTooLargeError, runInputBytes, runPolicy, RunRateLimiter, runRateLimitedError, runsBusyError, type RunPolicy} from './run-policy.js';

export {defaultAgentId};
export const defaultRunTimeoutSeconds = 600;

export type RunRequest = {
	runId: string;
	message: string;
	agentId?: string;
	sessionKey?: string;
	/** The id the session should run under (the caller's `sessionId`), when it named one. */
	sessionId?: SessionIdRequest;
	/** `echo` or `<provider>/<model>`; else agents.defaults.model. */
	model?: string;
	/** Prepended as a system message. */
	systemPrompt?: string;
	/** Earlier turns (OpenResponses input items), before `message`. */
	history?: ChatMessage[];
	timeoutSeconds?: number;
};

export {mainSessionKey};

export class AgentRunner extends EventEmitter {
	/**
	 * Set by the sessions service: `start` records the user's turn before the model runs, `end` the answer before the
	 * outcome is announced, so a client that sees a run end finds it in its session.
	 */
	turnHooks?: {start(run: AgentRun, request: RunRequest): Promise<void>; end(run: AgentRun, outcome: RunOutcome): Promise<void>};
	private readonly runs: TtlCache<AgentRun>;
	private readonly active = new Set<AgentRun>();
	/** Input bytes of the runs in `active`, together. */
	private inFlightBytes = 0;
	private readonly rate = new RunRateLimiter(() => this.policy());
	/** Finished runs still holding result text, oldest first, and the bytes they hold together. */
	private readonly retained: Array<{run: AgentRun; bytes: number; expiresAt: number}> = [];
	private retainedBytes = 0;

	constructor(
		private readonly settings: () => GatewayConfig,
		private readonly logger: Logger,
		private readonly publish: (payload: AgentEventPayload) => void,
		/** Where workspaces default to (the gateway's state dir); without it runs have no workspace. */
		private readonly workspaceContext: () => WorkspaceContext | undefined = () => undefined,
	) {
		super();
		// Every agent.wait caller listens for 'ended'; there is no meaningful cap.
		this.setMaxListeners(0);
		this.runs = new TtlCache(limits.idempotencyTtlMs, limits.idempotencyMaxKeys);
	}

	/** A run by id while it is remembered (5 minutes after it was started). */
	get(runId: string): AgentRun | undefined {
		return this.runs.get(runId);
	}

	activeRuns(): AgentRun[] {
		return [...this.active];
	}

	/** The run policy, with `agents.defaults.runRateLimit` from the config over the built-in rate. */
	policy(): RunPolicy {
		const configured = this.settings().agents?.defaults?.runRateLimit;
		return {...runPolicy, ...configured};
	}

	/** What runs hold now, for health: input of runs in progress, result text of finished ones, and the limits. */
	usage(): {active: number; inFlightInputBytes: number; retainedResultBytes: number; policy: RunPolicy} {
		return {active: this.active.size, inFlightInputBytes: this.inFlightBytes, retainedResultBytes: this.retainedBytes, policy: this.policy()};
	}

	/**
	 * Start a run, or return the one already started under this idempotency key. `client` names who asks (a
	 * connection, an HTTP client's address) for the per-client run rate; a retry of a known key costs nothing.
	 * Throws a GatewayError for an input over the policy's size or a client over its rate.
	 */
	start(request: RunRequest, client?: string): {run: AgentRun; duplicate: boolean} {
		const existing = this.runs.get(request.runId);
		if (existing) {
			return {run: existing, duplicate: true};
		}

		const policy = this.policy();
		const bytes = runInputBytes(request);
		if (bytes > policy.maxInputBytes) {
			throw inputTooLargeError(bytes, policy.maxInputBytes);
		}

		if (this.inFlightBytes + bytes > policy.inFlightInputBytes) {
			throw runsBusyError(this.inFlightBytes, policy.inFlightInputBytes);
		}

		const waitMs = client === undefined ? 0 : this.rate.take(client);
		if (waitMs > 0) {
			throw runRateLimitedError(waitMs, policy);
		}

		const config = this.settings();
		const agentId = request.agentId ?? defaultAgentId;
		const modelRef = selectedModelRef(config, request.model);
		const run = new AgentRun(request.runId, request.sessionKey ?? mainSessionKey(agentId), agentId, modelRef);
		const context = this.workspaceContext();
		if (context) {
			// Resolved when the run starts: a config reload that moves the workspace applies from the next run.
			run.workspaceDir = resolveAgentWorkspace(config, agentId, context).dir;
		}

		this.runs.set(run.runId, run);
		this.active.add(run);
		this.inFlightBytes += bytes;
		run.on('event', (payload: AgentEventPayload) => {
			this.publish(payload);
		});
		// Before the first event: the sessions service follows the run's events from here.
		this.emit('started', run, request);
		void this.execute(run, request, config).finally(() => {
			this.active.delete(run);
			this.inFlightBytes -= bytes;
			this.retain(run);
			this.emit('ended', run);
		});
		return {run, duplicate: false};
	}

	/** Account a finished run's result; past the byte budget, the oldest results are dropped (status kept). */
	private retain(run: AgentRun): void {
		const now = Date.now();
		while (this.retained.length > 0 && this.retained[0].expiresAt <= now) {
			this.retainedBytes -= this.retained.shift()!.bytes;
		}

		const bytes = run.resultBytes;
		if (bytes > 0) {
			this.retained.push({run, bytes, expiresAt: now + limits.idempotencyTtlMs});
			this.retainedBytes += bytes;
		}

		const budget = this.policy().retainedResultBytes;
		while (this.retainedBytes > budget && this.retained.length > 0) {
			const oldest = this.retained.shift()!;
			oldest.run.dropResult();
			this.retainedBytes -= oldest.bytes;
		}
	}

	abortAll(reason: 'shutdown'): void {
		for (const run of this.active) {
			run.abort(reason);
		}
	}

	private async execute(run: AgentRun, request: RunRequest, config: GatewayConfig): Promise<void> {
		// Let the caller answer `accepted` (and subscribe) before the first event goes out.
		await Promise.resolve();
		await this.turnHooks?.start(run, request).catch((error: unknown) => {
			this.logger.error('recording the turn failed', {runId: run.runId, error: (error as Error).message});
		});
		const started = performance.now();
		const timeoutSeconds = request.timeoutSeconds ?? config.agents?.defaults?.timeoutSeconds ?? defaultRunTimeoutSeconds;
		// setTimeout fires at once beyond 2^31-1 ms: cap very long timeouts at ~24.8 days.
		const timer = setTimeout(() => run.abort('timeout'), Math.min(timeoutSeconds * 1000, 2_147_483_647));
		timer.unref();
		run.event('lifecycle', {phase: 'start', startedAt: run.acceptedAt, model: run.model});
		let error: string | undefined;
		try {
			if (run.workspaceDir) {
				await ensureWorkspace(run.workspaceDir).catch((caught: unknown) => {
					throw new Error(`the agent workspace ${run.workspaceDir} could not be created: ${(caught as Error).message} (set agents.defaults.workspace to a writable directory)`);
				});
			}

			const provider = resolveModel(config, run.model);
			run.model = provider.ref;
			const messages: ChatMessage[] = [
				...(request.systemPrompt ? [{role: 'system' as const, content: request.systemPrompt}] : []),
				...(request.history ?? []),
				{role: 'user', content: request.message},
			];
			const onUsage = (usage: TokenUsage) => {
				const sum = run.usage ?? {input: 0, output: 0, cacheRead: 0, cacheWrite: 0};
				run.usage = {input: sum.input + usage.input, output: sum.output + usage.output, cacheRead: sum.cacheRead + usage.cacheRead, cacheWrite: sum.cacheWrite + usage.cacheWrite};
			};

			for await (const delta of provider.stream({messages, signal: run.controller.signal, onUsage})) {
				if (run.controller.signal.aborted) {
					break;
				}

				run.text += delta;
				run.event('assistant', {text: run.text, delta});
			}
		} catch (caught) {
			error = caught instanceof Error ? caught.message : String(caught);
		} finally {
			clearTimeout(timer);
		}

		const durationMs = Math.round(performance.now() - started);
		const aborted = run.stopReason !== undefined;
		const stopReason = error ? 'error' : (run.stopReason ?? 'stop');
		if (error) {
			this.logger.warn('agent run failed', {runId: run.runId, model: run.model, error});
			run.event('lifecycle', {phase: 'error', error, endedAt: Date.now()});
		} else {
			run.event('lifecycle', {phase: 'end', endedAt: Date.now(), ...(aborted ? {aborted: true, stopReason} : {})});
		}

		const outcome: RunOutcome = {
			runId: run.runId,
			status: error ? 'error' : run.stopReason === 'timeout' ? 'timeout' : 'ok',
			summary: error ? 'failed' : aborted ? 'aborted' : 'completed',
			result: {payloads: run.text ? [{text: run.text}] : [], meta: {durationMs, model: run.model, stopReason, aborted}},
			...(error ? {error} : {}),
		};
		this.logger.debug('agent run ended', {runId: run.runId, status: outcome.status, summary: outcome.summary, durationMs});
		await this.turnHooks?.end(run, outcome).catch((error: unknown) => {
			this.logger.error('recording the turn failed', {runId: run.runId, error: (error as Error).message});
		});
		run.finish(outcome);
	}
}
