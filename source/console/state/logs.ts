// The Logs pane's state: a ring of the last `capacity` lines (records) plus how they are viewed (follow or paused at
// an anchor row, text filter, minimum level, wrap, timestamps). Pure: the store feeds it batches of lines. The view
// moves in rows (a record with line breaks takes several, log-position.ts); the ring's counts are records.
import {logLevels, textLineCount, type LogLevel, type LogLine, type ParsedLogLine} from './log-line.js';
import {isLast, pageBottom, rowsDown, rowsOf, rowsUp, type LogView, type RowPosition, type Rows} from './log-position.js';
import type {RowOptions} from './log-rows.js';

export const levelFilters = ['all', 'debug', 'info', 'warn', 'error'] as const;
export type LevelFilter = (typeof levelFilters)[number];

export type LogsState = {
	lines: LogLine[];
	capacity: number;
	nextSeq: number;
	/** Lines received since start (including those the ring has since dropped). */
	received: number;
	follow: boolean;
	/** While paused: the seq of the bottom line on screen; new lines do not move the view. */
	anchorSeq?: number;
	/** While paused: the bottom row on screen, counted in the anchor line's rows; unset means its last row. */
	anchorRow?: number;
	/** While paused: the newest seq when the pause began; lines after it are the "N new lines". */
	pausedAfterSeq?: number;
	filter: string;
	level: LevelFilter;
	wrap: boolean;
	timestamps: boolean;
};

export type LogsAction =
	| {type: 'logs/append'; lines: ParsedLogLine[]; dropped?: number}
	/** `delta` rows; `view` is the pane's size, which says how many rows a page is and, wrapped, a line. */
	| {type: 'logs/scroll'; delta: number; view: LogView}
	| {type: 'logs/top'; view: LogView}
	| {type: 'logs/bottom'}
	| {type: 'logs/toggleFollow'}
	| {type: 'logs/setFilter'; filter: string}
	| {type: 'logs/cycleLevel'}
	| {type: 'logs/toggleWrap'}
	| {type: 'logs/toggleTimestamps'}
	| {type: 'logs/clear'};

export const defaultLogCapacity = 5000;

export function initialLogsState(capacity = defaultLogCapacity): LogsState {
	return {lines: [], capacity, nextSeq: 1, received: 0, follow: true, filter: '', level: 'all', wrap: false, timestamps: true};
}

function levelRank(level: LogLevel | undefined): number {
	return level ? logLevels.indexOf(level) : logLevels.indexOf('info');
}

export function passesLevel(line: LogLine, level: LevelFilter): boolean {
	return level === 'all' || levelRank(line.level) >= logLevels.indexOf(level);
}

export function matchesFilter(text: string, filter: string): boolean {
	return filter === '' || text.toLowerCase().includes(filter.toLowerCase());
}

/** The lines the pane may show, oldest first, after the level and text filters. */
export function filteredLines(state: LogsState): LogLine[] {
	if (state.filter === '' && state.level === 'all') {
		return state.lines;
	}

	return state.lines.filter(
		(line) =>
			passesLevel(line, state.level) &&
			(matchesFilter(`${line.subsystem ?? ''} ${line.message}`, state.filter) || (line.continuation?.some((text) => matchesFilter(text, state.filter)) ?? false)),
	);
}

export function rowOptions(state: LogsState, width: number): RowOptions {
	return {wrap: state.wrap, timestamps: state.timestamps, width};
}

