// `cron.*`: the scheduler's jobs as OpenClaw's CLI reads and changes them (`openclaw cron list|status|add|rm|run|
// runs`). Jobs are agent turns; their output goes to the run log (`cron.runs`) and, for a job with a delivery target
// (`--announce --channel telegram --to 4242`), to that peer (cron/delivery.ts); each job's delivery preview says which.
import {createHash} from 'node:crypto';
import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import {cronDeliveryTarget} from '../cron/delivery.js';
import {ScheduleError, validateSchedule} from '../cron/schedule.js';
import type {CronService} from '../cron/service.js';
import type {CronJob} from '../cron/store.js';
import {defineMethod} from './types.js';
import type {CronJobView} from '../../source/protocol/methods/index.js';

const nonEmpty = z.string().trim().min(1);
const idParams = z.union([z.object({id: nonEmpty}).strict(), z.object({jobId: nonEmpty}).strict()]);
const jobIdOf = (params: {id: string} | {jobId: string}) => ('id' in params ? params.id : params.jobId);

const schedule = z.discriminatedUnion('kind', [
	z.object({kind: z.literal('cron'), expr: nonEmpty, tz: z.string().optional(), staggerMs: z.number().int().min(0).optional()}).strict(),
	z.object({kind: z.literal('every'), everyMs: z.number().int().min(1), anchorMs: z.number().int().min(0).optional()}).strict(),
	z.object({kind: z.literal('at'), at: nonEmpty}).strict(),
]);

const payload = z
	.object({kind: z.string(), message: z.string().optional(), model: z.string().optional(), timeoutSeconds: z.number().positive().optional()})
	.passthrough();

const addParams = z
	.object({
		name: nonEmpty,
		description: z.string().optional(),
		agentId: nonEmpty.nullable().optional(),
		sessionKey: nonEmpty.nullable().optional(),
		enabled: z.boolean().optional(),
		deleteAfterRun: z.boolean().optional(),
		schedule,
		sessionTarget: nonEmpty,
		wakeMode: nonEmpty,
		payload,
		delivery: z.record(z.unknown()).optional(),
		declarationKey: z.string().optional(),
		displayName: z.string().optional(),
	})
	.passthrough();

/** OpenClaw's preview of where a job's answer goes: `announce -> telegram:4242`, `explicit` when the target is set. */
function deliveryPreview(job: CronJob): {label: string; detail: string} {
	const mode = typeof job.delivery?.mode === 'string' ? job.delivery.mode : 'none';
	if (mode === 'none') {
		return {label: 'not requested', detail: 'not requested'};
	}

	const target = cronDeliveryTarget(job.delivery);
	if (target && !('problem' in target)) {
		return {label: `${mode} -> ${target.channel}:${target.to}`, detail: 'explicit'};
	}

	const channel = typeof job.delivery?.channel === 'string' ? job.delivery.channel : 'last';
	const detail = target ? target.problem.message : 'not delivered: this gateway keeps no last route; the output stays in the run log (openclaw cron runs), or pass --channel and --to';
	return {label: `${mode} -> ${channel}`, detail};
}

