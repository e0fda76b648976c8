// Records the token usage of every finished agent run (RPC `agent`, cron, OpenResponses, hooks: all go through the
// AgentRunner) in the usage ledger, and serves `usage.cost` from it; each run also goes to the stability recorder.
import type {AgentService} from '../agents/service.js';
import type {AgentRun} from '../agents/run.js';
import type {Logger} from '../logger.js';
import usageCost from '../methods/usage-cost.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {modelPrice, UsageLedger} from './ledger.js';

export class UsageService implements GatewayService {
	readonly name = 'usage';
	readonly methods = [usageCost(this)];
	ledger?: UsageLedger;
	private gateway?: GatewayRuntime;
	private readonly logger: Logger;
	private readonly onEnded = (run: AgentRun) => {
		this.record(run);
	};

	constructor(
		logger: Logger,
		private readonly agents: AgentService,
	) {
		this.logger = logger.child('gateway/usage');
	}

	async start(gateway: GatewayRuntime): Promise<void> {
		this.gateway = gateway;
		this.ledger = new UsageLedger(gateway.stateDir);
		await this.ledger.load();
		this.agents.runner.on('ended', this.onEnded);
	}

	stop(): void {
		this.agents.runner.off('ended', this.onEnded);
	}

	private record(run: AgentRun): void {
		this.gateway?.diagnostics.record('message.processed', {
			channel: run.sessionKey.includes(':cron:') ? 'cron' : 'agent',
			durationMs: run.outcome?.result.meta.durationMs,
			outcome: run.outcome?.status === 'ok' ? 'completed' : 'error',
		});
		if (!run.usage || !this.ledger || !this.gateway) {
			return;
		}

		const price = modelPrice(this.gateway.config().config, run.model);
		this.ledger.record(run.endedAt ?? Date.now(), run.usage, price).catch((error: Error) => {
			this.logger.warn('token usage not recorded', {runId: run.runId, file: this.ledger?.file, error: error.message});
		});
	}
}
