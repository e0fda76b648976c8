// What the console knows about the gateway's sessions: how many there are and which one was active last. The facts
// come from the `sessions` summary in the gateway's `status` answer (or `health`, where `status` is not served), in
// OpenClaw's shape `{count, recent: [{key, updatedAt, age}]}`; a `sessions.changed` event (when the console could
// subscribe) only makes the controller ask again at once instead of at the next poll. A gateway whose answers carry
// no summary leaves this empty: the pane then shows nothing, never a zero it was not told.
import {isRecord} from '../../protocol/index.js';
import {formatUptime} from './runtime.js';

export type SessionsState = {
	/** The gateway's session count, as its last summary said. */
	count?: number;
	/** The most recently active session and when (console clock: the gateway's `age` taken from the arrival time). */
	last?: {key: string; at: number};
};

/** A `sessions` summary from `status` or `health`: the object under `sessions`, as the gateway sent it. */
export type SessionsAction = {type: 'sessions/summary'; summary: unknown; at: number};

export const initialSessions: SessionsState = {};

function count(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** When a `recent` entry was active, on the console's clock: from its age where the gateway says it (no clock skew). */
function activeAt(entry: Record<string, unknown>, at: number): number | undefined {
	if (typeof entry.age === 'number' && Number.isFinite(entry.age) && entry.age >= 0) {
		return at - entry.age;
	}

	return typeof entry.updatedAt === 'number' && Number.isFinite(entry.updatedAt) ? entry.updatedAt : undefined;
}

/** The newest entry of a summary's `recent` list (OpenClaw sorts it, but nothing says it must). */
function newest(recent: unknown, at: number): SessionsState['last'] {
	if (!Array.isArray(recent)) {
		return undefined;
	}

	let last: SessionsState['last'];
	for (const entry of recent) {
		if (!isRecord(entry) || typeof entry.key !== 'string' || entry.key === '') {
			continue;
		}

		const when = activeAt(entry, at);
		if (when !== undefined && (last === undefined || when > last.at)) {
			last = {key: entry.key, at: when};
		}
	}

	return last;
}

export function sessionsReducer(state: SessionsState, action: SessionsAction): SessionsState {
	const summary = action.type === 'sessions/summary' && isRecord(action.summary) ? action.summary : undefined;
	const total = count(summary?.count);
	if (!summary || total === undefined) {
		return state; // not a summary: keep what the last good one said
	}

	const last = newest(summary.recent, action.at);
	return state.count === total && state.last?.key === last?.key && state.last?.at === last?.at ? state : {count: total, last};
}

/** How long ago, as the operator reads it: minutes, hours, days (the poll would make finer figures stale). */
export function formatAgo(ms: number): string {
	return ms < 60_000 ? 'just now' : `${formatUptime(ms)} ago`;
}

/** The Runtime pane's sessions line: `12 · last 2m ago (agent:main:telegram:direct:42)`; none before a summary. A
 * count without a dated `recent` entry is said alone. */
export function describeSessions(state: SessionsState, now: number): string | undefined {
	if (state.count === undefined) {
		return undefined;
	}

	const last = state.last ? ` · last ${formatAgo(Math.max(0, now - state.last.at))} (${state.last.key})` : '';
	return `${state.count}${last}`;
}
