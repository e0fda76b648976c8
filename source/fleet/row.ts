// One fleet row per gateway and the pure reducer that moves it between states as probes report:
//   connecting -> running | unreachable (since, why) | auth failed | restarting
// `since` is when the row entered its state, so "unreachable since 14:03" stays put while later polls fail the same
// way. A reducer call that changes nothing returns the same row object, so a view redraws only rows that changed.
import type {HealthSummary} from './health-summary.js';

export type FleetState = 'connecting' | 'running' | 'unreachable' | 'auth-failed' | 'restarting';

export type FleetRow = {
	name: string;
	/** `profile main`, the ws URL, `ssh user@host:22 :18789`. */
	where: string;
	state: FleetState;
	/** When the row entered `state`. */
	since: number;
	/** Why it is unreachable, refused or restarting. */
	why?: string;
	version?: string;
	/** The latest RPC probe's round trip (a `health` request), ms. */
	latencyMs?: number;
	/** The last few round trips, oldest first. */
	trend: number[];
	channels?: {ready: number; total: number};
	sessions?: number;
	reloadMode?: string;
	lastError?: {message: string; at: number};
	/** When the last probe answered. */
	probedAt?: number;
	/** While restarting: until when an unreachable gateway is still taken as coming back. */
	restartUntil?: number;
};

export type FleetEvent =
	| {type: 'connecting'; at: number}
	| {type: 'hello'; version?: string; at: number}
	| {type: 'probe-ok'; latencyMs: number; summary: HealthSummary; at: number}
	| {type: 'unreachable'; why: string; at: number}
	| {type: 'auth-failed'; why: string; at: number}
	/** The gateway said it is restarting (a shutdown event with a restart hint). */
	| {type: 'restarting'; expectedMs?: number; at: number};

export const trendLength = 8;

/** How long past its own estimate a restarting gateway is given before it counts as unreachable. */
export const restartGraceMs = 15_000;

export function initialRow(name: string, where: string, at: number): FleetRow {
	return {name, where, state: 'connecting', since: at, trend: []};
}

function enter(row: FleetRow, state: FleetState, at: number, changes: Partial<FleetRow>): FleetRow {
	return {...row, ...changes, state, since: row.state === state ? row.since : at};
}

export function reduceRow(row: FleetRow, event: FleetEvent): FleetRow {
	switch (event.type) {
		case 'connecting':
			// A row that has a verdict keeps it until the attempt has one: no flicker back to "connecting" on each poll.
			return row;
		case 'hello':
			return event.version === undefined || event.version === row.version ? row : {...row, version: event.version};
		case 'probe-ok': {
			const {summary} = event;
			return enter(row, 'running', event.at, {
				why: undefined,
				restartUntil: undefined,
				latencyMs: event.latencyMs,
				trend: [...row.trend, event.latencyMs].slice(-trendLength),
				channels: summary.channels,
				sessions: summary.sessions,
				reloadMode: summary.reloadMode ?? row.reloadMode,
				probedAt: event.at,
				...(summary.configError ? {lastError: {message: `config: ${summary.configError}`, at: event.at}} : {}),
			});
		}

		case 'unreachable': {
			if (row.state === 'restarting' && row.restartUntil !== undefined && event.at < row.restartUntil) {
				return row;
			}

			if (row.state === 'unreachable' && row.why === event.why) {
				return row;
			}

			return enter(row, 'unreachable', event.at, {why: event.why, latencyMs: undefined, restartUntil: undefined, lastError: {message: event.why, at: event.at}});
		}

		case 'auth-failed':
			if (row.state === 'auth-failed' && row.why === event.why) {
				return row;
			}

			return enter(row, 'auth-failed', event.at, {why: event.why, latencyMs: undefined, lastError: {message: event.why, at: event.at}});
		case 'restarting':
			return enter(row, 'restarting', event.at, {
				why: 'the gateway announced a restart',
				restartUntil: event.at + (event.expectedMs ?? 0) + restartGraceMs,
			});
		default:
			return row;
	}
}

/** The row answered its latest probe (what `fleet status` exits 0 on). */
export function answers(row: FleetRow): boolean {
	return row.state === 'running';
}

const bars = '▁▂▃▄▅▆▇█';

/** The trend as a small bar chart, one character per probe, scaled between the lowest and highest. */
export function sparkline(values: readonly number[]): string {
	if (values.length === 0) {
		return '';
	}

	const low = Math.min(...values);
	const span = Math.max(...values) - low;
	return values.map((value) => bars[span === 0 ? 0 : Math.round(((value - low) / span) * (bars.length - 1))]).join('');
}

export function clockTime(at: number): string {
	const date = new Date(at);
	return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** `running`, `unreachable since 14:03 (connection refused)`, `auth failed (token mismatch)`, `restarting`. */
export function stateText(row: FleetRow): string {
	switch (row.state) {
		case 'unreachable':
			return `unreachable since ${clockTime(row.since)}${row.why ? ` (${row.why})` : ''}`;
		case 'auth-failed':
			return `auth failed${row.why ? ` (${row.why})` : ''}`;
		case 'restarting':
			return `restarting since ${clockTime(row.since)}`;
		default:
			return row.state;
	}
}
