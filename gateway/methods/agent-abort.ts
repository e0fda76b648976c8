// Aborting runs: `chat.abort {sessionKey, runId?}` (the TUI's Esc, openclaw-node's chatAbort) stops the session's
// runs, `chat.send` and `agent` alike, or the one given; the run ends with a `chat` event in state `aborted`.
// `agent.abort {runId}` stops one run by id.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {AgentService} from '../agents/service.js';
import {canonicalSessionKey} from '../sessions/keys.js';
import {defineMethod} from './types.js';

export function chatAbort(service: AgentService) {
	return defineMethod({
		name: 'chat.abort',
		scope: scopes.write,
		params: z
			.object({sessionKey: z.string().min(1), agentId: z.string().min(1).optional(), runId: z.string().min(1).optional(), preserveSideRuns: z.boolean().optional()})
			.strict(),
		handler(params) {
			// The session as stored: `main` from the TUI is `agent:main:main`, where `chat.send` and `agent` ran it.
			const sessionKey = canonicalSessionKey(params.sessionKey, service.checkAgentId(params.agentId));
			const runIds = service.abortRuns((run) => run.sessionKey === sessionKey && (!params.runId || run.runId === params.runId));
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
