// `sessions.list` and `sessions.describe`: the stored sessions as OpenClaw's rows (the TUI's session picker, its
// footer, `gateway call sessions.list`), newest first, with the model defaults a new session would run.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {canonicalSessionKey} from '../sessions/keys.js';
import type {SessionService} from '../sessions/service.js';
import {defineMethod} from './types.js';
import type {SessionsListParams, SessionsListResult} from '../../source/protocol/methods/index.js';

const defaultLimit = 100;

/** OpenClaw's closed SessionsListParamsSchema; the filters we have no data for are accepted and match everything. */
export const sessionsListParams = z
	.object({
		limit: z.number().int().min(1).optional(),
		offset: z.number().int().min(0).optional(),
		activeMinutes: z.number().int().min(1).optional(),
		activeOnly: z.boolean().optional(),
		requireLastInteraction: z.boolean().optional(),
		sortBy: z.enum(['updatedAt', 'lastInteractionAt', 'activity']).optional(),
		includeGlobal: z.boolean().optional(),
		includeUnknown: z.boolean().optional(),
		excludeSubagents: z.boolean().optional(),
		excludeCron: z.boolean().optional(),
		excludeSystem: z.boolean().optional(),
		configuredAgentsOnly: z.boolean().optional(),
		includeDerivedTitles: z.boolean().optional(),
		includeLastMessage: z.boolean().optional(),
		includeActivitySummary: z.boolean().optional(),
		label: z.string().optional(),
		projectId: z.string().optional(),
		workspaceDir: z.string().optional(),
		group: z.string().optional(),
		pinned: z.boolean().optional(),
		boardFace: z.enum(['chat', 'dashboard']).optional(),
		hasBoard: z.boolean().optional(),
		creatorId: z.string().optional(),
		ownerId: z.string().optional(),
		ownerFirst: z.boolean().optional(),
		involvingMe: z.boolean().optional(),
		profileRelation: z.unknown().optional(),
		involvingProfileId: z.string().optional(),
		includePeople: z.boolean().optional(),
		spawnedBy: z.string().optional(),
		agentId: z.string().min(1).optional(),
		search: z.string().optional(),
		archived: z.union([z.boolean(), z.literal('all')]).optional(),
	})
	.strict();


export async function listSessions(service: SessionService, params: SessionsListParams): Promise<SessionsListResult> {
	const agentIds = params.agentId ? [service.agents.checkAgentId(params.agentId)] : service.agents.agentIds();
	const stores = await Promise.all(agentIds.map(async (agentId) => service.store(agentId)));
	const now = Date.now();
	const search = params.search?.trim().toLowerCase();
	let entries = stores.flatMap((store) => store.list()).sort((a, b) => b.updatedAt - a.updatedAt);
	if (params.activeMinutes !== undefined) {
		entries = entries.filter((entry) => now - entry.updatedAt <= params.activeMinutes! * 60_000);
	}

	if (params.activeOnly) {
		entries = entries.filter((entry) => service.activeRunIds(entry.key).length > 0);
	}

	if (search) {
		entries = entries.filter((entry) => entry.key.toLowerCase().includes(search));
	}

	if (params.archived === true) {
		entries = [];
	}

	const offset = params.offset ?? 0;
	const limit = params.limit ?? defaultLimit;
	const page = entries.slice(offset, offset + limit);
	const nextOffset = offset + page.length;
	const hasMore = nextOffset < entries.length;
	return {
		ts: now,
		path: stores.length === 1 ? stores[0].indexPath : null,
		count: page.length,
		totalCount: entries.length,
		limitApplied: limit,
		...(offset > 0 ? {offset} : {}),
		nextOffset: hasMore ? nextOffset : null,
		hasMore,
		defaults: service.defaults(),
		sessions: page.map((entry) => service.row(entry)),
	};
}

export function sessionsList(service: SessionService) {
	return defineMethod({
		name: 'sessions.list',
		scope: scopes.read,
		params: sessionsListParams,
		async handler(params) {
			return listSessions(service, params);
		},
	});
}

export function sessionsDescribe(service: SessionService) {
	return defineMethod({
		name: 'sessions.describe',
		scope: scopes.read,
		params: z
			.object({key: z.string().min(1), agentId: z.string().min(1).optional(), includeDerivedTitles: z.boolean().optional(), includeLastMessage: z.boolean().optional()})
			.strict(),
		async handler(params) {
			const agentId = service.agents.checkAgentId(params.agentId);
			const key = canonicalSessionKey(params.key, agentId);
			const entry = (await service.storeForKey(key, agentId)).get(key);
			return {session: entry ? service.row(entry) : null};
		},
	});
}
