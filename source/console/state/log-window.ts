// What the Logs pane draws: only the rows that fit its box, from the bottom row on screen (the newest when following,
// the paused anchor otherwise) upwards. A record takes a row per line of its message, and more when wrapped
// (log-rows.ts); unwrapped rows are cut at the width. The window always has a full page when there are enough rows.
import {recordRows, type LogRow} from './log-rows.js';
import {rowsOf} from './log-position.js';
import {anchorPosition, filteredLines, newLineCount, rowOptions, type LogsState} from './logs.js';

export {highlightSegments, type LogRow, type Segment} from './log-rows.js';

export type LogWindow = {
	rows: LogRow[];
	/** Lines after the filters, and text lines that arrived since the view paused. */
	matched: number;
	newLines: number;
	atTop: boolean;
};

export function logWindow(state: LogsState, size: {height: number; width: number}): LogWindow {
	const lines = filteredLines(state);
	const height = Math.max(0, size.height);
	const options = {...rowOptions(state, Math.max(1, size.width)), filter: state.filter};
	const newLines = newLineCount(state, lines);
	if (lines.length === 0 || height === 0) {
		return {rows: [], matched: lines.length, newLines, atTop: true};
	}

	const rows = rowsOf(lines, options);
	const anchor = anchorPosition(state, rows);
	const above: LogRow[][] = [];
	let left = height;
	let index = anchor.index;
	let from = 0;
	// Walk up from the bottom row until the box is full; nothing above the window is formatted.
	for (; index >= 0 && left > 0; index--) {
		const line = lines[index];
		let part: LogRow[];
		if (options.wrap) {
			// Wrapped, a line's rows are known once it is cut: cut it once, keep the rows that fit.
			const all = recordRows(line, options, 0, index === anchor.index ? anchor.row + 1 : Number.POSITIVE_INFINITY);
			from = Math.max(0, all.length - left);
			part = from === 0 ? all : all.slice(from);
		} else {
			const to = index === anchor.index ? anchor.row + 1 : rows.count(index);
			from = Math.max(0, to - left);
			part = recordRows(line, options, from, to);
		}

		above.push(part);
		left -= part.length;
	}

	const window: LogRow[] = [];
	for (let part = above.length - 1; part >= 0; part--) {
		for (const row of above[part]) {
			window.push(row);
		}
	}

	// The top reached with room left (g, or a paused view above a short history): the page goes on below the anchor,
	// as log-position.ts's pageBottom has it, so the pane is full whenever there are rows enough.
	for (let below = anchor.index, next = anchor.row + 1; left > 0 && below < lines.length; below++, next = 0) {
		for (const row of recordRows(lines[below], options, next, next + left)) {
			window.push(row);
			left--;
		}
	}

	return {rows: window, matched: lines.length, newLines, atTop: index < 0 && from === 0};
}
