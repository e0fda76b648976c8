// `chat.history`: a session's transcript (newest `limit` messages, oldest first) in OpenClaw's message shape, with the
// session's row (`sessionInfo`) and the model defaults; a run still going is reported as `inFlightRun`.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {canonicalSessionKey} from '../sessions/keys.js';
import type {SessionService} from '../sessions/service.js';
import {defineMethod} from './types.js';

/** OpenClaw's CHAT_HISTORY_MAX_ENTRIES. */
const maxEntries = 1000;
const defaultLimit = 200;

export function chatHistory(service: SessionService) {
	return defineMethod({
		name: 'chat.history',
		scope: scopes.read,
		params: z
			.object({
				sessionKey: z.string().min(1),
				agentId: z.string().min(1).optional(),
				cursor: z.string().optional(),
				limit: z.number().int().min(1).max(maxEntries).optional(),
				maxBytes: z.number().int().min(1024).optional(),
				offset: z.number().int().min(0).optional(),
				pendingBefore: z.number().int().min(1).optional(),
				inputRunIds: z.array(z.string().min(1).max(256)).min(1).max(50).optional(),
				messageId: z.string().min(1).optional(),
				sessionId: z.string().min(1).optional(),
				maxChars: z.number().int().min(1).max(500_000).optional(),
			})
			.strict(),
		async handler(params) {
			const agentId = service.agents.checkAgentId(params.agentId);
			const sessionKey = canonicalSessionKey(params.sessionKey, agentId);
			const store = await service.storeForKey(sessionKey, agentId);
			const entry = store.get(sessionKey);
			const all = entry ? await store.messages(sessionKey) : [];
			const limit = params.limit ?? defaultLimit;
			const offset = params.offset ?? 0;
			const end = Math.max(0, all.length - offset);
			const messages = all.slice(Math.max(0, end - limit), end);
			const running = service.agents.runner.activeRuns().find((run) => run.sessionKey === sessionKey);
			return {
				sessionKey,
				...(entry ? {sessionId: entry.sessionId} : {}),
				messages,
				totalMessages: all.length,
				hasMore: end - messages.length > 0,
				defaults: service.defaults(),
				...(entry ? {sessionInfo: service.row(entry)} : {}),
				...(running ? {inFlightRun: {runId: running.runId, text: running.text}} : {}),
			};
		},
	});
}
