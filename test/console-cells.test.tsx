// Log rows cut by terminal cells, with escape sequences and control characters made visible and inert: the pure functions, the
// log window, and the drawn screen, whose right border must stay where it is whatever a log line holds (the panes
// clip rows only, so a row wider than its pane would push the border out).
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import React from 'react';
import stringWidth from 'string-width';
import {terminalSafe} from '../source/cli-output/terminal-safe.js';
import {cellWidth, cutCells} from '../source/console/state/cell-width.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {parseLogLine} from '../source/console/state/log-line.js';
import {logWindow} from '../source/console/state/log-window.js';
import {ConsoleStore} from '../source/console/store.js';
import {monoTheme} from '../source/console/theme.js';

const {render} = await import('ink-testing-library');
const {App} = await import('../source/console/App.js');

const rowText = (row: {segments: Array<{text: string}>}) => row.segments.map((segment) => segment.text).join('');

describe('cutCells', () => {
	test('plain text: by length', () => {
		assert.deepEqual(cutCells('abcdef', 4), {head: 'abcd', rest: 'ef', used: 4});
		assert.deepEqual(cutCells('abc', 10), {head: 'abc', rest: '', used: 3});
	});

	test('wide characters take two cells and never straddle the cut', () => {
		assert.deepEqual(cutCells('日本語abc', 5), {head: '日本', rest: '語abc', used: 4});
		assert.deepEqual(cutCells('日本語abc', 6), {head: '日本語', rest: 'abc', used: 6});
		assert.equal(cellWidth('日本語'), 6);
	});

	test('an emoji with a skin tone and a combining accent are one character each', () => {
		assert.deepEqual(cutCells('👍🏽x', 2), {head: '👍🏽', rest: 'x', used: 2});
		assert.deepEqual(cutCells('e\u0301tude', 2), {head: 'e\u0301t', rest: 'ude', used: 2});
	});

	test('at the start of a row one character is taken even when it does not fit', () => {
		assert.deepEqual(cutCells('日x', 1, true), {head: '日', rest: 'x', used: 2});
		assert.deepEqual(cutCells('日x', 1), {head: '', rest: '日x', used: 0});
	});
});

describe('logWindow cuts rows by cells', () => {
	const logs = (message: string, wrap: boolean) => {
		const state = initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', size: {columns: 80, rows: 24}}).logs;
		const line = parseLogLine(JSON.stringify({level: 'info', message}), 'file');
		return {...state, lines: [{...line, seq: 1}], received: 1, wrap, timestamps: false};
	};

	test('no row is wider than the pane, truncated or wrapped, and wrapping loses nothing', () => {
		const message = `${'漢字'.repeat(20)} ascii ${'🙂'.repeat(10)} \u001B[31mred\u001B[0m`;
		const truncated = logWindow(logs(message, false), {height: 10, width: 17});
		assert.equal(truncated.rows.length, 1);
		assert.ok(cellWidth(rowText(truncated.rows[0])) <= 17);

		const wrapped = logWindow(logs(message, true), {height: 40, width: 17});
		for (const row of wrapped.rows) {
			assert.ok(cellWidth(rowText(row)) <= 17, `row ${JSON.stringify(rowText(row))} is ${cellWidth(rowText(row))} cells`);
		}

		assert.equal(wrapped.rows.map(rowText).join(''), `INFO  ${terminalSafe(message)}`);
		assert.ok(!wrapped.rows.map(rowText).join('').includes('\u001B'));
	});
});

describe('the Logs pane on screen', () => {
	const views: Array<{unmount(): void}> = [];
	afterEach(() => {
		for (const view of views.splice(0)) {
			view.unmount();
		}
	});

	test('keeps its right border in place with wide, emoji and escape-laden lines', async () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', size: {columns: 72, rows: 24}}), {flushMs: 5});
		for (const message of ['漢字かな交じり文 '.repeat(12), '🙂 '.repeat(40), '\u001B[2J\u001B]0;owned\u0007 clear and retitle', 'plain ascii line']) {
			store.appendLog(parseLogLine(JSON.stringify({level: 'warn', message}), 'file'));
		}

		store.flush();
		const view = render(<App store={store} effects={{run() {}}} theme={monoTheme} trackTerminalSize={false} />);
		views.push(view);
		await new Promise((resolve) => setTimeout(resolve, 30));
		const frame = view.lastFrame() ?? '';
		const logRows = frame.split('\n').filter((line) => line.includes('WARN'));
		assert.equal(logRows.length, 4, frame);
		for (const row of logRows) {
			assert.equal(stringWidth(row), 72, `row is ${stringWidth(row)} cells wide: ${row}`);
			assert.ok(row.endsWith('│') || row.endsWith('║'), row);
		}

		assert.ok(!frame.includes('\u001B'), 'no escape reaches the screen');
		assert.ok(frame.includes('^[[2J^[]0;owned^G clear and retitle'), 'the clear and title sequences are shown, inert');
		store.dispose();
	});
});
