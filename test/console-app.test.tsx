// The console's screen through ink-testing-library: render, write keys to stdin, read the last frame.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import React from 'react';
import type {Effect} from '../source/console/intents.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {parseLogLine} from '../source/console/state/log-line.js';
import {ConsoleStore} from '../source/console/store.js';
import {colourTheme, monoTheme, themeFor, type Theme} from '../source/console/theme.js';

// Colour is decided when chalk loads: force it on so the NO_COLOR test can tell the difference.
process.env.FORCE_COLOR = '1';
const {render} = await import('ink-testing-library');
const {App} = await import('../source/console/App.js');

const ansi = /\u001B\[[\d;]*m/g;
const strip = (text = '') => text.replaceAll(ansi, '');
const tick = async (ms = 30) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

type Mounted = ReturnType<typeof render> & {store: ConsoleStore; effects: Effect[]};
const mounted: Mounted[] = [];

afterEach(() => {
	for (const view of mounted.splice(0)) {
		view.unmount();
		view.store.dispose();
	}
});

async function mount(options: {theme?: Theme; mode?: 'local' | 'attach'; lines?: number} = {}): Promise<Mounted> {
	const store = new ConsoleStore(initialConsoleState({mode: options.mode ?? 'local', url: 'ws://127.0.0.1:18789', size: {columns: 100, rows: 30}}), {flushMs: 5});
	const now = Date.now();
	store.dispatch({type: 'runtime/supervisor', state: {status: 'running', pid: 4242, port: 18_789, restarts: 0, startedAt: now}, at: now});
	store.dispatch({type: 'connection/state', status: 'connected', attempt: 0, at: now});
	store.dispatch({type: 'runtime/status', status: {pid: 4242, version: '9.9.9', uptimeMs: 5000, bind: 'loopback', host: '127.0.0.1', port: 18_789}, at: now});
	store.dispatch({type: 'reload/config', payload: {hash: 'h', path: '/state/openclaw.json', valid: true, config: {gateway: {reload: {mode: 'hybrid'}}}}});
	for (let index = 0; index < (options.lines ?? 40); index++) {
		store.appendLog(parseLogLine(JSON.stringify({time: '2026-11-25T10:00:00.000Z', level: index === 3 ? 'error' : 'info', subsystem: 'gateway', message: `message number ${index}`}), 'file'));
	}

	store.flush();
	const effects: Effect[] = [];
	const view = render(<App store={store} effects={{run: (effect) => effects.push(effect)}} theme={options.theme ?? colourTheme} trackTerminalSize={false} />);
	const result = Object.assign(view, {store, effects});
	mounted.push(result);
	// useInput subscribes in an effect: let it run before writing keys.
	await tick();
	return result;
}

async function press(view: Mounted, keys: string, wait = 30): Promise<string> {
	view.stdin.write(keys);
	await tick(wait);
	return strip(view.lastFrame());
}

function focusedTitle(frame: string): string | undefined {
	return /▸ (\w+)/.exec(frame)?.[1];
}

describe('console screen', () => {
	test('shows the four panes, the link state and the keys of the focused pane; the frame fits rows - 1', async () => {
		const view = await mount();
		const frame = strip(view.lastFrame());
		for (const text of ['Runtime', 'Channels', 'Reload', 'Logs', 'connected', 'pid      4242   up <1m   v9.9.9', 'mode     hybrid', 'message number 39']) {
			assert.ok(frame.includes(text), `missing ${text}:\n${frame}`);
		}

		assert.match(frame.split('\n').at(-1)!, /^\? help +f follow +\/ filter/);
		assert.equal(frame.split('\n').length, 29);
	});

	test('Tab and Shift-Tab move the focus; the footer follows the focused pane', async () => {
		const view = await mount();
		assert.equal(focusedTitle(strip(view.lastFrame())), 'Logs');
		let frame = await press(view, '\t');
		assert.equal(focusedTitle(frame), 'Runtime');
		assert.doesNotMatch(frame.split('\n').at(-1)!, /f follow/);
		frame = await press(view, '\t');
		assert.equal(focusedTitle(frame), 'Channels');
		frame = await press(view, '\u001B[Z');
		assert.equal(focusedTitle(frame), 'Runtime');
	});

	test('keys that arrive in one chunk are each handled, in order (Tab Tab, a paste, a laggy link)', async () => {
		const view = await mount();
		assert.equal(focusedTitle(await press(view, '\t\t')), 'Channels');
		assert.equal(focusedTitle(await press(view, '\t\t\t')), 'Runtime', 'Channels -> Reload -> Logs -> Runtime');
		const frame = await press(view, '?');
		assert.match(frame, /Keys {2}\(\? or Esc closes\)/);
	});

	test('? opens the help generated from the keymap; Esc closes it', async () => {
		const view = await mount();
		let frame = await press(view, '?');
		assert.match(frame, /Keys {2}\(\? or Esc closes\)/);
		assert.match(frame, /R +Restart the gateway \(asks; default/);
		assert.match(frame, /m +Cycle gateway\.reload\.mode through/);
		// In 100x30 every description is whole, broken onto rows under its key rather than cut, and a gateway's panes
		// leave out what the keys do in the Fleet view.
		assert.ok(!frame.split('\n').some((row) => row.startsWith('║') && row.includes('…')), 'no description cut in the overlay');
		assert.match(frame, /Ctrl-S +Save the lines the view holds/);
		assert.doesNotMatch(frame, /in the Fleet view, the selected/);
		view.stdin.write('\u001B');
		await tick(5);
		frame = await press(view, '', 40);
		assert.doesNotMatch(frame, /Keys {2}\(\? or Esc closes\)/);
		assert.match(frame, /Runtime/);
	});

	test('R asks first: Enter keeps the safe answer (no restart), y restarts', async () => {
		const view = await mount();
		let frame = await press(view, 'R');
		assert.match(frame, /Restart the local gateway \(new process\)\?/);
		frame = await press(view, '\r');
		assert.doesNotMatch(frame, /Restart the local gateway/);
		assert.deepEqual(view.effects, []);
		await press(view, 'R');
		await press(view, 'y');
		assert.deepEqual(view.effects, ['restart']);
	});

	test('p and m go to the controller; q asks when a child would be stopped', async () => {
		const view = await mount();
		await press(view, 'p');
		await press(view, 'm');
		const frame = await press(view, 'q');
		assert.match(frame, /Quit and stop the gateway this console started\?/);
		await press(view, 'y');
		assert.deepEqual(view.effects, ['probe', 'cycleReload', 'quit']);
	});

	test('/ filters the logs and highlights the match', async () => {
		const view = await mount();
		await press(view, '/');
		let frame = await press(view, 'number 1');
		assert.match(frame.split('\n').at(-1)!, /^\/number 1/);
		await press(view, '\r');
		frame = strip(view.lastFrame());
		assert.match(frame, /filter "number 1" 11/);
		assert.doesNotMatch(frame, /message number 2\b/);
		assert.match(view.lastFrame()!, /\u001B\[7m[^\n]*number 1/, 'the match is drawn inverse');
	});

	test('scrolling up pauses with an "N new lines" marker; G follows again', async () => {
		const view = await mount();
		let frame = await press(view, 'k');
		assert.match(frame, /\[PAUSED\]/);
		assert.doesNotMatch(frame, /message number 39/);
		for (let index = 0; index < 5; index++) {
			view.store.appendLog(parseLogLine(`late line ${index}`, 'stdout'));
		}

		frame = await press(view, '', 60);
		assert.match(frame, /\[PAUSED \+5 new lines\]/);
		assert.doesNotMatch(frame, /late line/);
		frame = await press(view, 'G');
		assert.match(frame, /\[FOLLOW\]/);
		assert.match(frame, /late line 4/);
	});

	test('a record with line breaks is rows inside the Logs frame: same frame height, every row bordered, in its level colour', async () => {
		const view = await mount();
		const before = strip(view.lastFrame());
		const message = 'request failed\nError: boom\r\n    at handler (gateway.js:10:5)\n    at run (gateway.js:20:3)';
		view.store.appendLog(parseLogLine(JSON.stringify({time: '2026-11-25T10:00:01.000Z', level: 'error', subsystem: 'gateway', message}), 'file'));
		const frame = await press(view, '', 60);
		const lines = frame.split('\n');
		assert.equal(lines.length, before.split('\n').length, frame);
		assert.match(lines[0], /^openclaw console/);
		const title = lines.findIndex((line) => line.includes('▸ Logs'));
		const logRows = lines.slice(title, -2);
		assert.ok(logRows.every((line) => line.length === 100 && line.endsWith('║')), frame);
		const first = logRows.findIndex((line) => line.includes('ERROR gateway request failed'));
		const column = logRows[first].indexOf('request failed');
		assert.deepEqual(
			logRows.slice(first + 1, first + 4).map((line) => line.slice(1).search(/\S/) + 1),
			[column, column + 4, column + 4],
			'continuation rows start in the message column (the stack lines keep their own indent)',
		);
		assert.match(logRows.at(-1)!, /^║ +at run \(gateway\.js:20:3\) +║$/);
		assert.doesNotMatch(frame, /\^J|\^M/);
		const red = view.lastFrame()!.split('\n').filter((line) => line.includes('\u001B[31m'));
		assert.equal(red.filter((line) => /request failed|Error: boom|at handler|at run/.test(line)).length, 4, 'every row of the record in the error colour');
	});

	test('g shows a full page from the oldest line, j moves it one row, G shows the newest page', async () => {
		const view = await mount();
		let frame = await press(view, 'g');
		const rows = (text: string) => text.split('\n').filter((line) => /^║.*message number/.test(line));
		const page = rows(await press(view, 'G')).length;
		frame = await press(view, 'g');
		assert.deepEqual(
			rows(frame).map((line) => /number (\d+)/.exec(line)![1]),
			Array.from({length: page}, (_, index) => String(index)),
		);
		frame = await press(view, 'j');
		assert.match(rows(frame)[0], /message number 1 /);
		frame = await press(view, 'G');
		assert.match(rows(frame).at(-1)!, /message number 39 /);
		assert.equal(rows(frame).length, page);
	});

	test('l, w and t change the logs view', async () => {
		const view = await mount();
		let frame = await press(view, 't');
		assert.match(frame, /║INFO {2}gateway message number 39/);
		for (let index = 0; index < 4; index++) {
			frame = await press(view, 'l');
		}

		assert.match(frame, /level>=error/);
		assert.match(frame, /ERROR gateway message number 3/);
		assert.doesNotMatch(frame, /message number 39/);
		frame = await press(view, 'w');
		assert.match(frame, /level>=error {2}wrap/);
	});

	test('NO_COLOR: no colour codes at all, focus still visible (double border and marker)', async () => {
		assert.equal(themeFor({NO_COLOR: '1'}), monoTheme);
		assert.equal(themeFor({NO_COLOR: ''}), colourTheme);
		const coloured = await mount();
		assert.match(coloured.lastFrame()!, /\u001B\[3\dm/);
		const mono = await mount({theme: monoTheme});
		const frame = mono.lastFrame()!;
		assert.doesNotMatch(frame, /\u001B\[(3\d|9\d|38;|4\d|10\d)/);
		assert.match(frame, /╔/);
		assert.equal(focusedTitle(strip(frame)), 'Logs');
	});

	test('attached: S explains it only acts on a local child', async () => {
		const view = await mount({mode: 'attach'});
		const frame = await press(view, 'S');
		assert.match(frame, /S works on a gateway this console started/);
		assert.deepEqual(view.effects, []);
	});
});

describe('console screen: sessions', () => {
	test('the Runtime pane says nothing of sessions until the gateway does, then the count and the last activity, kept current', async () => {
		const view = await mount();
		assert.doesNotMatch(strip(view.lastFrame()), /sessions/);
		// At 100 columns the key would be cut with an ellipsis; 120 (tmux's default) has room for a short one.
		view.store.dispatch({type: 'ui/resize', columns: 120, rows: 30});
		const at = Date.now();
		view.store.dispatch({type: 'sessions/summary', summary: {count: 3, recent: [{key: 'agent:main:x', updatedAt: null, age: 120_000}]}, at});
		await tick();
		assert.match(strip(view.lastFrame()), /│sessions 3 · last 2m ago \(agent:main:x\)\s*│/);
		// A turn in a new session (what a sessions.changed makes the console read again): the next frame says so.
		view.store.dispatch({type: 'sessions/summary', summary: {count: 4, recent: [{key: 'agent:main:y', updatedAt: null, age: 0}, {key: 'agent:main:x', updatedAt: null, age: 120_000}]}, at});
		await tick();
		assert.match(strip(view.lastFrame()), /│sessions 4 · last just now \(agent:main:y\)\s*│/);
		// The link lost: the count is no longer known to be true, so it leaves the screen.
		view.store.dispatch({type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 1000, error: 'ECONNREFUSED', at: Date.now()});
		await tick();
		assert.doesNotMatch(strip(view.lastFrame()), /sessions/);
	});
});

describe('console screen: a short terminal', () => {
	test('a lost gateway keeps its key out on a short screen: placeholders give way first, and the title counts what else is hidden', async () => {
		const at = Date.now();
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:18789', size: {columns: 100, rows: 30}, now: at}), {flushMs: 5});
		store.dispatch({type: 'connection/state', status: 'connected', attempt: 0, at});
		store.dispatch({type: 'runtime/status', status: {pid: 4242, version: '9.9.9', uptimeMs: 5000, bind: 'loopback', host: '127.0.0.1', port: 18_789}, at});
		// A restart asked for that never came back (its line stays), then the link lost: nine lines for seven rows.
		store.dispatch({type: 'runtime/restartRequested', via: 'rpc', at});
		store.dispatch({type: 'runtime/restartFailed', error: 'gateway did not come back within 60 s', at: at + 60_000});
		store.dispatch({type: 'connection/state', status: 'reconnecting', attempt: 3, retryInMs: 4000, error: 'ECONNREFUSED', at: at + 61_000});
		store.flush();
		const view = render(<App store={store} effects={{run() {}}} theme={monoTheme} trackTerminalSize={false} />);
		mounted.push(Object.assign(view, {store, effects: []}));
		await tick();
		const runtimeRows = () => {
			const frame = strip(view.lastFrame());
			return {frame, rows: frame.split('\n').map((row) => /^[│║┌╔](.*?)[│║┐╗]/.exec(row)?.[1] ?? '')};
		};

		let {frame, rows} = runtimeRows();
		assert.ok(rows.some((row) => /unreachable since/.test(row)), 'the headline stays');
		assert.ok(rows.some((row) => /restart failed/.test(row)), 'the failed restart stays');
		assert.ok(rows.some((row) => /r reconnects now/.test(row)), `the key out stays:\n${frame}`);
		assert.ok(!rows.some((row) => /^\s*(bind|probe)\s+-\s*$/.test(row)), 'two placeholders gave way');
		assert.match(frame, /Runtime {2}/, 'a placeholder given way is not counted: nothing was lost');
		// Shorter still (five rows in the pane): a line that says something gives way, and the title says so.
		store.dispatch({type: 'ui/resize', columns: 100, rows: 24});
		await tick();
		({frame, rows} = runtimeRows());
		assert.ok(rows.some((row) => /r reconnects now/.test(row)), `the key out stays:\n${frame}`);
		assert.match(frame, /Runtime \+1 /, `the title counts the hidden line:\n${frame}`);
		assert.ok(!rows.some((row) => /^target/.test(row)), 'the plain target line gave way before the link and the failure');
	});
});
