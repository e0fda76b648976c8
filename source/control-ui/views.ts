// Draws the console's state into the page: the same ViewLines the terminal panes draw (view-lines.ts), as rows of a
// definition list, plus the log list and the sessions table. Pure mapping from state to nodes; no requests here.
import {filteredLines} from '../console/state/logs.js';
import {formatLogPrefix, type LogLine} from '../console/state/log-line.js';
import {channelLines, reloadLines, runtimeLines, type ViewLine} from '../console/state/view-lines.js';
import type {ConsoleState} from '../console/state/index.js';
import {h, replaceChildren} from './dom.js';

const channelStaleMs = 90_000;
/** The page keeps the console's whole ring in state but draws only the newest lines: a DOM of thousands is slow. */
const drawnLogLines = 500;

export type SessionRow = {key: string; updated?: string; model?: string; kind?: string};

function lineRows(lines: ViewLine[]): Node[] {
	return lines.map((line) => h('div', {class: `row${line.tone ? ` tone-${line.tone}` : ''}`}, h('dt', {}, line.label), h('dd', {}, line.value)));
}

export function drawLines(element: Element, lines: ViewLine[]): void {
	replaceChildren(element, lineRows(lines), JSON.stringify(lines));
}

export function drawRuntime(element: Element, state: ConsoleState): void {
	drawLines(element, runtimeLines(state));
}

export function drawChannels(element: Element, state: ConsoleState): void {
	drawLines(element, channelLines(state, channelStaleMs));
}

export function drawReload(element: Element, state: ConsoleState): void {
	drawLines(element, reloadLines(state));
}

function logRow(line: LogLine, timestamps: boolean): HTMLElement {
	const prefix = formatLogPrefix(line, {timestamps});
	const text = [line.message, ...(line.continuation ?? [])].join('\n');
	return h('li', {class: `log level-${line.level ?? 'info'}`}, prefix ? h('span', {class: 'prefix'}, `${prefix} `) : '', text);
}

export function drawLogs(element: Element, state: ConsoleState): void {
	const lines = filteredLines(state.logs).slice(-drawnLogLines);
	const last = lines.at(-1);
	const key = `${lines.length}:${lines[0]?.seq ?? 0}:${last?.seq ?? 0}:${state.logs.timestamps}:${state.logs.wrap}`;
	replaceChildren(element, lines.map((line) => logRow(line, state.logs.timestamps)), key);
	element.classList.toggle('wrap', state.logs.wrap);
}

export function drawSessions(element: Element, sessions: SessionRow[] | string): void {
	if (typeof sessions === 'string') {
		replaceChildren(element, [h('p', {class: 'tone-muted'}, sessions)], sessions);
		return;
	}

	const rows = sessions.map((session) => h('tr', {}, h('td', {}, session.key), h('td', {}, session.kind ?? ''), h('td', {}, session.model ?? ''), h('td', {}, session.updated ?? '')));
	replaceChildren(
		element,
		[h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'key'), h('th', {}, 'kind'), h('th', {}, 'model'), h('th', {}, 'updated'))), h('tbody', {}, ...rows))],
		JSON.stringify(sessions),
	);
}
