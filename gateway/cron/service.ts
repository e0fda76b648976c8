// The scheduler: keeps the cron jobs (CronStore), wakes at the next due time, and runs each due job as an agent run
// (the same AgentRunner as RPC `agent`), recording the outcome in the job's state and its run log. Crash-safe: a job
// is marked running on disk before its run starts, so a gateway that dies mid-run finds the mark on the next start
// and records the run as interrupted; a run missed while the gateway was down runs once when it is back. A job with a
// delivery target sends its answer to that channel peer once the run ends; the run log says whether it got there.
import {randomUUID} from 'node:crypto';
import {errorCodes, events, GatewayError} from '../../source/protocol/index.js';
import type {AgentService} from '../agents/service.js';
import type {Logger} from '../logger.js';
import {cronMethods} from '../methods/cron.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {deliverAnswer} from '../agents/deliver-answer.js';
import {cronDeliveryRecord, cronDeliveryTarget} from './delivery.js';
import {nextRunAt} from './schedule.js';
import {CronStore, type CronJob, type CronRunEntry} from './store.js';

/** The longest the scheduler sleeps before looking again (a clock change or a long delay is noticed within it). */
const maxSleepMs = 60_000;

export class CronService implements GatewayService {
	readonly name = 'cron';
	readonly methods = cronMethods(this);
	private jobs = new Map<string, CronJob>();
	private store?: CronStore;
	private timer?: NodeJS.Timeout;
	private gateway?: GatewayRuntime;
	private readonly running = new Map<string, Promise<void>>();
	private stopped = false;
	private readonly logger: Logger;

	constructor(
		logger: Logger,
		private readonly agents: AgentService,
	) {
		this.logger = logger.child('gateway/cron');
	}

	get storePath(): string {
		return this.store?.jobsFile ?? '';
	}

	async start(gateway: GatewayRuntime): Promise<void> {
		this.gateway = gateway;
		this.store = new CronStore(gateway.stateDir);
		const now = Date.now();
		for (const job of await this.store.loadJobs()) {
			if (job.state.runningAtMs !== undefined) {
				await this.recordInterrupted(job);
			}

			this.jobs.set(job.id, job);
		}

		if (this.jobs.size > 0) {
			await this.persist();
			this.logger.info(`cron: ${this.jobs.size} job(s) loaded`, {due: this.list().filter((job) => (job.state.nextRunAtMs ?? Infinity) <= now).length});
		}

		this.arm();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
	}

	/** Cron runs in progress (restart preflight counts them). */
	activeWork(): Record<string, number> {
		return {cronRuns: this.running.size};
	}

	list(): CronJob[] {
		return [...this.jobs.values()].sort((a, b) => (a.state.nextRunAtMs ?? Infinity) - (b.state.nextRunAtMs ?? Infinity));
	}

	get(id: string, verb = 'Automation'): CronJob {
		const job = this.jobs.get(id);
		if (!job) {
			throw new GatewayError({
				code: errorCodes.invalidRequest,
				message: `${verb} not found: ${id}. List automations (openclaw cron list) and retry with a current job id.`,
				details: {code: 'CRON_JOB_NOT_FOUND', jobId: id},
			});
		}

		return job;
	}

	/** A known agent id (or the GatewayError that lists the known ones). */
	checkAgent(agentId: string): string {
		return this.agents.checkAgentId(agentId);
	}

	nextWakeAtMs(): number | null {
		let next: number | null = null;
		for (const job of this.jobs.values()) {
			const at = job.enabled ? job.state.nextRunAtMs : undefined;
			if (at !== undefined && (next === null || at < next)) {
				next = at;
			}
		}

		return next;
	}

