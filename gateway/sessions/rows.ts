// The shapes OpenClaw clients read for a session: the list/describe row, the model defaults, `chat.history`'s
// messages, and the `sessions.changed` payload. Pure functions of the store's entries.
import {sessionKind} from './keys.js';
import {splitModelRef, type SessionEntry} from './entry.js';
import type {SessionModelDefaults, SessionRow} from '../../source/protocol/methods/index.js';

export type {SessionRow} from '../../source/protocol/methods/index.js';

export function sessionRow(entry: SessionEntry, active: {runIds: string[]} = {runIds: []}): SessionRow {
	const running = active.runIds.length > 0;
	return {
		key: entry.key,
		kind: sessionKind(entry.key),
		chatType: sessionKind(entry.key) === 'group' ? 'group' : 'direct',
		agentId: entry.agentId,
		sessionId: entry.sessionId,
		sessionStartedAt: entry.createdAt,
		updatedAt: entry.updatedAt,
		lastInteractionAt: entry.updatedAt,
		status: running ? 'running' : (entry.status ?? 'done'),
		hasActiveRun: running,
		activeRunIds: active.runIds,
		...(entry.abortedLastRun ? {abortedLastRun: true} : {}),
		...(entry.lastRunId ? {lastRunId: entry.lastRunId} : {}),
		...(entry.workspaceDir ? {workspaceDir: entry.workspaceDir} : {}),
		messageCount: entry.messageCount,
		...(entry.model ? {model: entry.model, modelProvider: entry.modelProvider} : {}),
		...(entry.totalTokens === undefined ? {} : {inputTokens: entry.inputTokens, outputTokens: entry.outputTokens, totalTokens: entry.totalTokens, totalTokensFresh: true}),
		visibility: 'shared',
	};
}

/** `defaults` of sessions.list and chat.history: the model a new session would run. */
export function sessionDefaults(modelRef: string): SessionModelDefaults {
	const {provider, model} = splitModelRef(modelRef);
	return {modelProvider: provider, model, contextTokens: null};
}
