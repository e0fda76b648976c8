// The rows one log record takes in the Logs pane. The first row is time, level, subsystem and the message's first
// line; each further line of the message (split once, when the line was parsed) is a row of its own, indented to the
// message's column. Unwrapped, a row is cut at the width; wrapped, each text line is cut into rows of the width.
// Every row is exactly one terminal row: nothing in it can move the cursor (the text is terminal-safe and cut by cells).
import {terminalSafe} from '../../cli-output/terminal-safe.js';
import {cellWidth, cutCells} from './cell-width.js';
import {formatLogPrefix, textLineCount, type LogLevel, type LogLine} from './log-line.js';

export type Segment = {text: string; match: boolean};
export type LogRow = {key: string; level?: LogLevel; segments: Segment[]};

/** How rows are drawn: what the view state says, and the pane's width in cells. */
export type RowOptions = {wrap: boolean; timestamps: boolean; width: number};

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

/**
 * The text of each of the record's lines as drawn: the first with its prefix, the others indented to the message's
 * column (at most half the width, so that a narrow pane still shows some of each line).
 */
function textLine(line: LogLine, index: number, options: RowOptions): string {
	// Lines reach the state terminal-safe already; cutting by cells needs it, so it is not left to the caller.
	const prefix = formatLogPrefix(line, options);
	if (index === 0) {
		return terminalSafe(prefix + line.message);
	}

	const indent = Math.min(cellWidth(terminalSafe(prefix)), Math.floor(options.width / 2));
	return ' '.repeat(indent) + terminalSafe(line.continuation![index - 1]);
}

/** Rows of a text line when wrapped at `width` (at least one: an empty line is an empty row). */
function wrappedRows(text: string, width: number): number {
	if (cellWidth(text) <= width) {
		return 1;
	}

	return chunkSegments([{text, match: false}], width).length;
}

/** How many rows the record takes: one per text line unwrapped (no text is looked at), more when wrapped. */
export function rowCount(line: LogLine, options: RowOptions): number {
	const lines = textLineCount(line);
	if (!options.wrap) {
		return lines;
	}

	let rows = 0;
	for (let index = 0; index < lines; index++) {
		rows += wrappedRows(textLine(line, index, options), Math.max(1, options.width));
	}

	return rows;
}

/** The record's rows `from` (inclusive) to `to` (exclusive), with the filter's matches marked. */
export function recordRows(line: LogLine, options: RowOptions & {filter: string}, from: number, to: number): LogRow[] {
	const width = Math.max(1, options.width);
	const rows: LogRow[] = [];
	const lines = textLineCount(line);
	if (!options.wrap) {
		for (let index = Math.max(0, from); index < Math.min(to, lines); index++) {
			const segments = truncateSegments(highlightSegments(textLine(line, index, options), options.filter), width);
			rows.push({key: `${line.seq}:${index}`, level: line.level, segments});
		}

		return rows;
	}

	let row = 0;
	for (let index = 0; index < lines && row < to; index++) {
		for (const chunk of chunkSegments(highlightSegments(textLine(line, index, options), options.filter), width)) {
			if (row >= from && row < to) {
				rows.push({key: `${line.seq}:${row}`, level: line.level, segments: chunk});
			}

			row++;
		}
	}

	return rows;
}