function revision(value: unknown): string {
	return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('base64url')}`;
}

/** A job as the wire shows it: the stored job, its state's headline fields on top, and the agent that runs it. */
function wireJob(job: CronJob): CronJobView {
	const {state: _state, updatedAtMs: _updatedAtMs, ...definition} = job;
	return {
		...job,
		// Opaque token of the definition (not its run state), as OpenClaw's clients compare it.
		configRevision: revision(definition),
		...(job.state.nextRunAtMs === undefined ? {} : {nextRunAtMs: job.state.nextRunAtMs}),
		...(job.state.lastRunAtMs === undefined ? {} : {lastRunAtMs: job.state.lastRunAtMs}),
		...(job.state.lastRunStatus === undefined ? {} : {lastRunStatus: job.state.lastRunStatus}),
		...(job.state.lastError === undefined ? {} : {lastRunError: job.state.lastError}),
		effectiveAgentId: job.agentId ?? 'main',
	};
}

function page<T>(items: T[], offset: number, limit: number) {
	const slice = items.slice(offset, offset + limit);
	const hasMore = offset + slice.length < items.length;
	return {total: items.length, offset, limit, hasMore, nextOffset: hasMore ? offset + slice.length : null, slice};
}

export function cronMethods(service: CronService) {
	return [
		defineMethod({
			name: 'cron.list',
			scope: scopes.read,
			params: z
				.object({includeDisabled: z.boolean().optional(), limit: z.number().int().min(1).max(200).optional(), offset: z.number().int().min(0).optional(), query: z.string().optional(), agentId: z.string().optional()})
				.passthrough(),
			handler(params) {
				const query = params.query?.trim().toLowerCase();
				const jobs = service
					.list()
					.filter((job) => params.includeDisabled === true || job.enabled)
					.filter((job) => !params.agentId || (job.agentId ?? 'main') === params.agentId)
					.filter((job) => !query || job.name.toLowerCase().includes(query) || job.payload.message.toLowerCase().includes(query));
				const {slice, ...paging} = page(jobs, params.offset ?? 0, params.limit ?? 200);
				const wire = slice.map(wireJob);
				// The page's revision: clients paging through the list restart when it changes under them.
				const snapshotRevision = revision(jobs.map((job) => [job.id, job.updatedAtMs]));
				return {jobs: wire, snapshotRevision, ...paging, deliveryPreviews: Object.fromEntries(slice.map((job) => [job.id, deliveryPreview(job)]))};
			},
		}),
		defineMethod({
			name: 'cron.status',
			scope: scopes.read,
			params: z.object({}).strict(),
			handler() {
				return {
					enabled: true,
					triggersEnabled: true,
					storePath: service.storePath,
					storage: 'json',
					jobs: service.list().length,
					nextWakeAtMs: service.nextWakeAtMs(),
				};
			},
		}),
		defineMethod({
			name: 'cron.get',
			scope: scopes.read,
			params: idParams,
			handler(params) {
				return wireJob(service.get(jobIdOf(params), 'cron job'));
			},
		}),
		defineMethod({
			name: 'cron.add',
			scope: scopes.admin,
			params: addParams,
			async handler(params) {
				if (params.payload.kind !== 'agentTurn' || typeof params.payload.message !== 'string' || params.payload.message === '') {
					throw new GatewayError({
						code: errorCodes.invalidRequest,
						message: `invalid cron.add params: this gateway runs agent turns only (payload {kind: "agentTurn", message}); got kind "${params.payload.kind}"`,
					});
				}

				try {
					validateSchedule(params.schedule);
				} catch (error) {
					if (error instanceof ScheduleError) {
						throw new GatewayError({code: errorCodes.invalidRequest, message: `invalid cron.add params: ${error.message}`});
					}

					throw error;
				}

				const isOneShot = params.schedule.kind === 'at';
				const job = await service.add({
					name: params.name,
					...(params.description === undefined ? {} : {description: params.description}),
					...(params.agentId ? {agentId: service.checkAgent(params.agentId)} : {}),
					...(params.sessionKey ? {sessionKey: params.sessionKey} : {}),
					enabled: params.enabled ?? true,
					...(isOneShot ? {deleteAfterRun: params.deleteAfterRun ?? true} : params.deleteAfterRun === undefined ? {} : {deleteAfterRun: params.deleteAfterRun}),
					schedule: params.schedule,
					sessionTarget: params.sessionTarget,
					wakeMode: params.wakeMode,
					payload: {...params.payload, kind: 'agentTurn', message: params.payload.message},
					...(params.delivery ? {delivery: params.delivery} : {}),
				});
				return {...wireJob(job), deliveryPreview: deliveryPreview(job)};
			},
		}),
		defineMethod({
			name: 'cron.remove',
			scope: scopes.admin,
			params: idParams,
			async handler(params) {
				await service.remove(jobIdOf(params));
				return {ok: true, removed: true};
			},
		}),
		defineMethod({
			name: 'cron.run',
			scope: scopes.admin,
			params: z.union([
				z.object({id: nonEmpty, mode: z.enum(['due', 'force', 'if-enabled']).optional(), expectedProcessInstanceId: z.string().optional()}).strict(),
				z.object({jobId: nonEmpty, mode: z.enum(['due', 'force', 'if-enabled']).optional(), expectedProcessInstanceId: z.string().optional()}).strict(),
			]),
			async handler(params) {
				const job = service.get(jobIdOf(params));
				const mode = params.mode ?? 'force';
				if (mode === 'due' && !(job.enabled && (job.state.nextRunAtMs ?? Infinity) <= Date.now())) {
					return {ok: true, ran: false, reason: 'not-due'};
				}

				if (mode === 'if-enabled' && !job.enabled) {
					return {ok: true, ran: false, reason: 'disabled'};
				}

				return {ok: true, enqueued: true, runId: await service.runNow(job.id)};
			},
		}),
		defineMethod({
			name: 'cron.runs',
			scope: scopes.read,
			params: z
				.object({id: z.string().optional(), jobId: z.string().optional(), limit: z.number().int().min(1).max(200).optional(), offset: z.number().int().min(0).optional()})
				.passthrough(),
			async handler(params) {
				const id = params.id ?? params.jobId;
				const jobs = id ? [id] : service.list().map((job) => job.id);
				const entries = (await Promise.all(jobs.map(async (jobId) => service.runs(jobId)))).flat().sort((a, b) => b.ts - a.ts);
				const {slice, ...paging} = page(entries, params.offset ?? 0, params.limit ?? 50);
				return {entries: slice, ...paging};
			},
		}),
	];
}
