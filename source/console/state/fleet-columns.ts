// The Fleet view's columns fitted to the terminal's width: each column as wide as its widest cell (capped), the least
// needed ones left out first when they do not fit, and the last error taking whatever is left. Cells are cut by
// terminal cells with an ellipsis, so Ink never clips a row sideways. Pure.
import {terminalSafe} from '../../cli-output/terminal-safe.js';
import {cells} from '../../fleet/format.js';
import type {FleetRow} from '../../fleet/row.js';
import {cellWidth, cutCells} from './cell-width.js';

export const fleetColumnIds = ['name', 'where', 'state', 'version', 'probe', 'channels', 'sessions', 'reload', 'error'] as const;
export type FleetColumnId = (typeof fleetColumnIds)[number];

export type FleetColumn = {id: FleetColumnId; title: string; width: number};

const titles: Record<FleetColumnId, string> = {
	name: 'NAME',
	where: 'WHERE',
	state: 'STATE',
	version: 'VERSION',
	probe: 'PROBE',
	channels: 'CHANNELS',
	sessions: 'SESSIONS',
	reload: 'RELOAD',
	error: 'LAST ERROR',
};

/** The widest a column grows to (the last error takes the rest). */
const caps: Partial<Record<FleetColumnId, number>> = {name: 24, where: 32, state: 52, version: 14, probe: 20};

/** The narrowest a column is drawn: the probe's is as wide as a full trend, so columns do not shift as it fills. */
const floors: Partial<Record<FleetColumnId, number>> = {probe: 16};

/** The narrowest a column is cut to before columns are left out. */
const minimums: Partial<Record<FleetColumnId, number>> = {name: 8, where: 12, state: 11};

/**
 * What gives way when the width is short, in order: columns the state and latency already imply are left out, then the
 * wide ones are cut to their minimum, then more columns go. The last error only ever takes what is left.
 */
const giveWay: Array<FleetColumnId | 'shrink'> = ['sessions', 'reload', 'version', 'shrink', 'where', 'channels'];

export const columnGap = 2;

/** A row's cells, terminal-safe (versions and errors are the gateway's words). */
export function rowCells(row: FleetRow): Record<FleetColumnId, string> {
	const values = cells(row).map((text) => terminalSafe(text));
	return Object.fromEntries(fleetColumnIds.map((id, index) => [id, values[index]])) as Record<FleetColumnId, string>;
}

function totalWidth(columns: readonly FleetColumn[]): number {
	return columns.reduce((sum, column) => sum + column.width, 0) + columnGap * Math.max(0, columns.length - 1);
}

export function fitColumns(rows: ReadonlyArray<Record<FleetColumnId, string>>, width: number): FleetColumn[] {
	let columns: FleetColumn[] = fleetColumnIds
		.filter((id) => id !== 'error')
		.map((id) => {
			const widest = Math.max(titles[id].length, floors[id] ?? 0, ...rows.map((row) => cellWidth(row[id])));
			return {id, title: titles[id], width: Math.min(widest, caps[id] ?? widest)};
		});
	for (const step of giveWay) {
		const over = totalWidth(columns) - width;
		if (over <= 0) {
			break;
		}

		if (step === 'shrink') {
			let left = over;
			for (const column of columns) {
				const cut = Math.min(left, Math.max(0, column.width - (minimums[column.id] ?? column.width)));
				column.width -= cut;
				left -= cut;
			}
		} else {
			columns = columns.filter((column) => column.id !== step);
		}
	}

	const rest = width - totalWidth(columns) - columnGap;
	if (rest >= titles.error.length) {
		columns.push({id: 'error', title: titles.error, width: rest});
	}

	// Narrower than name + state + probe at their minimum: the last column is cut to what is left.
	const over = totalWidth(columns) - width;
	if (over > 0) {
		const last = columns.at(-1)!;
		last.width = Math.max(1, last.width - over);
	}

	return columns;
}

/** `text` cut to `width` cells (an ellipsis marks the cut) and padded to exactly `width`. */
export function fitCell(text: string, width: number): string {
	const used = cellWidth(text);
	if (used <= width) {
		return text + ' '.repeat(width - used);
	}

	const {head, used: headWidth} = cutCells(text, Math.max(0, width - 1));
	return `${head}…${' '.repeat(Math.max(0, width - 1 - headWidth))}`;
}

/** One row's text, its columns joined by the gap. */
export function fleetLine(values: Record<FleetColumnId, string>, columns: readonly FleetColumn[]): string {
	return columns.map((column) => fitCell(values[column.id], column.width)).join(' '.repeat(columnGap));
}

export function headerLine(columns: readonly FleetColumn[]): string {
	return columns.map((column) => fitCell(column.title, column.width)).join(' '.repeat(columnGap));
}
