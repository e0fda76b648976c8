// Which entry of a store a turn writes to, and whether the session id it asks for is free: a key's own session, a
// new one (under the asked id, else a fresh one), or a move of the key to a new transcript under another id. Pure,
// over the store's entries; apart from the store because these are the rules that keep one transcript per key and
// one key per id, and the store only carries out what they decide.
import type {SessionEntry} from './entry.js';
import type {SessionIdRequest} from './session-id.js';

export type TurnEntry =
	| {kind: 'current'; entry: SessionEntry}
	/** A session the key does not have yet; without `sessionId` it gets a fresh one. */
	| {kind: 'new'; sessionId?: string}
	/** The key moved to a new transcript under `sessionId`; the one it `replaces` is deleted once the index moves. */
	| {kind: 'move'; sessionId: string; replaces: SessionEntry};

/** The session that has this id (one at most: the id is its transcript's file name). */
export function entryBySessionId(entries: Map<string, SessionEntry>, sessionId: string): SessionEntry | undefined {
	for (const entry of entries.values()) {
		if (entry.sessionId === sessionId) {
			return entry;
		}
	}

	return undefined;
}

/** The other session that already has the id a turn asks `key` to take, if any: two keys cannot share a transcript. */
export function sessionIdTakenBy(entries: Map<string, SessionEntry>, key: string, request: SessionIdRequest): string | undefined {
	const current = entries.get(key);
	if (current && (current.sessionId === request.id || request.ifDifferent === 'keep')) {
		return undefined;
	}

	const owner = entryBySessionId(entries, request.id);
	return owner && owner.key !== key ? owner.key : undefined;
}

/** The entry a turn on `key` writes to, or the new one it needs; throws when the asked id is another key's. */
export function turnEntry(entries: Map<string, SessionEntry>, key: string, sessionId: SessionIdRequest | undefined): TurnEntry {
	const current = entries.get(key);
	if (sessionId) {
		const takenBy = sessionIdTakenBy(entries, key, sessionId);
		if (takenBy) {
			throw new Error(`session id ${sessionId.id} already belongs to session ${takenBy}`);
		}
	}

	if (!current) {
		return {kind: 'new', sessionId: sessionId?.id};
	}

	if (sessionId && sessionId.ifDifferent === 'rotate' && current.sessionId !== sessionId.id) {
		return {kind: 'move', sessionId: sessionId.id, replaces: current};
	}

	return {kind: 'current', entry: current};
}
