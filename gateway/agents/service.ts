// The agents service: owns the AgentRunner for one server generation, exposes `agent`, `agent.wait`,
// `agent.abort` and `chat.abort`, publishes `agent` events to operator clients, and takes new agent/model settings
// on a hot reload (runs already going keep the model they started with).
import {errorCodes, events, GatewayError} from '../../source/protocol/index.js';
import type {LoadedConfig} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import type {Logger} from '../logger.js';
import agent from '../methods/agent.js';
import {agentAbort, chatAbort} from '../methods/agent-abort.js';
import agentWait from '../methods/agent-wait.js';
import agentsList from '../methods/agents-list.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {selectedModelRef} from './models.js';
import type {ChatMessage} from './provider.js';
import type {AgentRun, StopReason} from './run.js';
import {AgentRunner, defaultAgentId} from './runner.js';
import {resolveAgentWorkspace} from '../../source/protocol/config/workspace.js';
import type {ChannelOutbound} from '../channels/agent-delivery.js';
import type {SessionIdRequest, SessionTarget, SessionTargetRequest} from '../sessions/session-id.js';

export class AgentService implements GatewayService {
	readonly name = 'agents';
	readonly methods = [agent(this), agentWait(this), agentAbort(this), chatAbort(this), agentsList(this)];
	readonly runner: AgentRunner;
	/**
	 * A session's earlier turns as model context, none when the turn moves the session to another id; set by the
	 * sessions service (absent, runs start with none).
	 */
	sessionHistory?: (sessionKey: string, sessionId?: SessionIdRequest) => Promise<ChatMessage[]>;
	/** The session a turn goes to, looking a `sessionId` up in the stores; set by the sessions service. */
	sessionTarget?: (request: SessionTargetRequest) => Promise<SessionTarget>;
	/** Channel peers' sessions and a way to send them an answer (`deliver`); set by the channels service. */
	channelOutbound?: ChannelOutbound;
	private config: GatewayConfig = {};
	private gateway?: GatewayRuntime;
	private readonly logger: Logger;

	constructor(logger: Logger) {
		this.logger = logger.child('gateway/agents');
		this.runner = new AgentRunner(
			() => this.config,
			this.logger,
			(payload) => this.gateway?.broadcast(events.agent, payload),
			() => (this.gateway ? {stateDir: this.gateway.stateDir} : undefined),
		);
	}

	start(gateway: GatewayRuntime): void {
		this.gateway = gateway;
		this.config = gateway.config().config;
		this.logger.info(`agent model: ${selectedModelRef(this.config)}`);
	}

	applyConfig(config: LoadedConfig): void {
		const before = selectedModelRef(this.config);
		this.config = config.config;
		const after = selectedModelRef(this.config);
		if (before !== after) {
			this.logger.info(`agent model: ${after}`, {previous: before});
		}
	}

	currentConfig(): GatewayConfig {
		return this.config;
	}

	stop(): void {
		this.runner.abortAll('shutdown');
	}

	/** Agent runs in progress (restart preflight counts them). */
	activeWork(): Record<string, number> {
		return {embeddedRuns: this.runner.activeRuns().length};
	}

	/** `health.agentRuns`: what runs hold against the run policy's budgets (agents/run-policy.ts). */
	health(): Record<string, unknown> {
		return {agentRuns: this.runner.usage()};
	}

	/** The agent ids this gateway knows: `main` plus `agents.list[].id`. */
	agentIds(): string[] {
		return [defaultAgentId, ...(this.config.agents?.list ?? []).map((entry) => entry.id).filter((id) => id !== defaultAgentId)];
	}

	/** `agents.list` entries: id, name when configured, the model each would run and the workspace it works in. */
	agentEntries(): Array<{id: string; name?: string; model: string; workspace?: string}> {
		const configured = new Map((this.config.agents?.list ?? []).map((entry) => [entry.id, entry]));
		return this.agentIds().map((id) => {
			const name = configured.get(id)?.name;
			const workspace = this.gateway ? resolveAgentWorkspace(this.config, id, {stateDir: this.gateway.stateDir}).dir : undefined;
			return {id, ...(typeof name === 'string' ? {name} : {}), model: selectedModelRef(this.config), ...(workspace ? {workspace} : {})};
		});
	}

	checkAgentId(agentId: string | undefined): string {
		const id = agentId?.trim() || defaultAgentId;
		if (!this.agentIds().includes(id)) {
			throw new GatewayError({
				code: errorCodes.invalidRequest,
				message: `unknown agent id: ${id} (known: ${this.agentIds().join(', ')}; add it to agents.list)`,
				details: {code: 'UNKNOWN_AGENT_ID', agentId: id},
			});
		}

		return id;
	}

	abortRuns(match: (run: AgentRun) => boolean, reason: StopReason = 'aborted'): string[] {
		return this.runner
			.activeRuns()
			.filter(match)
			.filter((run) => run.abort(reason))
			.map((run) => run.runId);
	}

	/**
	 * The run once it has ended (and its answer, if it was to go to a peer, went out or failed to), or undefined when
	 * `timeoutMs` passes first (or the caller goes away).
	 */
	async waitForRun(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<AgentRun | undefined> {
		const deadline = Date.now() + timeoutMs;
		const known = this.runner.get(runId);
		const ended = known?.finished ? known : await this.waitForEnd(runId, timeoutMs, signal);
		if (!ended) {
			return undefined;
		}

		return (await withinTime(ended.settled(), deadline - Date.now(), signal)) ? ended : undefined;
	}

	private async waitForEnd(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<AgentRun | undefined> {
		return new Promise((resolve) => {
			const finish = (run: AgentRun | undefined) => {
				clearTimeout(timer);
				this.runner.off('ended', onEnded);
				signal?.removeEventListener('abort', onAbort);
				resolve(run);
			};

			const onEnded = (run: AgentRun) => {
				if (run.runId === runId) {
					finish(run);
				}
			};

			const onAbort = () => finish(undefined);
			const timer = setTimeout(() => finish(undefined), timeoutMs);
			this.runner.on('ended', onEnded);
			signal?.addEventListener('abort', onAbort, {once: true});
		});
	}
}

/** True once `work` is done, false when `timeoutMs` passes first or `signal` aborts. */
async function withinTime(work: Promise<unknown>, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	let onAbort: (() => void) | undefined;
	const cut = new Promise<false>((resolve) => {
		timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
		onAbort = () => resolve(false);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
	try {
		return await Promise.race([work.then(() => true as const), cut]);
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', onAbort!);
	}
}
