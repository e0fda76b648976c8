// `agent.wait {runId, timeoutMs?}`: long-poll a run until it ends (its answer delivered, if asked for) or the window
// closes.
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

			// As OpenClaw's: a run whose answer could not be delivered (not best effort) failed, with the send's error.
			const error = run.deliveryError ?? run.outcome.error;
			return {
				runId: run.runId,
				status: run.deliveryError ? 'error' : run.outcome.status,
				summary: run.deliveryError ? 'failed' : run.outcome.summary,
				startedAt: run.acceptedAt,
				endedAt: run.endedAt,
				stopReason: run.outcome.result.meta.stopReason,
				...(error ? {error} : {}),
			};
		},
	});
}
