// What the Logs pane draws: only the rows that fit its box, cut from the bottom of the (filtered) ring at the
// follow position or the paused anchor. Wrapped lines take several rows; unwrapped ones are cut at the width.
import {terminalSafe} from '../../cli-output/terminal-safe.js';
import {cutCells} from './cell-width.js';
import {formatLogLine, type LogLevel} from './log-line.js';
import {bottomIndex, filteredLines, newLineCount, type LogsState} from './logs.js';

export type Segment = {text: string; match: boolean};
export type LogRow = {key: string; level?: LogLevel; segments: Segment[]};

export type LogWindow = {
	rows: LogRow[];
	/** Lines after the filters, and lines that arrived since the view paused. */
	matched: number;
	newLines: number;
	atTop: boolean;
};

/** Split `text` into plain and matching parts (case-insensitive), for highlighting the filter. */
export function highlightSegments(text: string, query: string): Segment[] {
	if (query === '') {
		return [{text, match: false}];
	}

	const segments: Segment[] = [];
	const lower = text.toLowerCase();
	const needle = query.toLowerCase();
	let from = 0;
	for (let index = lower.indexOf(needle); index !== -1; index = lower.indexOf(needle, from)) {
		if (index > from) {
			segments.push({text: text.slice(from, index), match: false});
		}

		segments.push({text: text.slice(index, index + needle.length), match: true});
		from = index + needle.length;
	}

	if (from < text.length) {
		segments.push({text: text.slice(from), match: false});
	}

	return segments;
}

/** Cut segments into rows of at most `width` terminal cells. */
function chunkSegments(segments: Segment[], width: number): Segment[][] {
	const rows: Segment[][] = [[]];
	let used = 0;
	for (const segment of segments) {
		let rest = segment.text;
		while (rest.length > 0) {
			if (used >= width) {
				rows.push([]);
				used = 0;
			}

			const cut = cutCells(rest, width - used, used === 0);
			if (cut.head.length === 0) {
				// A wide character that does not fit at the end of this row starts the next one.
				used = width;
				continue;
			}

			rows.at(-1)!.push({text: cut.head, match: segment.match});
			used += cut.used;
			rest = cut.rest;
		}
	}

	return rows;
}

function truncateSegments(segments: Segment[], width: number): Segment[] {
	const out: Segment[] = [];
	let left = width;
	for (const segment of segments) {
		if (left <= 0) {
			break;
		}

		const cut = cutCells(segment.text, left, out.length === 0);
		out.push({text: cut.head, match: segment.match});
		left -= cut.used;
		if (cut.rest.length > 0) {
			break;
		}
	}

	return out;
}

export function logWindow(state: LogsState, size: {height: number; width: number}): LogWindow {
	const lines = filteredLines(state);
	const end = bottomIndex(state, lines);
	const height = Math.max(0, size.height);
	const width = Math.max(1, size.width);
	const rows: LogRow[] = [];
	let index = end - 1;
	// Walk up from the bottom line until the box is full; nothing above the window is formatted.
	for (; index >= 0 && rows.length < height; index--) {
		const line = lines[index];
		// Lines reach the state terminal-safe already; cutting by cells needs it, so it is not left to the caller.
		const text = terminalSafe(formatLogLine(line, {timestamps: state.timestamps}));
		const segments = highlightSegments(text, state.filter);
		if (state.wrap) {
			const chunks = chunkSegments(segments, width);
			const room = height - rows.length;
			const kept = chunks.slice(Math.max(0, chunks.length - room));
			rows.unshift(...kept.map((chunk, part) => ({key: `${line.seq}:${part}`, level: line.level, segments: chunk})));
		} else {
			rows.unshift({key: String(line.seq), level: line.level, segments: truncateSegments(segments, width)});
		}
	}

	return {rows, matched: lines.length, newLines: newLineCount(state, lines), atTop: index < 0};
}
