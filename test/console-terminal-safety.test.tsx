// Text from a gateway reaches the operator's terminal only as text: config key names (Reload pane), a channel API's
// error (Channels pane), version, bind and host (Runtime), link errors and flashes (header), log lines (Logs) are all
// drawn without a single escape sequence, control or bidi character of their own.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import React from 'react';
import {terminalText} from '../source/cli-output/terminal-text.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {parseLogLine} from '../source/console/state/log-line.js';
import {ConsoleStore} from '../source/console/store.js';
import {monoTheme} from '../source/console/theme.js';

const {render} = await import('ink-testing-library');
const {App} = await import('../source/console/App.js');

/** What attackers put in strings: OSC 0 title, OSC 52 clipboard (BEL and ST ended), SGR, cursor moves, C1 CSI/OSC, bidi. */
const hostile = [
	'\u001B]0;pwned-title\u0007',
	'\u001B]52;c;ZXZpbA==\u001B\\',
	'\u001B[31;8m',
	'\u001B[2J\u001B[H',
	'\u009B1;1H',
	'\u009D0;c1-title\u009C',
	'\u202Egnp.exe',
	'\u001BPdcs\u001B\\',
	'\u0007\u0008',
];
const evil = (name: string) => `${name}${hostile.join('')}end`;

/** Anything in a frame that a terminal would act on rather than print (mono theme: Ink itself writes no SGR). */
const actionable = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const mountedViews: Array<{unmount(): void; store: ConsoleStore}> = [];
afterEach(() => {
	for (const view of mountedViews.splice(0)) {
		view.unmount();
		view.store.dispose();
	}
});

describe('terminalText', () => {
	test('takes out whole escape sequences and shows other controls and bidi characters as ?', () => {
		assert.equal(terminalText(`a${hostile.join('')}b`), 'a?gnp.exe??b');
		assert.equal(terminalText('tab\there'), 'tab  here');
		assert.equal(terminalText('plain text, ünïcode ✓ 日本'), 'plain text, ünïcode ✓ 日本');
		assert.equal(terminalText('unterminated \u001B]0;title'), 'unterminated ');
		assert.equal(terminalText('lone \u001B'), 'lone ?');
	});
});

describe('every pane', () => {
	test('no escape sequence, control or bidi character from the gateway reaches the frame', async () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: evil('ws://127.0.0.1:1/'), size: {columns: 160, rows: 48}}), {flushMs: 5});
		const now = Date.now();
		store.dispatch({type: 'connection/state', status: 'connected', attempt: 0, at: now});
		store.dispatch({type: 'runtime/status', status: {pid: 1, version: evil('9.9'), uptimeMs: 5000, bind: evil('loopback'), host: evil('127.0.0.1'), port: 1}, at: now});
		store.dispatch({
			type: 'reload/config',
			payload: {hash: 'h', path: evil('/state/openclaw.json'), valid: true, config: {gateway: {reload: {mode: 'hybrid'}}}},
		});
		store.dispatch({
			type: 'reload/health',
			payload: {mode: 'hybrid', pendingPaths: [evil('gateway.key')], configError: evil('bad config'), lastReload: {ts: now, result: 'pending', changedPaths: [evil('channels.x')]}},
			at: now,
		});
		store.dispatch({
			type: 'channels/status',
			payload: {
				channelOrder: ['slack'],
				channelLabels: {slack: evil('Slack')},
				channelAccounts: {slack: [{accountId: evil('work'), enabled: true, configured: true, connected: false, lastError: evil('invalid_auth'), probe: {ok: false, error: evil('invalid_auth')}}]},
			},
			at: now,
		});
		store.appendLog(parseLogLine(JSON.stringify({time: '2026-11-25T10:00:00.000Z', level: 'error', subsystem: evil('gw'), message: evil('log line')}), 'file'));
		store.flush();
		const view = render(<App store={store} effects={{run() {}}} theme={monoTheme} trackTerminalSize={false} />);
		mountedViews.push(Object.assign(view, {store}));
		await new Promise((resolve) => setTimeout(resolve, 50));
		const frame = view.lastFrame() ?? '';
		// The hostile strings are on screen, as text: the test would pass vacuously if the panes showed nothing.
		for (const shown of ['Slack', 'down', 'gateway.key', 'bad config', 'log line', '9.9']) {
			assert.ok(frame.includes(shown), `${shown} missing from the frame:\n${frame}`);
		}

		const at = actionable.exec(frame);
		assert.equal(at, null, `frame holds ${JSON.stringify(at?.[0])} near ${JSON.stringify(frame.slice(Math.max(0, (at?.index ?? 0) - 30), (at?.index ?? 0) + 10))}`);
		assert.doesNotMatch(frame, /pwned-title|ZXZpbA==|c1-title|dcs/);
	});
});
