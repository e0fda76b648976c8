// Every pane of the console fed hostile text through the facts a gateway, a channel API or ssh can put in the state
// (config key names, channel errors, versions, close reasons, shutdown reasons, log lines, ssh stderr...): the
// drawn frame holds no control character at all (colour is off here, so Ink writes none of its own either), and the
// text shows with visible stand-ins, so an operator sees what was tried.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import React from 'react';
import type {ConsoleAction, InitialOptions} from '../source/console/state/index.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {parseLogLine} from '../source/console/state/log-line.js';
import {ConsoleStore} from '../source/console/store.js';
import {monoTheme} from '../source/console/theme.js';

// Colour off before chalk loads: then any escape in a frame came from the state, not from Ink's styling.
process.env.FORCE_COLOR = '0';
const {render} = await import('ink-testing-library');
const {App} = await import('../source/console/App.js');

/** OSC 0 (title), OSC 52 (clipboard), SGR (blink, red), CSI (clear, cursor home), 8-bit CSI and OSC, a bidi override. */
function hostile(tag: string): string {
	return `\u001B]0;${tag}\u0007\u001B]52;c;cHduZWQ=\u0007\u001B[5;31m\u001B[2J\u009B1;1H\u009D0;c1\u009C\u202E${tag}`;
}

/** How hostile(tag) starts on screen: ESC and BEL in caret notation. */
const shown = (tag: string) => `^[]0;${tag}^G^[]52;c;`;