	async add(job: Omit<CronJob, 'id' | 'createdAtMs' | 'updatedAtMs' | 'state'>): Promise<CronJob> {
		const now = Date.now();
		// An interval keeps its phase across restarts and edits: anchored at creation unless given (as OpenClaw stores it).
		const schedule = job.schedule.kind === 'every' ? {...job.schedule, anchorMs: job.schedule.anchorMs ?? now} : job.schedule;
		const created: CronJob = {...job, schedule, id: randomUUID(), createdAtMs: now, updatedAtMs: now, state: {}};
		created.state.nextRunAtMs = created.enabled ? nextRunAt(created.schedule, now, created) : undefined;
		this.jobs.set(created.id, created);
		await this.persist();
		this.arm();
		this.publish({jobId: created.id, action: 'added', nextRunAtMs: created.state.nextRunAtMs});
		return created;
	}

	async remove(id: string): Promise<void> {
		this.get(id);
		this.jobs.delete(id);
		await this.persist();
		await this.store!.removeRuns(id);
		this.arm();
		this.publish({jobId: id, action: 'removed'});
	}

	/** Start a run now; resolves with its id once the job is marked running (the run goes on in the background). */
	async runNow(id: string): Promise<string> {
		const job = this.get(id);
		if (this.running.has(id)) {
			throw new GatewayError({code: errorCodes.invalidRequest, message: `cron job ${id} is already running`, details: {code: 'CRON_JOB_RUNNING', jobId: id}});
		}

		return this.execute(job, 'manual');
	}

	async runs(id: string): Promise<CronRunEntry[]> {
		return this.store!.readRuns(id);
	}

	private async persist(): Promise<void> {
		await this.store!.saveJobs([...this.jobs.values()]);
	}

	private publish(payload: Record<string, unknown>): void {
		this.gateway?.broadcast(events.cron, {...payload, ts: Date.now()});
	}

	/** Sleep until the next due job (at most maxSleepMs), then run what is due. */
	private arm(): void {
		clearTimeout(this.timer);
		if (this.stopped) {
			return;
		}

		const next = this.nextWakeAtMs();
		if (next === null) {
			return;
		}

		this.timer = setTimeout(() => void this.tick(), Math.max(0, Math.min(next - Date.now(), maxSleepMs)));
		this.timer.unref();
	}

	private async tick(): Promise<void> {
		const now = Date.now();
		const due = [...this.jobs.values()].filter(
			(job) => job.enabled && !this.running.has(job.id) && job.state.nextRunAtMs !== undefined && job.state.nextRunAtMs <= now,
		);
		for (const job of due) {
			await this.execute(job, 'scheduled').catch((error: Error) => {
				this.logger.error('cron job could not start', {jobId: job.id, error: error.message});
			});
		}

		this.arm();
	}

	private async execute(job: CronJob, trigger: 'manual' | 'scheduled'): Promise<string> {
		const runAtMs = Date.now();
		const runId = `${trigger}:${job.id}:${runAtMs}`;
		const agentId = this.agents.checkAgentId(job.agentId);
		const sessionKey = job.sessionKey ?? `agent:${agentId}:cron:${job.id}`;
		job.state.runningAtMs = runAtMs;
		// A scheduled run moves the schedule on now, so a crash during the run does not run it again at once.
		if (trigger === 'scheduled') {
			job.state.nextRunAtMs = nextRunAt(job.schedule, runAtMs, {createdAtMs: job.createdAtMs, lastRunAtMs: runAtMs});
		}

		await this.persist();
		const {run} = this.agents.runner.start({
			runId,
			message: job.payload.message,
			agentId,
			sessionKey,
			model: job.payload.model,
			timeoutSeconds: job.payload.timeoutSeconds,
		});
		this.publish({jobId: job.id, action: 'started', runId, runAtMs});
		const target = cronDeliveryTarget(job.delivery);
		if (target) {
			// Best effort for the send: a failed delivery is the run log's to record (deliveryStatus), not a failed run.
			run.trackDelivery(deliverAnswer(run, target, true, this.agents.channelOutbound));
		}

		const finished = (run.delivery ?? run.done).then(async (outcome) => {
			const error = outcome.status === 'ok' ? undefined : (outcome.error ?? `run ${outcome.summary} (${outcome.status})`);
			const text = outcome.result.payloads.map((payload) => payload.text).join('');
			await this.finish(job, {
				ts: Date.now(),
				jobId: job.id,
				action: 'finished',
				status: error ? 'error' : 'ok',
				...(error ? {error} : {}),
				...(text ? {summary: text.slice(0, 500)} : {}),
				runId,
				runAtMs,
				durationMs: Date.now() - runAtMs,
				model: outcome.result.meta.model,
				sessionKey,
				...(target ? cronDeliveryRecord(outcome.status, outcome.result.deliveryStatus) : {deliveryStatus: 'not-requested'}),
			});
		});
		this.running.set(job.id, finished);
		void finished
			.catch((error: Error) => {
				this.logger.error('cron run not recorded', {jobId: job.id, runId, error: error.message});
			})
			.finally(() => {
				this.running.delete(job.id);
				this.arm();
			});
		return runId;
	}

