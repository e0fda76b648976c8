// `agent.wait {runId, timeoutMs?}`: long-poll a run until it ends or the window closes.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {AgentService} from '../agents/service.js';
import {defineMethod} from './types.js';

export const defaultWaitMs = 30_000;
const maxWaitMs = 600_000;

export default function agentWait(service: AgentService) {
	return defineMethod({
		name: 'agent.wait',
		scope: scopes.write,
		params: z.object({runId: z.string().min(1), timeoutMs: z.number().int().min(0).optional()}).strict(),
		async handler(params, ctx) {
			const run = await service.waitForRun(params.runId, Math.min(params.timeoutMs ?? defaultWaitMs, maxWaitMs), ctx.signal);
			if (!run?.outcome) {
				return {runId: params.runId, status: 'timeout'};
			}

			return {
				runId: run.runId,
				status: run.outcome.status,
				summary: run.outcome.summary,
				startedAt: run.acceptedAt,
				endedAt: run.endedAt,
				stopReason: run.outcome.result.meta.stopReason,
				...(run.outcome.error ? {error: run.outcome.error} : {}),
			};
		},
	});
}