const controls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
const invisible = /[\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

const tick = async (ms = 40) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

const cleanups: Array<() => void> = [];

afterEach(() => {
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

async function draw(initial: Omit<InitialOptions, 'size'>, actions: ConsoleAction[], logs: string[] = []): Promise<{frames: string[]}> {
	const store = new ConsoleStore(initialConsoleState({...initial, size: {columns: 240, rows: 40}}), {flushMs: 5});
	store.dispatchAll(actions);
	for (const message of logs) {
		store.appendLog(parseLogLine(message, 'file'));
	}

	store.flush();
	const view = render(<App store={store} effects={{run() {}}} theme={monoTheme} trackTerminalSize={false} />);
	cleanups.push(() => {
		view.unmount();
		store.dispose();
	});
	await tick();
	const frames = [view.lastFrame() ?? ''];
	// The help overlay, then a confirm question in the footer: every screen the console draws.
	view.stdin.write('?');
	await tick();
	frames.push(view.lastFrame() ?? '');
	view.stdin.write('?');
	view.stdin.write('R');
	await tick();
	frames.push(view.lastFrame() ?? '');
	return {frames};
}

function assertInert(frames: string[]): void {
	for (const frame of frames) {
		const control = controls.exec(frame);
		assert.equal(control, null, `control U+${control?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} on screen:\n${frame}`);
		assert.equal(invisible.exec(frame), null, `bidi or invisible character on screen:\n${frame}`);
	}
}

function assertShows(frame: string, tags: string[]): void {
	for (const tag of tags) {
		assert.ok(frame.includes(shown(tag)), `${tag} not shown as ${shown(tag)}:\n${frame}`);
	}
}

describe('console panes with hostile text from the gateway', () => {
	test('connected: Runtime (version, bind, probe error), Channels (label, account, error), Reload (key names, paths, errors), header flash, logs', async () => {
		const now = Date.now();
		const {frames} = await draw({mode: 'attach', url: 'ws://127.0.0.1:18789'}, [
			{type: 'connection/state', status: 'connected', attempt: 0, at: now},
			{type: 'connection/hello', serverVersion: hostile('HELLO'), at: now},
			{type: 'runtime/status', status: {pid: 4242, version: hostile('VERSION'), uptimeMs: 5000, bind: hostile('BIND'), host: '127.0.0.1', port: 18_789}, at: now},
			{type: 'runtime/probe', probe: {ok: false, error: hostile('PROBE'), at: now}},
			{type: 'runtime/restartRequested', via: 'rpc', at: now},
			{type: 'runtime/restartFailed', error: hostile('RESTART'), at: now},
			{
				type: 'channels/status',
				payload: {
					channelOrder: ['telegram', hostile('CHID'), 'discord', 'slack'],
					channelLabels: {telegram: 'Telegram', discord: hostile('LABEL')},
					channelAccounts: {
						discord: [{accountId: 'default', enabled: true, configured: true, connected: true}],
						telegram: [{accountId: 'default', enabled: true, configured: true, running: true, probe: {ok: false, error: hostile('CHERR')}}],
						[hostile('CHID')]: [{accountId: hostile('ACCOUNT'), enabled: true, configured: true, running: false}],
						slack: [{accountId: 'default', enabled: true, configured: true, running: false, lastError: hostile('LASTERR')}],
					},
				},
				at: now,
			},
			{type: 'reload/event', payload: {result: 'applied', mode: 'hybrid', changedPaths: [hostile('KEY')], pendingPaths: [hostile('PENDING')], error: hostile('RELOADERR')}, at: now},
			// Read after the reload (an applied reload clears the error shown before it).
			{type: 'reload/config', payload: {hash: 'h', path: hostile('PATH'), valid: false, issues: [{message: hostile('ISSUE')}], config: {gateway: {reload: {mode: 'hybrid'}}}}},
			{type: 'reload/writeFailed', error: hostile('WRITEERR'), conflict: false},
			{type: 'ui/flash', text: `gateway: ${hostile('SHUTDOWN')}`, tone: 'warn', at: now},
		], [
			JSON.stringify({time: '2026-11-25T10:00:00.000Z', level: 'warn', subsystem: hostile('SUB'), message: hostile('LOGMSG')}),
			`plain ${hostile('PLAIN')}`,
		]);
		assertInert(frames);
		assertShows(frames[0], ['VERSION', 'BIND', 'PROBE', 'RESTART', 'LABEL', 'CHID', 'CHERR', 'LASTERR', 'PENDING', 'KEY', 'WRITEERR', 'ISSUE', 'SHUTDOWN', 'LOGMSG', 'PLAIN']);
	});

	test('disconnected: the close reason, a failed channels.status and status read', async () => {
		const now = Date.now();
		const {frames} = await draw({mode: 'attach', url: 'ws://127.0.0.1:18789'}, [
			{type: 'connection/state', status: 'closed', attempt: 3, error: `closed 1008: ${hostile('CLOSE')}`, at: now},
			{type: 'channels/error', error: hostile('CHANNELS'), at: now},
			{type: 'runtime/statusError', error: hostile('STATUS')},
		]);
		assertInert(frames);
		assertShows(frames[0], ['CLOSE', 'CHANNELS']);
	});

	test('ssh: the target and the tunnel error (ssh stderr)', async () => {
		const now = Date.now();
		const {frames} = await draw({mode: 'ssh', url: 'ws://127.0.0.1:1', sshTarget: hostile('TARGET')}, [
			{type: 'tunnel/state', status: 'failed', error: hostile('SSHERR'), attempt: 2, at: now},
		]);
		assertInert(frames);
		assertShows(frames[0], ['TARGET', 'SSHERR']);
	});

	test("local: the child's crash text and a stale channel answer", async () => {
		const now = Date.now();
		const {frames} = await draw({mode: 'local', url: 'ws://127.0.0.1:1', profile: 'dev'}, [
			{type: 'runtime/supervisor', state: {status: 'crashed', pid: 7, port: 1, restarts: 1, exitCode: 1, lastError: hostile('CRASH')}, at: now},
			{type: 'channels/status', payload: {channelOrder: ['slack'], channelAccounts: {slack: [{accountId: 'default', lastError: hostile('STALE')}]}}, at: now - 60_000},
			{type: 'channels/error', error: hostile('POLL'), at: now},
		]);
		assertInert(frames);
		assertShows(frames[0], ['CRASH', 'STALE', 'POLL']);
	});
});