/** Index just past the bottom line on screen, in `lines` (filtered). */
export function bottomIndex(state: LogsState, lines: LogLine[]): number {
	if (state.follow || state.anchorSeq === undefined) {
		return lines.length;
	}

	let low = 0;
	let high = lines.length;
	// Lines are sorted by seq: find the first line after the anchor.
	while (low < high) {
		const middle = (low + high) >> 1;
		if (lines[middle].seq <= state.anchorSeq) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return Math.max(low, Math.min(1, lines.length));
}

/** The anchor as a row position in `rows` (non-empty): the newest row when following. */
export function anchorPosition(state: LogsState, rows: Rows): RowPosition {
	const {lines} = rows;
	const index = bottomIndex(state, lines) - 1;
	const last = rows.count(index) - 1;
	const own = !state.follow && lines[index].seq === state.anchorSeq && state.anchorRow !== undefined;
	return {index, row: own ? Math.min(state.anchorRow!, last) : last};
}

/** The bottom row on screen: the anchor, moved down when there is not a full page above it. */
export function bottomPosition(state: LogsState, rows: Rows, height: number): RowPosition {
	return pageBottom(rows, anchorPosition(state, rows), height);
}

/**
 * Text lines (unwrapped rows) of the records that arrived since the view paused (the "N new lines" marker), after
 * the filters: a new three-line record is three new lines.
 */
export function newLineCount(state: LogsState, lines = filteredLines(state)): number {
	if (state.follow || state.pausedAfterSeq === undefined) {
		return 0;
	}

	let count = 0;
	for (let index = lines.length - 1; index >= 0 && lines[index].seq > state.pausedAfterSeq; index--) {
		count += textLineCount(lines[index]);
	}

	return count;
}

function paused(state: LogsState, anchorSeq: number, anchorRow?: number): LogsState {
	return {...state, follow: false, anchorSeq, anchorRow, pausedAfterSeq: state.follow ? (state.lines.at(-1)?.seq ?? 0) : state.pausedAfterSeq};
}

const following = (state: LogsState): LogsState => ({...state, follow: true, anchorSeq: undefined, anchorRow: undefined, pausedAfterSeq: undefined});

function scroll(state: LogsState, delta: number, view: LogView): LogsState {
	const lines = filteredLines(state);
	if (lines.length === 0 || delta === 0) {
		return state;
	}

	const rows = rowsOf(lines, rowOptions(state, view.width));
	const bottom = bottomPosition(state, rows, view.height);
	// Up stops where the page's top is the oldest row; down stops at the newest.
	const target = delta < 0 ? pageBottom(rows, rowsUp(rows, bottom, -delta).position, view.height) : rowsDown(rows, bottom, delta);
	if (isLast(rows, target)) {
		// Scrolling back to the bottom resumes following, as less +F and k9s do.
		return delta > 0 && !state.follow ? following(state) : state;
	}

	if (target.index === bottom.index && target.row === bottom.row) {
		// Already at the top: the same state, so nothing is drawn again.
		return state;
	}

	return paused(state, lines[target.index].seq, target.row);
}

/** g: a full page from the oldest row (or everything, when it fits). */
function top(state: LogsState, view: LogView): LogsState {
	const lines = filteredLines(state);
	if (lines.length === 0) {
		return state;
	}

	const rows = rowsOf(lines, rowOptions(state, view.width));
	const bottom = pageBottom(rows, {index: 0, row: 0}, view.height);
	return paused(state, lines[bottom.index].seq, bottom.row);
}

export function logsReducer(state: LogsState, action: LogsAction): LogsState {
	switch (action.type) {
		case 'logs/append': {
			if (action.lines.length === 0 && !action.dropped) {
				return state;
			}

			let seq = state.nextSeq;
			const added = action.lines.map((line) => ({...line, seq: seq++}));
			const merged = state.lines.length + added.length <= state.capacity ? state.lines.concat(added) : state.lines.concat(added).slice(-state.capacity);
			return {...state, lines: merged, nextSeq: seq, received: state.received + added.length + (action.dropped ?? 0)};
		}

		case 'logs/scroll':
			return scroll(state, action.delta, action.view);
		case 'logs/top':
			return top(state, action.view);

		case 'logs/bottom':
			return following(state);
		case 'logs/toggleFollow':
			return state.follow ? paused(state, state.lines.at(-1)?.seq ?? 0) : following(state);

		case 'logs/setFilter':
			return {...state, filter: action.filter};
		case 'logs/cycleLevel':
			return {...state, level: levelFilters[(levelFilters.indexOf(state.level) + 1) % levelFilters.length]};
		case 'logs/toggleWrap':
			return {...state, wrap: !state.wrap};
		case 'logs/toggleTimestamps':
			return {...state, timestamps: !state.timestamps};
		case 'logs/clear':
			return {...state, lines: [], anchorSeq: state.follow ? undefined : state.anchorSeq};
		default:
			return state;
	}
}