	private async finish(job: CronJob, entry: CronRunEntry): Promise<void> {
		const current = this.jobs.get(job.id);
		const state = job.state;
		state.runningAtMs = undefined;
		state.lastRunAtMs = entry.runAtMs;
		state.lastRunStatus = entry.status;
		state.lastStatus = entry.status;
		state.lastError = entry.error;
		state.lastDurationMs = entry.durationMs;
		state.consecutiveErrors = entry.status === 'error' ? (state.consecutiveErrors ?? 0) + 1 : 0;
		state.nextRunAtMs = job.enabled ? nextRunAt(job.schedule, Date.now(), {createdAtMs: job.createdAtMs, lastRunAtMs: entry.runAtMs}) : undefined;
		entry.nextRunAtMs = state.nextRunAtMs;
		job.updatedAtMs = Date.now();
		if (job.schedule.kind === 'at' && state.nextRunAtMs === undefined) {
			if (job.deleteAfterRun !== false && entry.status === 'ok') {
				this.jobs.delete(job.id);
			} else {
				job.enabled = false;
			}
		}

		await this.store!.appendRun(entry);
		// The job may have been removed while it ran: then only its log entry (already cleaned) is written.
		if (current === job) {
			await this.persist();
		}

		this.publish({jobId: job.id, action: 'finished', runId: entry.runId, status: entry.status, nextRunAtMs: entry.nextRunAtMs});
		this.logger.info(`cron job ${job.name} ${entry.status === 'ok' ? 'ran' : 'failed'}`, {jobId: job.id, runId: entry.runId, durationMs: entry.durationMs, ...(entry.error ? {error: entry.error} : {})});
	}

	private async recordInterrupted(job: CronJob): Promise<void> {
		const runAtMs = job.state.runningAtMs!;
		const error = 'interrupted: the gateway stopped during the run';
		job.state.runningAtMs = undefined;
		job.state.lastRunAtMs = runAtMs;
		job.state.lastRunStatus = 'error';
		job.state.lastStatus = 'error';
		job.state.lastError = error;
		job.state.consecutiveErrors = (job.state.consecutiveErrors ?? 0) + 1;
		job.state.nextRunAtMs ??= job.enabled ? nextRunAt(job.schedule, Date.now(), {createdAtMs: job.createdAtMs, lastRunAtMs: runAtMs}) : undefined;
		await this.store!.appendRun({
			ts: Date.now(),
			jobId: job.id,
			action: 'finished',
			status: 'error',
			error,
			runId: `interrupted:${job.id}:${runAtMs}`,
			runAtMs,
			durationMs: Date.now() - runAtMs,
			nextRunAtMs: job.state.nextRunAtMs,
			deliveryStatus: 'not-requested',
		});
		this.logger.warn(`cron job ${job.name} was interrupted by a gateway stop`, {jobId: job.id});
	}
}
