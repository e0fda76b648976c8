// Ctrl-S in the Logs pane: the lines in view (after filter and level) as a plain file with full times, named for the
// gateway and the moment, in the console's state dir.
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {intentFor} from '../source/console/intents.js';
import {matchBinding} from '../source/console/keymap.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {logExportName, logExportText} from '../source/console/state/log-export.js';
import {parseLogLine} from '../source/console/state/log-line.js';
import {logsReducer, initialLogsState} from '../source/console/state/logs.js';
import {savedLogsDir} from '../source/fleet/config-dir.js';

const record = (level: string, message: string, extra: Record<string, unknown> = {}) =>
	parseLogLine(JSON.stringify({time: '2026-11-29T10:00:00.123Z', level, subsystem: 'gateway', message, ...extra}), 'file');

describe('saving the Logs view', () => {
	test('Ctrl-S in the Logs pane asks the controller to save; nothing else changes', () => {
		const state = initialConsoleState({mode: 'local'});
		assert.equal(matchBinding('s', {ctrl: true}, 'logs')?.command, 'logsSave');
		assert.deepEqual(intentFor('logsSave', state), {actions: [], effect: 'saveLogs'});
	});

	test('the lines in view, after level and filter, with full times and a record’s further lines indented', () => {
		let logs = logsReducer(initialLogsState(), {
			type: 'logs/append',
			lines: [record('info', 'listening on ws://127.0.0.1:18789'), record('error', 'boom\n  at frame one\n  at frame two'), record('debug', 'tick')],
		});
		assert.deepEqual(logExportText(logs), {
			count: 3,
			text: [
				'2026-11-29T10:00:00.123Z INFO  gateway listening on ws://127.0.0.1:18789',
				'2026-11-29T10:00:00.123Z ERROR gateway boom',
				'      at frame one',
				'      at frame two',
				'2026-11-29T10:00:00.123Z DEBUG gateway tick',
				'',
			].join('\n'),
		});
		logs = logsReducer(logs, {type: 'logs/cycleLevel'});
		logs = logsReducer(logs, {type: 'logs/cycleLevel'});
		assert.equal(logExportText(logs).count, 2, 'info and up: the debug line is not in view, so not saved');
		logs = logsReducer(logs, {type: 'logs/setFilter', filter: 'boom'});
		assert.equal(logExportText(logs).count, 1);
		assert.deepEqual(logExportText(initialLogsState()), {text: '', count: 0});
	});

	test('the file is named for the gateway and the local time, in the console’s state dir', () => {
		const at = new Date(2026, 10, 29, 9, 5, 7);
		assert.equal(logExportName('ws://127.0.0.1:18789', at), 'openclaw-logs-127.0.0.1-18789-20261129-090507.log');
		assert.equal(logExportName('wss://gw.example', at), 'openclaw-logs-gw.example-443-20261129-090507.log');
		assert.equal(logExportName(undefined, at), 'openclaw-logs-gateway-20261129-090507.log');
		assert.equal(savedLogsDir({XDG_STATE_HOME: '/xdg/state'}), path.join('/xdg/state', 'openclaw', 'saved-logs'));
		assert.equal(savedLogsDir({OPENCLAW_HOME: '/home/ops'}), path.join('/home/ops', '.local', 'state', 'openclaw', 'saved-logs'));
	});
});
