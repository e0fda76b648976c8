// Aborting runs: `chat.abort {sessionKey, runId?}` (OpenClaw's name, used by openclaw-node's chatAbort) stops the
// session's runs, or the one given; `agent.abort {runId}` stops one run by id.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {AgentService} from '../agents/service.js';
import {defineMethod} from './types.js';

export function chatAbort(service: AgentService) {
	return defineMethod({
		name: 'chat.abort',
		scope: scopes.write,
		params: z.object({sessionKey: z.string().min(1), runId: z.string().min(1).optional()}).strict(),
		handler(params) {
			const runIds = service.abortRuns((run) => run.sessionKey === params.sessionKey && (!params.runId || run.runId === params.runId));
			return {ok: true, aborted: runIds.length > 0, runIds};
		},
	});
}

export function agentAbort(service: AgentService) {
	return defineMethod({
		name: 'agent.abort',
		scope: scopes.write,
		params: z.object({runId: z.string().min(1)}).strict(),
		handler(params) {
			const runIds = service.abortRuns((run) => run.runId === params.runId);
			return {ok: true, aborted: runIds.length > 0, runId: params.runId};
		},
	});
}
