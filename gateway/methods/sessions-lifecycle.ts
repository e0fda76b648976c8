// `sessions.reset` (a fresh transcript under the same key: the TUI's /new and /reset) and `sessions.delete`. Both
// stop the session's runs first and tell subscribers. Admin scope, as OpenClaw's (its delete is write-scoped only for
// already-archived sessions, and this gateway archives nothing).
import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import {canonicalSessionKey, mainSessionKey} from '../sessions/keys.js';
import type {SessionService} from '../sessions/service.js';
import {defineMethod} from './types.js';

export function sessionsReset(service: SessionService) {
	return defineMethod({
		name: 'sessions.reset',
		scope: scopes.admin,
		params: z
			.object({key: z.string().min(1), agentId: z.string().min(1).optional(), reason: z.enum(['new', 'reset']).optional(), expectedSessionId: z.string().min(1).optional()})
			.strict(),
		async handler(params) {
			const agentId = service.agents.checkAgentId(params.agentId);
			const key = canonicalSessionKey(params.key, agentId);
			const store = await service.storeForKey(key, agentId);
			const current = store.get(key);
			if (params.expectedSessionId && current?.sessionId !== params.expectedSessionId) {
				throw new GatewayError({
					code: errorCodes.invalidRequest,
					message: `session ${key} is no longer ${params.expectedSessionId}: reload it and retry`,
					details: {code: 'SESSION_CHANGED', key, sessionId: current?.sessionId ?? null},
				});
			}

			service.agents.abortRuns((run) => run.sessionKey === key);
			const entry = await store.reset(key);
			const reason = params.reason ?? 'reset';
			service.changed({sessionKey: key, agentId: entry.agentId, reason, sessionId: entry.sessionId, ts: Date.now(), session: service.row(entry), updatedAt: entry.updatedAt});
			return {ok: true, key, entry: service.row(entry)};
		},
	});
}

export function sessionsDelete(service: SessionService) {
	return defineMethod({
		name: 'sessions.delete',
		scope: scopes.admin,
		params: z
			.object({
				key: z.string().min(1),
				agentId: z.string().min(1).optional(),
				deleteTranscript: z.boolean().optional(),
				expectedSessionId: z.string().min(1).optional(),
				expectedLifecycleRevision: z.string().min(1).optional(),
				expectedSessionUpdatedAt: z.number().min(0).optional(),
				emitLifecycleHooks: z.boolean().optional(),
				archivedOnly: z.boolean().optional(),
			})
			.strict(),
		async handler(params) {
			const agentId = service.agents.checkAgentId(params.agentId);
			const key = canonicalSessionKey(params.key, agentId);
			if (key === mainSessionKey(agentId)) {
				throw new GatewayError({code: errorCodes.invalidRequest, message: `cannot delete the main session ${key}: reset it instead (sessions.reset)`});
			}

			const store = await service.storeForKey(key, agentId);
			const current = store.get(key);
			if (params.expectedSessionId && current && current.sessionId !== params.expectedSessionId) {
				throw new GatewayError({
					code: errorCodes.invalidRequest,
					message: `session ${key} is no longer ${params.expectedSessionId}: reload it and retry`,
					details: {code: 'SESSION_CHANGED', key, sessionId: current.sessionId},
				});
			}

			if (params.archivedOnly) {
				return {ok: true, key, deleted: false, archived: []};
			}

			service.agents.abortRuns((run) => run.sessionKey === key);
			const deleted = await store.delete(key);
			if (deleted) {
				service.changed({sessionKey: key, agentId, reason: 'delete', ts: Date.now()});
			}

			return {ok: true, key, deleted, archived: []};
		},
	});
}
