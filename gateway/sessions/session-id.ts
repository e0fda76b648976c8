// Which session an `agent` turn goes to when the caller names it by `sessionId`, as OpenClaw 2026.9.6 routes it:
// a `sessionKey` always wins (the id then becomes that session's id); a `sessionId` alone finds the session that
// already has it (in the named agent's store, else in any agent's, the most recently used first), and when none
// has it the turn opens `agent:<agentId>:explicit:<sessionId>` under that id. `to` names a session only when it is an
// agent-scoped key and neither of the two is given. Pure: the caller looks the id up in the stores.
import {errorCodes, GatewayError} from '../../source/protocol/index.js';
import {canonicalSessionKey, mainSessionKey, parseAgentSessionKey} from './keys.js';

/**
 * What a turn asks of its session's id: a new session gets `id`; an existing session under another id is moved to
 * it (`rotate`: a fresh transcript, as `agent` does) or keeps its own (`keep`: `chat.send` only names the id of a
 * session it creates).
 */
export type SessionIdRequest = {id: string; ifDifferent: 'rotate' | 'keep'};

export type SessionTargetRequest = {agentId: string; agentIdGiven: boolean; sessionKey?: string; sessionId?: string; to?: string};

/** A stored session that has the requested id. */
export type SessionIdMatch = {agentId: string; key: string; updatedAt: number};

export type SessionTarget = {agentId: string; sessionKey: string; sessionId?: SessionIdRequest};

// OpenClaw's own rule for a session id, which is also a file name here (`<sessionId>.jsonl`).
const safeSessionId = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}._-]{0,127}$/u;

/** The trimmed id, or a GatewayError that says what an id may hold. Empty means none was given. */
export function checkSessionId(raw: string | undefined): string | undefined {
	const id = raw?.trim();
	if (!id) {
		return undefined;
	}

	if (id !== id.normalize('NFC') || !safeSessionId.test(id)) {
		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `invalid sessionId "${raw}": use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
		});
	}

	return id;
}

/** The key a turn opens for a session id no stored session has. */
export function explicitSessionKey(agentId: string, sessionId: string): string {
	return `agent:${agentId}:explicit:${sessionId}`;
}

/** The session the turn lands in; `matches` are the stored sessions that have `request.sessionId`. */
export function agentSessionTarget(request: SessionTargetRequest, matches: SessionIdMatch[] = []): SessionTarget {
	const sessionId = request.sessionId;
	const to = request.to?.trim();
	const sessionKey = request.sessionKey?.trim() || (!sessionId && to && parseAgentSessionKey(to) ? to : undefined);
	if (sessionKey) {
		return {agentId: request.agentId, sessionKey: canonicalSessionKey(sessionKey, request.agentId), ...(sessionId ? {sessionId: {id: sessionId, ifDifferent: 'rotate'}} : {})};
	}

	if (!sessionId) {
		return {agentId: request.agentId, sessionKey: mainSessionKey(request.agentId)};
	}

	const eligible = request.agentIdGiven ? matches.filter((match) => match.agentId === request.agentId) : matches;
	// Newest first; the sort is stable, so equal times keep the order the stores were searched in.
	const [found] = [...eligible].sort((a, b) => b.updatedAt - a.updatedAt);
	if (found) {
		return {agentId: found.agentId, sessionKey: found.key, sessionId: {id: sessionId, ifDifferent: 'rotate'}};
	}

	return {agentId: request.agentId, sessionKey: explicitSessionKey(request.agentId, sessionId), sessionId: {id: sessionId, ifDifferent: 'rotate'}};
}
