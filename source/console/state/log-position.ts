// Where the Logs pane's view is, in rows: a record (its index in the filtered lines) and a row inside it. A record
// takes one row per line of its message, more when wrapped (log-rows.ts), so scrolling, g/G and the page the pane
// shows are counted in rows, not records: a 40-line stack trace in a 20-row pane can be read from its top.
// Only the records the view walks over are measured; unwrapped, a record's rows are known without looking at its text.
import type {LogLine} from './log-line.js';
import {rowCount, type RowOptions} from './log-rows.js';

export type RowPosition = {index: number; row: number};

/** The pane's rows and columns of log text. */
export type LogView = {height: number; width: number};

export type Rows = {lines: LogLine[]; count: (index: number) => number};

export function rowsOf(lines: LogLine[], options: RowOptions): Rows {
	return {lines, count: (index) => rowCount(lines[index], options)};
}

export function lastPosition(rows: Rows): RowPosition {
	const index = rows.lines.length - 1;
	return {index, row: rows.count(index) - 1};
}

export function isLast(rows: Rows, position: RowPosition): boolean {
	return position.index === rows.lines.length - 1 && position.row >= rows.count(position.index) - 1;
}

/** `by` rows up from `from`, stopping at the first row; `moved` says how far it got. */
export function rowsUp(rows: Rows, from: RowPosition, by: number): {position: RowPosition; moved: number} {
	let {index, row} = from;
	let moved = 0;
	while (moved < by) {
		const step = Math.min(row, by - moved);
		row -= step;
		moved += step;
		if (moved === by || index === 0) {
			break;
		}

		index--;
		row = rows.count(index) - 1;
		moved++;
	}

	return {position: {index, row}, moved};
}

/** `by` rows down from `from`, stopping at the last row. */
export function rowsDown(rows: Rows, from: RowPosition, by: number): RowPosition {
	let {index, row} = from;
	let moved = 0;
	while (moved < by) {
		const last = rows.count(index) - 1;
		const step = Math.min(last - row, by - moved);
		row += step;
		moved += step;
		if (moved === by || index === rows.lines.length - 1) {
			break;
		}

		index++;
		row = 0;
		moved++;
	}

	return {index, row};
}

/**
 * The bottom row of the page whose bottom is at or below `bottom`: the same row when a full page of rows lies above
 * it, else the bottom of the first page (as `less` and k9s show the top: a full page from the oldest line, never one
 * line on an otherwise empty pane), or the last row when everything fits.
 */
export function pageBottom(rows: Rows, bottom: RowPosition, height: number): RowPosition {
	const above = rowsUp(rows, bottom, Math.max(0, height - 1));
	const missing = Math.max(0, height - 1) - above.moved;
	return missing === 0 ? bottom : rowsDown(rows, bottom, missing);
}
