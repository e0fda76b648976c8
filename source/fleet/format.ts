// Fleet rows as a text table (fleet status) and as JSON (fleet status --json). Pure.
import {clockTime, sparkline, stateText, answers, type FleetRow} from './row.js';

export type Paint = (role: 'ok' | 'warn' | 'fail' | 'muted', text: string) => string;

const header = ['NAME', 'WHERE', 'STATE', 'VERSION', 'PROBE', 'CHANNELS', 'SESSIONS', 'RELOAD', 'LAST ERROR'];

export function probeCell(row: FleetRow): string {
	if (row.latencyMs === undefined) {
		return '-';
	}

	return `${row.latencyMs < 10 ? row.latencyMs.toFixed(1) : Math.round(row.latencyMs)} ms ${sparkline(row.trend)}`;
}

/** The last error, unless the state already says it (an unreachable row's why). */
export function lastErrorCell(row: FleetRow): string {
	if (!row.lastError || (row.state !== 'running' && row.lastError.message === row.why)) {
		return '-';
	}

	return `${clockTime(row.lastError.at)} ${row.lastError.message}`;
}

export function cells(row: FleetRow): string[] {
	return [
		row.name,
		row.where,
		stateText(row),
		row.version ?? '-',
		probeCell(row),
		row.channels ? `${row.channels.ready}/${row.channels.total}` : '-',
		row.sessions === undefined ? '-' : String(row.sessions),
		row.reloadMode ?? '-',
		lastErrorCell(row),
	];
}

function stateRole(row: FleetRow): 'ok' | 'warn' | 'fail' {
	return row.state === 'running' ? 'ok' : row.state === 'restarting' || row.state === 'connecting' ? 'warn' : 'fail';
}

export function fleetTable(rows: readonly FleetRow[], paint: Paint = (_role, text) => text): string[] {
	const table = [header, ...rows.map((row) => cells(row))];
	const widths = header.map((_cell, column) => Math.max(...table.map((line) => [...line[column]].length)));
	const pad = (text: string, column: number) => (column === header.length - 1 ? text : text + ' '.repeat(widths[column] - [...text].length));
	return table.map((line, index) => {
		const row = rows[index - 1];
		return line
			.map((cell, column) => {
				const padded = pad(cell, column);
				if (index === 0) {
					return paint('muted', padded);
				}

				return column === 2 ? paint(stateRole(row), padded) : padded;
			})
			.join('  ')
			.trimEnd();
	});
}

export function rowJson(row: FleetRow): Record<string, unknown> {
	const iso = (at: number) => new Date(at).toISOString();
	return {
		name: row.name,
		where: row.where,
		ok: answers(row),
		state: row.state,
		stateText: stateText(row),
		since: iso(row.since),
		why: row.why,
		version: row.version,
		latencyMs: row.latencyMs,
		trend: row.trend,
		channels: row.channels,
		sessions: row.sessions,
		reloadMode: row.reloadMode,
		lastError: row.lastError ? {message: row.lastError.message, at: iso(row.lastError.at)} : undefined,
	};
}
