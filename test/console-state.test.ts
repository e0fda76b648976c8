// The console's state logic, without a screen: log ring and view, parsing and dedupe, connection/runtime/channels/
// reload reducers, the keymap and key routing, layout.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {intentFor, routeKey} from '../source/console/intents.js';
import {footerBindings, helpSections, keyLabel, keymap, keyName, keysMarkdown, matchBinding} from '../source/console/keymap.js';
import {computeLayout} from '../source/console/layout.js';
import {channelRows, channelsReducer, channelsStale, initialChannels} from '../source/console/state/channels.js';
import {connectionReducer, describeConnection, initialConnection} from '../source/console/state/connection.js';
import {consoleReducer, initialConsoleState, type ConsoleAction, type ConsoleState} from '../source/console/state/index.js';
import {LogIngest} from '../source/console/state/log-ingest.js';
import {dedupeKey, formatLogLine, parseLogLine, type ParsedLogLine} from '../source/console/state/log-line.js';
import {highlightSegments, logWindow} from '../source/console/state/log-window.js';
import {filteredLines, initialLogsState, logsReducer, newLineCount, type LogsState} from '../source/console/state/logs.js';
import {initialReload, reloadModePatch, reloadReducer, writeWarning} from '../source/console/state/reload.js';
import {describeProcess, formatLatency, formatUptime, initialRuntime, medianLatency, runtimeReducer, shownLatency} from '../source/console/state/runtime.js';
import {channelLines, clockTime, describeLink, fitLine, fitLines, reloadLines, runtimeLines, type ViewLine} from '../source/console/state/view-lines.js';
import {splitKeyChunk} from '../source/console/key-chunks.js';
import {awaitedRestartGraceMs} from '../source/client/backoff.js';
import {probeHealth, readSessions, readStatus, sessionsSummary, subscribeSessions} from '../source/console/live/gateway-reads.js';
import {formatAgo} from '../source/console/state/sessions.js';
import {reachCommand} from '../source/console/state/reach-command.js';

function lines(count: number, from = 0, extra: Partial<ParsedLogLine> = {}): ParsedLogLine[] {
	return Array.from({length: count}, (_, index) => ({message: `line ${from + index}`, source: 'file' as const, level: 'info' as const, ...extra}));
}

function withLines(count: number, capacity = 100): LogsState {
	return logsReducer(initialLogsState(capacity), {type: 'logs/append', lines: lines(count)});
}

function reduce(state: ConsoleState, ...actions: ConsoleAction[]): ConsoleState {
	return actions.reduce(consoleReducer, state);
}

/** The pane in these tests: 5 rows of 80 columns. */
const view = {height: 5, width: 80};

const plainRow = (row: {segments: Array<{text: string}>}) => row.segments.map((segment) => segment.text).join('');

describe('log lines', () => {
	test('parses the gateway JSON line: time, level, subsystem, message and fields', () => {
		const line = parseLogLine(
			JSON.stringify({time: '2026-11-25T10:00:00.123Z', level: 'warn', subsystem: 'gateway/ws', message: 'slow consumer', fields: {connId: 'c1'}}),
			'file',
		);
		assert.equal(line.level, 'warn');
		assert.equal(line.subsystem, 'gateway/ws');
		assert.equal(line.message, 'slow consumer {"connId":"c1"}');
		assert.equal(formatLogLine(line, {timestamps: true}), '10:00:00.123 WARN  gateway/ws slow consumer {"connId":"c1"}');
		assert.equal(formatLogLine(line, {timestamps: false}), 'WARN  gateway/ws slow consumer {"connId":"c1"}');
	});

	test('parses tslog-style _meta (level name, subsystem in JSON) as OpenClaw writes it', () => {
		const line = parseLogLine(JSON.stringify({0: 'hello', _meta: {logLevelName: 'ERROR', name: '{"subsystem":"agents"}', date: '2026-11-25T10:00:00Z'}}), 'file');
		assert.deepEqual([line.level, line.subsystem, line.message, line.time], ['error', 'agents', 'hello', '2026-11-25T10:00:00Z']);
	});

	test('parses the plain stdout mirror and keeps other text raw; stderr text defaults to warn', () => {
		const mirror = parseLogLine('2026-11-25T10:00:00.000Z INFO  gateway listening on ws://127.0.0.1:1', 'stdout');
		assert.deepEqual([mirror.level, mirror.subsystem, mirror.message], ['info', 'gateway', 'listening on ws://127.0.0.1:1']);
		assert.equal(parseLogLine('state dir: /tmp/x', 'stdout').level, undefined);
		assert.equal(parseLogLine('something broke', 'stderr').level, 'warn');
	});

	test('a record seen in the file and on stdout is shown once; lines without a time are never merged', () => {
		const ingest = new LogIngest({dedupe: true, memory: 8});
		const json = JSON.stringify({time: '2026-11-25T10:00:00.000Z', level: 'info', subsystem: 'gateway', message: 'listening'});
		assert.ok(ingest.accept(json, 'file'));
		assert.equal(ingest.accept('2026-11-25T10:00:00.000Z INFO  gateway listening', 'stdout'), undefined);
		assert.ok(ingest.accept('state dir: /tmp/x', 'stdout'));
		assert.ok(ingest.accept('state dir: /tmp/x', 'stdout'));
		assert.equal(ingest.accept('   ', 'stdout'), undefined);
	});

	test('with one source (attached: the log file alone) nothing is dropped or remembered', () => {
		const ingest = new LogIngest({dedupe: false});
		const json = JSON.stringify({time: '2026-11-25T10:00:00.000Z', level: 'info', subsystem: 'gateway', message: 'same record'});
		assert.ok(ingest.accept(json, 'file'));
		assert.ok(ingest.accept(json, 'file'), 'a record the gateway logged twice is shown twice');
		assert.equal(ingest.accept('  ', 'file'), undefined);
	});

	test('the dedupe memory is bounded: old keys are forgotten', () => {
		const ingest = new LogIngest({dedupe: true, memory: 2});
		const at = (second: number) => `2026-11-25T10:00:0${second}.000Z INFO  gateway tick`;
		for (const second of [1, 2, 3]) {
			assert.ok(ingest.accept(at(second), 'stdout'));
		}

		assert.ok(ingest.accept(at(1), 'stdout'), 'key 1 was evicted by keys 2 and 3');
		assert.equal(ingest.accept(at(3), 'stdout'), undefined);
	});
});

describe('logs ring and view', () => {
	test('holds at most `capacity` lines, the newest, in order, and counts everything received', () => {
		let state = initialLogsState(10);
		state = logsReducer(state, {type: 'logs/append', lines: lines(7)});
		state = logsReducer(state, {type: 'logs/append', lines: lines(8, 7), dropped: 5});
		assert.equal(state.lines.length, 10);
		assert.deepEqual(
			state.lines.map((line) => line.message),
			lines(10, 5).map((line) => line.message),
		);
		assert.ok(state.lines.every((line, index) => index === 0 || line.seq === state.lines[index - 1].seq + 1), 'no gaps in the window');
		assert.equal(state.received, 20);
	});

	test('follows by default: the window ends at the newest line and never exceeds its height', () => {
		const state = withLines(50);
		const window = logWindow(state, {height: 5, width: 80});
		assert.equal(window.rows.length, 5);
		assert.match(plainRow(window.rows.at(-1)!), /line 49$/);
		assert.equal(window.newLines, 0);
	});

	test('scrolling up pauses at an anchor: new lines do not move the view and are counted', () => {
		let state = logsReducer(withLines(50), {type: 'logs/scroll', delta: -10, view});
		assert.equal(state.follow, false);
		const before = logWindow(state, {height: 5, width: 80}).rows.map(plainRow);
		state = logsReducer(state, {type: 'logs/append', lines: lines(7, 50)});
		const after = logWindow(state, {height: 5, width: 80});
		assert.deepEqual(after.rows.map(plainRow), before);
		assert.equal(after.newLines, 7);
		assert.equal(newLineCount(state), 7);
	});

	test('scrolling down to the bottom, G and f resume following', () => {
		let state = logsReducer(withLines(50), {type: 'logs/scroll', delta: -3, view});
		state = logsReducer(state, {type: 'logs/scroll', delta: 3, view});
		assert.equal(state.follow, true);
		state = logsReducer(state, {type: 'logs/top', view});
		assert.equal(state.follow, false);
		assert.equal(logWindow(state, {height: 5, width: 80}).atTop, true);
		assert.equal(logsReducer(state, {type: 'logs/bottom'}).follow, true);
		assert.equal(logsReducer(state, {type: 'logs/toggleFollow'}).follow, true);
		assert.equal(logsReducer(withLines(3), {type: 'logs/toggleFollow'}).follow, false);
	});

	test('a paused anchor evicted from the ring clamps to the oldest line held, with a full page from there', () => {
		let state = logsReducer(withLines(20, 20), {type: 'logs/top', view});
		state = logsReducer(state, {type: 'logs/append', lines: lines(30, 20)});
		const window = logWindow(state, view);
		assert.deepEqual(
			window.rows.map((row) => plainRow(row).trim()),
			['line 30', 'line 31', 'line 32', 'line 33', 'line 34'].map((text) => `INFO  ${text}`),
		);
		assert.equal(window.atTop, true);
	});

	test('text filter (case-insensitive, subsystem too) and level filter cycle', () => {
		let state = logsReducer(initialLogsState(), {
			type: 'logs/append',
			lines: [
				{message: 'Alpha one', level: 'debug', source: 'file'},
				{message: 'beta', level: 'warn', subsystem: 'alpha-sub', source: 'file'},
				{message: 'gamma', level: 'error', source: 'file'},
			],
		});
		state = logsReducer(state, {type: 'logs/setFilter', filter: 'ALPHA'});
		assert.deepEqual(
			filteredLines(state).map((line) => line.message),
			['Alpha one', 'beta'],
		);
		state = logsReducer(state, {type: 'logs/setFilter', filter: ''});
		const levels: string[] = [];
		for (let index = 0; index < 5; index++) {
			state = logsReducer(state, {type: 'logs/cycleLevel'});
			levels.push(`${state.level}:${filteredLines(state).length}`);
		}

		assert.deepEqual(levels, ['debug:3', 'info:2', 'warn:2', 'error:1', 'all:3']);
	});

	test('highlight splits matches; wrap cuts long lines into rows of the width, still bounded by the height', () => {
		assert.deepEqual(highlightSegments('a Foo b foo', 'foo'), [
			{text: 'a ', match: false},
			{text: 'Foo', match: true},
			{text: ' b ', match: false},
			{text: 'foo', match: true},
		]);
		let state = logsReducer(initialLogsState(), {type: 'logs/append', lines: [{message: 'x'.repeat(50), source: 'file'}]});
		state = logsReducer(logsReducer(state, {type: 'logs/toggleTimestamps'}), {type: 'logs/toggleWrap'});
		const window = logWindow(state, {height: 3, width: 20});
		assert.equal(window.rows.length, 3);
		assert.ok(window.rows.every((row) => plainRow(row).length <= 20));
		const unwrapped = logWindow(logsReducer(state, {type: 'logs/toggleWrap'}), {height: 3, width: 20});
		assert.equal(unwrapped.rows.length, 1);
		assert.equal(plainRow(unwrapped.rows[0]).length, 20);
	});

	test('clear empties the view but keeps counting', () => {
		const state = logsReducer(withLines(5), {type: 'logs/clear'});
		assert.equal(state.lines.length, 0);
		assert.equal(state.received, 5);
	});
});

/** A gateway JSON log line, parsed as the console parses it. */
function record(message: string, level = 'error'): ParsedLogLine {
	return parseLogLine(JSON.stringify({time: '2026-11-25T10:00:00.000Z', level, subsystem: 'gateway', message}), 'file');
}

/** The logs part of the console state after `parsed` went through the console's reducer (which makes text safe). */
function logsAfter(...parsed: ParsedLogLine[]): LogsState {
	return reduce(initialConsoleState({mode: 'attach'}), {type: 'logs/append', lines: parsed}).logs;
}

const texts = (state: LogsState, size = view) => logWindow(state, size).rows.map(plainRow);

describe('multi-line log records', () => {
	test('a message with \\n or \\r\\n is one record of several lines, cut once when parsed; trailing blank lines go', () => {
		const line = record('boom\n    at a (x.js:1)\r\n    at b (y.js:2)\n\n');
		assert.equal(line.message, 'boom');
		assert.deepEqual(line.continuation, ['    at a (x.js:1)', '    at b (y.js:2)']);
		assert.equal(record('one line').continuation, undefined);
		assert.notEqual(dedupeKey(record('a\nb')), dedupeKey(record('a\nc')), 'records that differ after their first line are not merged');
	});

	test('no line break reaches the state; other controls in any line are shown (^[, ^G, ^M), never obeyed', () => {
		const state = logsAfter(record('first\nsecond \u001B[2J\u001B]0;title\u0007 \r end\tx'));
		const [line] = state.lines;
		assert.equal(line.message, 'first');
		assert.deepEqual(line.continuation, ['second ^[[2J^[]0;title^G ^M end  x']);
		// A line break in a message that was not parsed (no record to cut) stays visible as ^J, as in every other pane.
		assert.equal(logsAfter({message: 'a\nb', source: 'console'}).lines[0].message, 'a^Jb');
		for (const row of texts(state)) {
			assert.doesNotMatch(row, /[\u0000-\u001F\u007F]/);
		}
	});

	test('continuation rows are indented under the message, share its level and fill the pane exactly', () => {
		const state = logsAfter(...lines(3), record('first\nsecond\nthird'));
		const window = logWindow(state, view);
		assert.equal(window.rows.length, 5);
		const rows = window.rows.map(plainRow);
		assert.deepEqual(rows.slice(0, 2).map((row) => row.trim()), ['INFO  line 1', 'INFO  line 2']);
		assert.equal(rows[2], '10:00:00.000 ERROR gateway first');
		const column = rows[2].indexOf('first');
		assert.equal(rows[3], `${' '.repeat(column)}second`);
		assert.equal(rows[4], `${' '.repeat(column)}third`);
		assert.deepEqual(
			window.rows.slice(2).map((row) => row.level),
			['error', 'error', 'error'],
		);
		assert.equal(new Set(window.rows.map((row) => row.key)).size, 5, 'each row has its own key');
	});

	test('a record taller than the pane: following shows its last rows, scrolling moves by rows up to its first', () => {
		const tall = record(Array.from({length: 12}, (_, index) => `l${index}`).join('\n'));
		const tail = (state: LogsState) => texts(state).map((row) => row.trim().split(' ').at(-1));
		let state = logsAfter(tall);
		assert.deepEqual(tail(state), ['l7', 'l8', 'l9', 'l10', 'l11']);
		state = logsReducer(state, {type: 'logs/scroll', delta: -1, view});
		assert.equal(state.follow, false);
		assert.deepEqual(tail(state), ['l6', 'l7', 'l8', 'l9', 'l10']);
		state = logsReducer(state, {type: 'logs/scroll', delta: -4, view});
		assert.deepEqual(tail(state), ['l2', 'l3', 'l4', 'l5', 'l6']);
		state = logsReducer(state, {type: 'logs/scroll', delta: -100, view});
		assert.deepEqual(tail(state), ['l0', 'l1', 'l2', 'l3', 'l4']);
		assert.equal(logWindow(state, view).atTop, true);
		assert.equal(logsReducer(state, {type: 'logs/scroll', delta: -1, view}), state, 'nothing above the top');
		state = logsReducer(state, {type: 'logs/scroll', delta: 4, view});
		assert.deepEqual(tail(state), ['l4', 'l5', 'l6', 'l7', 'l8']);
		assert.equal(logsReducer(state, {type: 'logs/scroll', delta: 3, view}).follow, true, 'down to the newest row follows again');
	});

	test('"+N new lines" counts the text lines that came after the pause; held and received count records', () => {
		let state = logsAfter(...lines(10));
		state = logsReducer(state, {type: 'logs/toggleFollow'});
		const before = texts(state);
		state = logsReducer(state, {type: 'logs/append', lines: [record('a\nb\nc'), ...lines(1, 10)]});
		assert.deepEqual(texts(state), before, 'new records do not move a paused view');
		assert.equal(logWindow(state, view).newLines, 4);
		assert.equal(state.lines.length, 12);
		assert.equal(state.received, 12);
	});

	test('wrapped: each line of a record wraps on its own, every row fits, the page is full, scrolling counts wrapped rows', () => {
		let state = logsAfter(record(`${'x'.repeat(30)}\n${'y'.repeat(30)}`));
		state = logsReducer(logsReducer(state, {type: 'logs/toggleTimestamps'}), {type: 'logs/toggleWrap'});
		const narrow = {height: 3, width: 20};
		const all = texts(state, {height: 10, width: 20});
		// `ERROR gateway ` + 30 x = 44 cells: 3 rows; the continuation, indented by 10 (half the width), 40 cells: 2 rows.
		assert.deepEqual(all, ['ERROR gateway xxxxxx', 'x'.repeat(20), 'xxxx', `${' '.repeat(10)}${'y'.repeat(10)}`, 'y'.repeat(20)]);
		assert.deepEqual(texts(state, narrow), all.slice(2));
		state = logsReducer(state, {type: 'logs/scroll', delta: -1, view: narrow});
		assert.deepEqual(texts(state, narrow), all.slice(1, 4));
		state = logsReducer(state, {type: 'logs/top', view: narrow});
		assert.deepEqual(texts(state, narrow), all.slice(0, 3));
		assert.ok(all.every((row) => row.length <= 20));
	});
});

describe('g and G', () => {
	test('g shows a full page from the oldest line; scrolling after it moves one row; G follows the newest page', () => {
		let state = logsReducer(withLines(50), {type: 'logs/top', view});
		assert.deepEqual(
			texts(state).map((row) => row.trim()),
			['line 0', 'line 1', 'line 2', 'line 3', 'line 4'].map((text) => `INFO  ${text}`),
		);
		assert.equal(logWindow(state, view).atTop, true);
		state = logsReducer(state, {type: 'logs/scroll', delta: 1, view});
		assert.match(texts(state)[0], /line 1$/);
		assert.match(texts(state).at(-1)!, /line 5$/);
		state = logsReducer(state, {type: 'logs/scroll', delta: -1, view});
		assert.match(texts(state)[0], /line 0$/);
		assert.equal(logsReducer(state, {type: 'logs/scroll', delta: -1, view}), state, 'k at the top changes nothing');
		state = logsReducer(state, {type: 'logs/bottom'});
		assert.equal(state.follow, true);
		assert.match(texts(state)[0], /line 45$/);
		assert.match(texts(state).at(-1)!, /line 49$/);
	});

	test('g on a multi-line record at the top starts at its first row; fewer rows than the pane: all of them', () => {
		const state = logsReducer(logsAfter(record('first\nsecond'), ...lines(10)), {type: 'logs/top', view});
		assert.deepEqual(
			texts(state).map((row) => row.trim()),
			['10:00:00.000 ERROR gateway first', 'second', 'INFO  line 0', 'INFO  line 1', 'INFO  line 2'],
		);
		const few = logsReducer(withLines(3), {type: 'logs/top', view});
		assert.deepEqual(
			texts(few).map((row) => row.trim()),
			['INFO  line 0', 'INFO  line 1', 'INFO  line 2'],
		);
		assert.equal(logsReducer(withLines(3), {type: 'logs/scroll', delta: -1, view}).follow, true, 'nothing to scroll when all fits');
		const pausedAtBottom = logsReducer(withLines(3), {type: 'logs/toggleFollow'});
		assert.equal(logsReducer(pausedAtBottom, {type: 'logs/scroll', delta: 1, view}).follow, true, 'j at the newest row follows again');
	});
});

describe('connection, runtime, channels, reload', () => {
	test('connection: reconnecting shows a countdown, auth failure the fix, a dead tunnel wins', () => {
		let state = connectionReducer(initialConnection('ws://x'), {type: 'connection/state', status: 'reconnecting', attempt: 2, retryInMs: 3000, error: 'ECONNREFUSED', at: 1000});
		assert.equal(describeConnection(state, undefined, 1000).text, 'reconnecting in 3 s');
		assert.equal(describeConnection(state, undefined, 2500).text, 'reconnecting in 2 s');
		state = connectionReducer(state, {type: 'connection/state', status: 'auth-failed', attempt: 1, at: 2000});
		const auth = describeConnection(state, undefined, 2000);
		assert.equal(auth.text, 'auth failed');
		assert.match(auth.hint!, /--token/);
		const tunnel = {status: 'down' as const, target: 'ops@gw', attempt: 1, retryAt: 5000, error: 'Connection refused'};
		assert.match(describeConnection(state, tunnel, 3000).text, /tunnel down \(ops@gw\), reopening in 2 s/);
		state = connectionReducer(state, {type: 'connection/state', status: 'connected', attempt: 0, at: 4000});
		assert.equal(state.error, undefined);
	});

	test('runtime: crashed with exit code or signal; backoff counts down', () => {
		const base = initialRuntime('local');
		const crashed = runtimeReducer(base, {type: 'runtime/supervisor', state: {status: 'crashed', port: 1, restarts: 0, exitCode: 3}, at: 0});
		assert.equal(describeProcess(crashed, 0).text, 'crashed (exit code 3)');
		const backoff = runtimeReducer(base, {type: 'runtime/supervisor', state: {status: 'backoff', port: 1, restarts: 1, signal: 'SIGKILL', nextRestartAt: 4000}, at: 0});
		assert.equal(describeProcess(backoff, 1000).text, 'crashed (signal SIGKILL), restarting in 3 s');
	});

	test('runtime: a restart is done when status answers again after the gateway went down, with the new pid', () => {
		let state = runtimeReducer(initialRuntime('local'), {type: 'runtime/supervisor', state: {status: 'running', pid: 10, port: 1, restarts: 0}, at: 0});
		state = runtimeReducer(state, {type: 'runtime/restartRequested', via: 'supervisor', at: 1000});
		assert.equal(state.restart.fromPid, 10);
		state = runtimeReducer(state, {type: 'runtime/status', status: {pid: 10}, at: 1100});
		assert.equal(state.restart.phase, 'requested', 'an answer before going down does not count');
		state = runtimeReducer(state, {type: 'runtime/supervisor', state: {status: 'restarting', port: 1, restarts: 1}, at: 1200});
		state = runtimeReducer(state, {type: 'runtime/supervisor', state: {status: 'running', pid: 11, port: 1, restarts: 1}, at: 2000});
		state = runtimeReducer(state, {type: 'runtime/status', status: {pid: 11}, at: 2500});
		assert.equal(state.restart.phase, 'done');
		assert.equal(state.restart.toPid, 11);
		assert.equal(state.restart.message, 'pid 10 -> 11 (1.5 s)');
	});

	test('runtime: a crash stays visible after the automatic restart, with a count', () => {
		let state = initialRuntime('local');
		for (const at of [1000, 5000]) {
			state = runtimeReducer(state, {type: 'runtime/supervisor', state: {status: 'crashed', port: 1, restarts: 0, signal: 'SIGKILL'}, at});
			state = runtimeReducer(state, {type: 'runtime/supervisor', state: {status: 'running', pid: 2, port: 1, restarts: 1}, at: at + 500});
		}

		assert.deepEqual(state.lastCrash, {text: 'signal SIGKILL', at: 5000, count: 2});
		const lines = runtimeLines({...initialConsoleState({mode: 'local'}), runtime: state, now: 8000});
		assert.ok(lines.some((line) => line.label === 'crashed' && line.value === `2x, last signal SIGKILL at ${clockTime(5000)}`));
	});

	test('runtime: an in-process restart (attached) keeps the pid and says so', () => {
		let state = runtimeReducer(initialRuntime('attach'), {type: 'runtime/status', status: {pid: 7}, at: 0});
		state = runtimeReducer(state, {type: 'runtime/restartRequested', via: 'rpc', at: 0});
		state = runtimeReducer(state, {type: 'runtime/restartDown'});
		state = runtimeReducer(state, {type: 'runtime/status', status: {pid: 7}, at: 2000});
		assert.equal(state.restart.message, 'in-process, pid 7 (2.0 s)');
	});

	test('channels: rows per account in channelOrder, probe results, stale after a while or after an error', () => {
		const payload = {
			channelOrder: ['telegram', 'slack'],
			channelLabels: {telegram: 'Telegram'},
			channelAccounts: {
				telegram: [{accountId: 'default', enabled: true, configured: true, connected: true, probe: {ok: true, elapsedMs: 12}}],
				slack: [{accountId: 'work', enabled: true, configured: true, connected: false, lastError: 'invalid_auth', probe: {ok: false, error: 'invalid_auth'}}],
			},
		};
		const rows = channelRows(payload);
		assert.deepEqual(
			rows.map((row) => `${row.label}/${row.accountId}`),
			['Telegram/default', 'slack/work'],
		);
		let state = channelsReducer(initialChannels, {type: 'channels/status', payload, at: 1000});
		assert.equal(channelsStale(state, 5000, 10_000), false);
		assert.equal(channelsStale(state, 12_000, 10_000), true);
		state = channelsReducer(state, {type: 'channels/error', error: 'timeout', at: 2000});
		assert.equal(channelsStale(state, 2000, 10_000), true);
		const view = channelLines({...initialConsoleState({mode: 'local'}), channels: channelsReducer(initialChannels, {type: 'channels/status', payload, at: 0}), now: 0}, 10_000);
		assert.match(view[0].value, /connected · probe ok 12 ms/);
		assert.equal(view[0].tone, 'ok');
		assert.match(view[1].value, /probe FAIL invalid_auth/);
		assert.equal(view[1].tone, 'error');
		// A lastError that carries the probe's error says the cause once, with what the channel is doing about it.
		const retrying = {
			...payload,
			channelAccounts: {telegram: [{accountId: 'default', enabled: true, configured: true, running: true, connected: false, lastError: 'telegram getUpdates failing, retrying: request failed: ECONNREFUSED', probe: {ok: false, error: 'request failed: ECONNREFUSED'}}]},
		};
		const [telegram] = channelLines({...initialConsoleState({mode: 'local'}), channels: channelsReducer(initialChannels, {type: 'channels/status', payload: retrying, at: 0}), now: 0}, 10_000);
		assert.equal(telegram.value, 'running · probe FAIL · telegram getUpdates failing, retrying: request failed: ECONNREFUSED');
	});

	test('reload: a write answer that says the file lost its formatting is what m flashes; a kept file says nothing', () => {
		const lost = 'config file rewritten as plain JSON, its comments and formatting not kept: cannot edit the file in place';
		assert.equal(writeWarning({ok: true, formatting: 'rewritten', warnings: [lost]}), lost);
		assert.equal(writeWarning({ok: true, formatting: 'kept'}), undefined);
		assert.equal(writeWarning({ok: true, warnings: [42]}), undefined);
		assert.equal(writeWarning(undefined), undefined);
	});

	test('reload: mode from config.get, a conflict is kept and shown, an applied event clears the wait', () => {
		let state = reloadReducer(initialReload, {type: 'reload/config', payload: {hash: 'h1', path: '/x/openclaw.json', valid: true, config: {gateway: {reload: {mode: 'hot'}}}}});
		assert.deepEqual([state.mode, state.hash], ['hot', 'h1']);
		assert.equal(reloadModePatch('restart'), '{"gateway":{"reload":{"mode":"restart"}}}');
		state = reloadReducer(state, {type: 'reload/writeStart', mode: 'restart'});
		state = reloadReducer(state, {type: 'reload/writeFailed', error: 'config changed since last load; re-run config.get and retry', conflict: true});
		assert.equal(state.conflict, true);
		const view = reloadLines({...initialConsoleState({mode: 'local'}), reload: state});
		assert.ok(view.some((line) => line.label === 'conflict' && /config changed since last load/.test(line.value)));
		state = reloadReducer(state, {type: 'reload/writeStart', mode: 'restart'});
		assert.equal(state.conflict, false);
		state = reloadReducer(state, {type: 'reload/written', mode: 'restart', hash: 'h2'});
		assert.equal(state.awaiting, 'restart');
		state = reloadReducer(state, {type: 'reload/event', payload: {mode: 'restart', result: 'applied', changedPaths: ['gateway.reload.mode'], pendingPaths: []}, at: 5});
		assert.deepEqual([state.mode, state.awaiting, state.last?.result], ['restart', undefined, 'applied']);
	});

	test('a health answer that repeats known reload facts is the same state (no frame)', () => {
		const payload = {mode: 'hybrid', pendingPaths: ['gateway.port'], lastReload: {ts: 5, result: 'pending', changedPaths: ['gateway.port']}};
		const first = reloadReducer(initialReload, {type: 'reload/health', payload, at: 1});
		assert.equal(reloadReducer(first, {type: 'reload/health', payload: structuredClone(payload), at: 2}), first);
		const changed = reloadReducer(first, {type: 'reload/health', payload: {...payload, pendingPaths: []}, at: 3});
		assert.notEqual(changed, first);
		assert.deepEqual(changed.pendingPaths, []);
	});

	test('reload: pending restart-required paths and config errors from health.configReload', () => {
		const state = reloadReducer(initialReload, {type: 'reload/health', payload: {mode: 'hybrid', pendingPaths: ['gateway.port'], configError: 'bad JSON5 at 3:1'}, at: 1});
		const view = reloadLines({...initialConsoleState({mode: 'local'}), reload: state});
		assert.ok(view.some((line) => line.label === 'pending' && line.value === 'restart needed: gateway.port'));
		assert.ok(view.some((line) => line.label === 'config' && line.value === 'bad JSON5 at 3:1'));
	});

	test('reload: unknown config keys from health.configReload, with the suggestion; gone once health has none', () => {
		const payload = {mode: 'hybrid', pendingPaths: [], unknownKeys: [{path: 'gateway.prot', suggestion: 'port'}]};
		let state = reloadReducer(initialReload, {type: 'reload/health', payload, at: 1});
		const line = reloadLines({...initialConsoleState({mode: 'local'}), reload: state}).find((item) => item.value.startsWith('unknown key'));
		assert.deepEqual(line, {label: 'config', value: 'unknown key gateway.prot (did you mean "port"?)', tone: 'warn'});
		assert.equal(reloadReducer(state, {type: 'reload/health', payload: structuredClone(payload), at: 2}), state, 'the same keys again: no new state');

		const many = {...payload, unknownKeys: [{path: 'a.one'}, {path: 'a.two'}, {path: 'a.three'}, {path: 'a.four'}], unknownKeysOmitted: 16};
		state = reloadReducer(state, {type: 'reload/health', payload: many, at: 3});
		const lines = reloadLines({...initialConsoleState({mode: 'local'}), reload: state});
		assert.ok(lines.some((item) => item.value === 'unknown keys a.one, a.two, a.three and 17 more'), 'a few fit; the rest are counted');

		state = reloadReducer(state, {type: 'reload/health', payload: {mode: 'hybrid', pendingPaths: []}, at: 4});
		assert.ok(!reloadLines({...initialConsoleState({mode: 'local'}), reload: state}).some((item) => item.value.startsWith('unknown key')));
	});

	test('runtime view lines name pid, uptime, link and probe', () => {
		const state = reduce(
			initialConsoleState({mode: 'local', now: 0}),
			{type: 'runtime/supervisor', state: {status: 'running', pid: 42, port: 9, restarts: 0, startedAt: 0}, at: 0},
			{type: 'connection/state', status: 'connected', attempt: 0, at: 0},
			{type: 'runtime/status', status: {pid: 42, version: '1.2.3', uptimeMs: 61_000, bind: 'loopback', host: '127.0.0.1', port: 9}, at: 0},
			{type: 'runtime/probe', probe: {ok: true, latencyMs: 4, at: 0}},
		);
		const text = runtimeLines(state).map((line) => `${line.label} ${line.value}`);
		assert.ok(text.includes('pid 42   up 1m   v1.2.3'), text.join('\n'));
		assert.ok(text.includes('bind loopback 127.0.0.1:9'));
		assert.ok(text.includes('link connected'));
		assert.ok(text.includes('probe ok 4 ms'), text.join('\n'));
	});

	test('the probe figure is the median of the last five, moved only out of a dead band: one slow answer or jitter does not move it, a lasting change does', () => {
		let state = reduce(initialConsoleState({mode: 'attach', now: 0}), {type: 'connection/state', status: 'connected', attempt: 0, at: 0});
		const probeLine = () => runtimeLines(state).find((line) => line.label === 'probe')?.value;
		const probe = (latencyMs: number, at: number) => {
			state = reduce(state, {type: 'runtime/probe', probe: {ok: true, latencyMs, at}});
		};

		for (const [index, latency] of [3.1, 2.9, 3.4, 2.6].entries()) {
			probe(latency, index);
		}

		assert.equal(probeLine(), 'ok 3 ms');
		probe(85.2, 10);
		assert.equal(probeLine(), 'ok 3 ms', 'one slow answer among five');
		for (const at of [11, 12, 13]) {
			probe(40, at);
		}

		assert.equal(probeLine(), 'ok 40 ms', 'three slow answers of five are the new normal');
		assert.equal(state.runtime.probeLatencies.length, 5);
		for (const [index, latency] of [38, 44, 41, 36, 45, 39].entries()) {
			probe(latency, 20 + index);
		}

		assert.equal(probeLine(), 'ok 40 ms', 'jitter within 25 % of the figure shown');
	});

	test('a probe success from before the link went down is dated and muted, not shown as the gateway now; a hello-ok ends a going-away flash', () => {
		let state = reduce(
			initialConsoleState({mode: 'local', now: 0}),
			{type: 'runtime/supervisor', state: {status: 'running', pid: 42, port: 9, restarts: 0, startedAt: 0}, at: 0},
			{type: 'connection/state', status: 'connected', attempt: 0, at: 0},
			{type: 'runtime/probe', probe: {ok: true, latencyMs: 4, at: 1000}},
		);
		const probeLine = () => runtimeLines(state).find((line) => line.label === 'probe');
		assert.deepEqual(probeLine(), {label: 'probe', value: 'ok 4 ms', tone: 'ok'});
		state = reduce(
			state,
			{type: 'ui/flash', text: 'gateway: gateway stopping', tone: 'warn', at: 2000, untilHello: true},
			{type: 'runtime/shutdown', reason: 'gateway stopping', restartExpectedMs: 1500, at: 2000},
			{type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 250, error: 'gateway closed (1001)', at: 2000},
		);
		assert.deepEqual(probeLine(), {label: 'probe', value: `last ok at ${clockTime(1000)}`, tone: 'muted'});
		assert.equal(state.ui.flash?.text, 'gateway: gateway stopping');
		state = reduce(state, {type: 'connection/state', status: 'connected', attempt: 0, at: 2600}, {type: 'connection/hello', serverVersion: '1', uptimeMs: 100, at: 2600});
		assert.equal(state.ui.flash, undefined, 'the gateway is back: "stopping" is no longer true');
		assert.deepEqual(probeLine(), {label: 'probe', value: 'ok 4 ms', tone: 'ok'}, 'over a live link the figure is current again until the next probe says otherwise');
		state = reduce(state, {type: 'ui/flash', text: 'probe ok in 4 ms', tone: 'ok', at: 3000}, {type: 'connection/hello', serverVersion: '1', uptimeMs: 100, at: 3100});
		assert.equal(state.ui.flash?.text, 'probe ok in 4 ms', 'other flashes run their time');
	});

	test('a local gateway the operator stopped: no link promised, S named, the finished restart before it cleared; a finished restart is dated', () => {
		let state = reduce(
			initialConsoleState({mode: 'local', now: 0}),
			{type: 'runtime/supervisor', state: {status: 'running', pid: 42, port: 9, restarts: 0, startedAt: 0}, at: 0},
			{type: 'connection/state', status: 'connected', attempt: 0, at: 0},
			{type: 'runtime/restartRequested', via: 'supervisor', at: 1000},
			{type: 'runtime/supervisor', state: {status: 'restarting', port: 9, restarts: 1}, at: 1100},
			{type: 'runtime/supervisor', state: {status: 'running', pid: 43, port: 9, restarts: 1, startedAt: 1500}, at: 1500},
			{type: 'runtime/status', status: {pid: 43, uptimeMs: 10}, at: 1600},
		);
		const restartLine = () => runtimeLines(state).find((line) => line.label === 'restart');
		assert.equal(state.runtime.restart.phase, 'done');
		assert.match(restartLine()?.value ?? '', new RegExp(`-> 43 \\(\\d+(\\.\\d)? s\\) at ${clockTime(1600)}$`));
		state = reduce(
			state,
			{type: 'runtime/supervisor', state: {status: 'stopped', port: 9, restarts: 1}, at: 5000},
			{type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 1000, error: 'Gateway not reachable at ws://127.0.0.1:9 (ECONNREFUSED)', at: 5000},
		);
		const lines = runtimeLines(state);
		assert.deepEqual(lines.find((line) => line.label === 'link'), {label: 'link', value: 'none (gateway stopped)', tone: 'muted'});
		assert.deepEqual(describeLink(state), {text: 'none (gateway stopped)', tone: 'muted'}, 'the header says the same');
		assert.ok(!lines.some((line) => /not reachable|reconnecting/.test(line.value)), lines.map((line) => line.value).join('\n'));
		assert.equal(restartLine(), undefined, 'the restart before the stop is history');
		assert.deepEqual(lines.at(-1), {label: '', value: 'S starts it', tone: 'info'});
		assert.ok(!runtimeLines({...state, ui: {...state.ui, interactive: false}}).some((line) => line.value === 'S starts it'), '--once names no key');
		// Started again: the link is the client's once more.
		state = reduce(state, {type: 'runtime/supervisor', state: {status: 'starting', port: 9, restarts: 1}, at: 6000});
		assert.match(describeLink(state).text, /^reconnecting/);
	});

	test('the dead band: more than 2 ms and 25 % away from what is shown', () => {
		assert.equal(shownLatency(undefined, 3), 3);
		assert.equal(shownLatency(4, undefined), undefined);
		assert.equal(shownLatency(4, 6), 4);
		assert.equal(shownLatency(4, 6.5), 6.5);
		assert.equal(shownLatency(4, 1.9), 1.9);
		assert.equal(shownLatency(100, 124), 100);
		assert.equal(shownLatency(100, 126), 126);
	});

	test('failed probes: the time the failures began, kept while they go on; a success starts the figure afresh', () => {
		let state = reduce(initialConsoleState({mode: 'attach', now: 0}), {type: 'connection/state', status: 'connected', attempt: 0, at: 0});
		state = reduce(state, {type: 'runtime/probe', probe: {ok: true, latencyMs: 2, at: 1000}});
		state = reduce(state, {type: 'runtime/probe', probe: {ok: false, error: 'request timed out', at: 61_000}});
		state = reduce(state, {type: 'runtime/probe', probe: {ok: false, error: 'request timed out', at: 71_000}});
		const failed = runtimeLines(state).find((line) => line.label === 'probe');
		assert.deepEqual(failed, {label: 'probe', value: `failed: request timed out (since ${clockTime(61_000)})`, tone: 'error'});
		state = reduce(state, {type: 'runtime/probe', probe: {ok: true, latencyMs: 12.4, at: 81_000}});
		assert.equal(runtimeLines(state).find((line) => line.label === 'probe')?.value, 'ok 12 ms');
		assert.deepEqual(state.runtime.probeLatencies, [12.4]);
	});

	test('uptime in minutes, hours, days; latency with the precision that means something', () => {
		assert.deepEqual(
			[0, 59_999, 60_000, 59 * 60_000 + 59_000, 3_600_000 + 5 * 60_000, 47 * 3_600_000 + 59 * 60_000, 86_400_000 * 2 + 3_600_000 * 3 + 59_000].map((ms) => formatUptime(ms)),
			['<1m', '<1m', '1m', '59m', '1h', '47h', '2d 3h'],
		);
		assert.deepEqual(
			[0.4, 1, 3.49, 9.6, 12.4, 87, 123, 1234, 15_678].map((ms) => formatLatency(ms)),
			['<1 ms', '1 ms', '3 ms', '10 ms', '12 ms', '87 ms', '120 ms', '1.2 s', '16 s'],
		);
		assert.equal(medianLatency([]), undefined);
		assert.equal(medianLatency([5, 1, 3]), 3);
		assert.equal(medianLatency([4, 1, 3, 2]), 2);
		assert.equal(medianLatency([66, 3]), 3, "the cold first probe is outvoted by the second");
	});
});

describe('keymap and key routing', () => {
	const state = initialConsoleState({mode: 'local', size: {columns: 100, rows: 30}});

	test('one table: every binding has keys, a label and a description; commands are unique', () => {
		const commands = keymap.map((binding) => binding.command);
		assert.equal(new Set(commands).size, commands.length);
		assert.ok(keymap.every((binding) => binding.keys.length > 0 && keyLabel(binding.keys) && binding.description));
	});

	test('labels come from the keys: the first key, a letter before the arrow it stands for, no ctrl aliases', () => {
		assert.equal(keyLabel([{input: '?'}]), '?');
		assert.equal(keyLabel([{key: 'tab', shift: true}]), 'Shift-Tab');
		assert.equal(keyLabel([{input: 'q'}, {input: 'c', ctrl: true}]), 'q');
		assert.equal(keyLabel([{key: 'upArrow'}, {input: 'k'}]), 'k/Up');
		assert.equal(keyLabel([{key: 'pageUp'}, {input: 'u', ctrl: true}]), 'PgUp');
		assert.equal(keyLabel([{input: 'g'}, {key: 'home'}]), 'g');
		assert.equal(keyName({input: 'c', ctrl: true}), 'Ctrl-C');
	});

	test('pane keys act only in their pane; global keys everywhere; Shift-Tab is not Tab', () => {
		assert.equal(matchBinding('f', {}, 'logs')?.command, 'logsFollow');
		assert.equal(matchBinding('f', {}, 'runtime'), undefined);
		assert.equal(matchBinding('R', {shift: true}, 'channels')?.command, 'restart');
		assert.equal(matchBinding('', {tab: true}, 'logs')?.command, 'focusNext');
		assert.equal(matchBinding('', {tab: true, shift: true}, 'logs')?.command, 'focusPrev');
		assert.equal(matchBinding('c', {ctrl: true}, 'logs')?.command, 'quit');
		assert.equal(matchBinding('c', {}, 'logs')?.command, 'logsClear');
	});

	test('footer and help come from the same table, focused pane first', () => {
		assert.deepEqual(
			footerBindings('logs').slice(0, 3).map((binding) => keyLabel(binding.keys)),
			['?', 'f', '/'],
		);
		assert.equal(helpSections('reload')[0].title, 'Everywhere', 'reload has no keys of its own');
		assert.equal(helpSections('logs')[0].title, 'Logs');
		const markdown = keysMarkdown();
		assert.equal(markdown.split('\n').length, keymap.length + 2);
		assert.match(markdown, /\| `R` \| Everywhere \| Restart the gateway/);
	});

	test('R asks with No as the default: Enter alone cancels, y confirms', () => {
		const asked = reduce(state, ...routeKey(state, {input: 'R', key: {shift: true}}).actions);
		assert.equal(asked.ui.confirm?.answer, 'no');
		const enter = routeKey(asked, {input: '', key: {return: true}});
		assert.equal(enter.effect, undefined);
		assert.equal(reduce(asked, ...enter.actions).ui.confirm, undefined);
		assert.equal(routeKey(asked, {input: 'y', key: {}}).effect, 'restart');
		const toggled = reduce(asked, ...routeKey(asked, {input: '', key: {leftArrow: true}}).actions);
		assert.equal(routeKey(toggled, {input: '', key: {return: true}}).effect, 'restart');
	});

	test('quit asks only when it would stop a child this console runs', () => {
		assert.equal(intentFor('quit', state).effect, 'quit');
		const running = reduce(state, {type: 'runtime/supervisor', state: {status: 'running', pid: 1, port: 1, restarts: 0}, at: 0});
		assert.equal(intentFor('quit', running).effect, undefined);
		assert.equal(reduce(running, ...intentFor('quit', running).actions).ui.confirm?.kind, 'quit');
		const attached = initialConsoleState({mode: 'attach'});
		assert.equal(intentFor('quit', attached).effect, 'quit');
	});

	test('S stops (after asking) or starts the local gateway; attached consoles explain instead', () => {
		assert.equal(intentFor('stopStart', state).effect, 'start');
		const running = reduce(state, {type: 'runtime/supervisor', state: {status: 'running', pid: 1, port: 1, restarts: 0}, at: 0});
		assert.equal(reduce(running, ...intentFor('stopStart', running).actions).ui.confirm?.kind, 'stop');
		const attached = initialConsoleState({mode: 'attach'});
		assert.equal(intentFor('stopStart', attached).actions[0].type, 'ui/flash');
	});

	test('the filter prompt takes text first (q is a letter there), Enter applies, Esc clears', () => {
		let current = reduce(state, ...routeKey(state, {input: '/', key: {}}).actions);
		for (const input of ['e', 'r', 'q']) {
			current = reduce(current, ...routeKey(current, {input, key: {}}).actions);
		}

		assert.equal(current.ui.filterDraft, 'erq');
		current = reduce(current, ...routeKey(current, {input: '', key: {backspace: true}}).actions);
		current = reduce(current, ...routeKey(current, {input: '', key: {return: true}}).actions);
		assert.deepEqual([current.logs.filter, current.ui.filterDraft], ['er', undefined]);
		current = reduce(current, ...routeKey(current, {input: '/', key: {}}).actions);
		current = reduce(current, ...routeKey(current, {input: '', key: {escape: true}}).actions);
		assert.equal(current.logs.filter, '');
	});

	test('help open: ? or Esc closes it and other keys do nothing; Ctrl-C still quits', () => {
		const open = reduce(state, {type: 'ui/toggleHelp'});
		assert.deepEqual(routeKey(open, {input: 'R', key: {shift: true}}), {actions: []});
		assert.equal(reduce(open, ...routeKey(open, {input: '', key: {escape: true}}).actions).ui.help, false);
		assert.equal(routeKey(open, {input: 'c', key: {ctrl: true}}).effect, 'quit');
	});

	test('PgUp moves a page of the logs pane as laid out for the terminal', () => {
		const intent = intentFor('logsPageUp', state);
		const layout = computeLayout(state.ui.size);
		assert.deepEqual(intent.actions, [{type: 'logs/scroll', delta: -(layout.logRows - 1), view: {height: layout.logRows, width: layout.logColumns}}]);
	});
});

describe('layout', () => {
	test('status lines are cut to the pane width with an ellipsis, before Ink sees them', () => {
		assert.deepEqual(fitLine('pid', '12345', 9, 20), {label: 'pid      ', value: '12345'});
		assert.deepEqual(fitLine('target', 'attached ws://127.0.0.1:18789', 9, 20), {label: 'target   ', value: 'attached w…'});
		assert.equal(fitLine('x', 'y', 9, 5).label.length, 5);
	});

	test('a short pane keeps its headline and gives way by what lines say: placeholders, muted, plain, ok, warn, error; key outs last', () => {
		const lines: ViewLine[] = [
			{label: 'gateway', value: 'stopped', tone: 'muted'},
			{label: 'pid', value: '-'},
			{label: 'note', value: 'quiet', tone: 'muted'},
			{label: 'target', value: 'local'},
			{label: 'link', value: 'up', tone: 'ok'},
			{label: 'restart', value: 'slow', tone: 'warn'},
			{label: '', value: 'EADDRINUSE', tone: 'error'},
			{label: '', value: 'S starts it', tone: 'info'},
		];
		const labels = (room: number) => fitLines(lines, room).lines.map((line) => line.value);
		assert.deepEqual(fitLines(lines, 8), {lines, hidden: 0}, 'all fit: the same lines');
		assert.deepEqual(fitLines(lines, 7), {lines: lines.filter((line) => line.value !== '-'), hidden: 0}, 'a placeholder first, and not counted');
		assert.deepEqual(labels(6), ['stopped', 'local', 'up', 'slow', 'EADDRINUSE', 'S starts it'], 'then muted lines, though the headline is muted');
		assert.deepEqual(labels(4), ['stopped', 'slow', 'EADDRINUSE', 'S starts it']);
		assert.deepEqual(labels(2), ['stopped', 'S starts it'], 'the key out outlasts the error');
		assert.deepEqual(fitLines(lines, 1), {lines: [lines[0]], hidden: 6});
		assert.deepEqual(fitLines(lines, 0).lines, []);
		const same = [{label: 'a', value: '1'}, {label: 'b', value: '2'}, {label: 'c', value: '3'}, {label: 'd', value: '4'}];
		assert.deepEqual(fitLines(same, 3).lines.map((line) => line.label), ['a', 'b', 'c'], 'one rank: cut from the bottom, as before');
	});

	test('a long value goes on under itself on rows that are free or held by placeholders, never at the cost of a line', () => {
		const advice = 'Gateway not reachable at ws://127.0.0.1:9 (ECONNREFUSED). Start it with `openclaw gateway`.';
		const lines: ViewLine[] = [
			{label: 'gateway', value: 'unreachable (ECONNREFUSED)', tone: 'error'},
			{label: 'pid', value: '-'},
			{label: 'target', value: 'attached', tone: 'muted'},
			{label: '', value: advice, tone: 'error'},
			{label: '', value: 'r reconnects now', tone: 'info'},
		];
		const wrap = {rowWidth: 39, labelWidth: 9};
		// 30 columns for the value: the advice takes four rows, broken at spaces.
		const broken = ['|Gateway not reachable at', '|ws://127.0.0.1:9', '|(ECONNREFUSED). Start it with', '|`openclaw gateway`.'];
		const rows = (room: number) => fitLines(lines, room, wrap).lines.map((line) => `${line.label}|${line.value}`);
		assert.deepEqual(rows(8), ['gateway|unreachable (ECONNREFUSED)', 'pid|-', 'target|attached', ...broken, '|r reconnects now'], 'room for all of it');
		assert.deepEqual(rows(7), ['gateway|unreachable (ECONNREFUSED)', 'target|attached', ...broken, '|r reconnects now'], 'the placeholder gave its row to the advice');
		assert.equal(fitLines(lines, 7, wrap).hidden, 0, 'nothing that said something is hidden');
		const five = fitLines(lines, 5, wrap);
		assert.deepEqual(five.lines.map((line) => line.value), ['unreachable (ECONNREFUSED)', 'attached', 'Gateway not reachable at', 'ws://127.0.0.1:9 (ECONNREFUSED). Start it with `openclaw gateway`.', 'r reconnects now'], 'the last row kept carries the rest (cut by the row)');
		assert.equal(five.lines.filter((line) => line.tone === 'error').length, 3, 'further rows keep their line’s tone');
		assert.deepEqual(fitLines(lines, 4, wrap).lines.map((line) => line.value), ['unreachable (ECONNREFUSED)', 'attached', advice, 'r reconnects now'], 'further rows give way before any line of its own');
		assert.deepEqual(fitLines(lines, 8, {rowWidth: 20, labelWidth: 9}).lines.length, 5, 'too narrow to be worth breaking: cut as before');
		assert.deepEqual(fitLines(lines, 8).lines, lines, 'without widths, nothing is broken');
	});

	test('the README keys table is the one the keymap generates', () => {
		const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
		assert.ok(readme.includes(keysMarkdown()), 'README.md is stale: regenerate it with node --import tsx media/keys-table.ts');
	});

	test('the frame is one row shorter than the terminal and the panes add up to it', () => {
		for (const size of [
			{columns: 120, rows: 40},
			{columns: 80, rows: 24},
			{columns: 200, rows: 60},
			{columns: 30, rows: 5},
		]) {
			const layout = computeLayout(size);
			assert.equal(layout.height, Math.max(12, size.rows) - 1);
			assert.equal(1 + layout.topHeight + layout.logsHeight + 1, layout.height);
			assert.equal(layout.topWidths.runtime + layout.topWidths.channels + layout.topWidths.reload, layout.width);
			assert.ok(layout.logRows >= 1);
		}
	});
});

describe('splitKeyChunk', () => {
	test('a chunk of plain keys becomes one press per key; escape sequences and chords stay whole', () => {
		assert.deepEqual(splitKeyChunk({input: 'jjj', key: {}}), [
			{input: 'j', key: {}},
			{input: 'j', key: {}},
			{input: 'j', key: {}},
		]);
		assert.deepEqual(splitKeyChunk({input: '\t\r\u007FR', key: {}}), [
			{input: '', key: {tab: true}},
			{input: '', key: {return: true}},
			{input: '', key: {backspace: true}},
			{input: 'R', key: {shift: true}},
		]);
		assert.deepEqual(splitKeyChunk({input: 'j', key: {}}), [{input: 'j', key: {}}]);
		assert.deepEqual(splitKeyChunk({input: '\u001B[A', key: {upArrow: true}}), [{input: '\u001B[A', key: {upArrow: true}}]);
		assert.deepEqual(splitKeyChunk({input: 'cc', key: {ctrl: true}}), [{input: 'cc', key: {ctrl: true}}]);
	});
});

describe('Reload pane: config errors', () => {
	test('a config error names the key, and clears when the gateway says the file is good again', () => {
		let state = reloadReducer(initialReload, {
			type: 'reload/config',
			payload: {hash: 'h1', path: '/x/openclaw.json', valid: false, config: {}, issues: [{path: 'gateway.port', message: 'number must be less than or equal to 65535'}]},
		});
		assert.equal(state.configError, 'gateway.port: number must be less than or equal to 65535');
		state = reloadReducer(state, {type: 'reload/health', payload: {mode: 'hybrid', pendingPaths: [], configError: 'invalid config /x/openclaw.json: gateway.port: ...'}, at: 1});
		assert.match(state.configError ?? '', /gateway\.port/);
		state = reloadReducer(state, {type: 'reload/health', payload: {mode: 'hybrid', pendingPaths: []}, at: 2});
		assert.equal(state.configError, undefined, 'health without an error: the file is valid again');
		state = reloadReducer(state, {type: 'reload/event', payload: {mode: 'hybrid', result: 'error', error: 'invalid config: logging.level: ...', changedPaths: []}, at: 3});
		assert.match(state.configError ?? '', /logging\.level/);
		state = reloadReducer(state, {type: 'reload/event', payload: {mode: 'hybrid', result: 'applied', changedPaths: ['logging.level'], pendingPaths: []}, at: 4});
		assert.equal(state.configError, undefined, 'an applied reload clears it');
	});
});

describe('Runtime pane: an attached gateway never reached', () => {
	const refused = 'Gateway not reachable at ws://127.0.0.1:1 (ECONNREFUSED). Start it with `openclaw gateway` or check `openclaw gateway status`.';
	test('a first connect under way waits; one that failed says unreachable with the code, the advice below and r as the way out', () => {
		let state = reduce(initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', now: 0}), {type: 'connection/state', status: 'connecting', attempt: 0, at: 0});
		assert.equal(runtimeLines(state)[0].value, 'waiting for status');
		state = reduce(state, {type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 1000, error: refused, at: 100});
		const lines = runtimeLines(state);
		assert.deepEqual(lines[0], {label: 'gateway', value: 'unreachable (ECONNREFUSED)', tone: 'error'}, 'no "since": it was never reached');
		assert.ok(lines.some((line) => line.value === refused), 'the whole advice is on its own row');
		assert.equal(lines.at(-1)?.value, 'r reconnects now');
		// console --once: the snapshot's connect failed for good.
		const printed = reduce(initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', now: 0, interactive: false}), {type: 'connection/state', status: 'closed', attempt: 1, error: refused, at: 100});
		assert.equal(runtimeLines(printed)[0].value, 'unreachable (ECONNREFUSED)');
		assert.ok(!runtimeLines(printed).some((line) => /^r /.test(line.value)), '--once names no key');
	});
});

describe('Runtime pane: an attached gateway that is gone', () => {
	test('shows unreachable since when and why, with no stale pid, bind or probe; back to normal on reconnect', () => {
		const at = Date.parse('2026-11-28T10:00:00.000Z');
		let state = initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1'});
		state = consoleReducer(state, {type: 'connection/state', status: 'connected', attempt: 0, at});
		state = consoleReducer(state, {type: 'runtime/status', status: {pid: 4242, version: '9.9', uptimeMs: 5000, bind: 'loopback', host: '127.0.0.1', port: 1}, at});
		state = consoleReducer(state, {type: 'runtime/probe', probe: {ok: true, latencyMs: 9, at}});
		assert.equal(runtimeLines(state)[0].value, 'running');
		state = consoleReducer(state, {type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 1000, error: 'ECONNREFUSED', at: at + 60_000});
		const lines = runtimeLines(state);
		assert.equal(lines[0].value, `unreachable since ${clockTime(at + 60_000)} (ECONNREFUSED)`);
		assert.equal(lines[0].tone, 'error');
		assert.equal(lines.find((line) => line.label === 'pid')?.value, '-');
		assert.equal(lines.find((line) => line.label === 'bind')?.value, '-');
		assert.equal(lines.find((line) => line.label === 'probe')?.value, '-');
		state = consoleReducer(state, {type: 'connection/state', status: 'auth-failed', attempt: 2, at: at + 61_000});
		assert.match(runtimeLines(state)[0].value, /unreachable since .* \(auth failed\)/);
		state = consoleReducer(state, {type: 'connection/state', status: 'connected', attempt: 0, at: at + 62_000});
		assert.equal(runtimeLines(state)[0].value, 'running');
	});
});

describe('Runtime pane: a restart the gateway announced (its shutdown event)', () => {
	const at = Date.parse('2026-11-28T10:00:00.000Z');
	const line = (state: ConsoleState, label: string) => runtimeLines(state).find((entry) => entry.label === label);
	// An attached gateway, running, then its `shutdown` event with restartExpectedMs, then the link drops.
	function announcedAndLost(): ConsoleState {
		return reduce(
			initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', now: at}),
			{type: 'connection/state', status: 'connected', attempt: 0, at},
			{type: 'runtime/status', status: {pid: 4242, version: '9.9', uptimeMs: 5000, bind: 'loopback', host: '127.0.0.1', port: 1}, at},
			{type: 'runtime/probe', probe: {ok: true, latencyMs: 9, at}},
			{type: 'runtime/shutdown', reason: 'config change', restartExpectedMs: 1500, at: at + 1000},
			{type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 250, error: 'ECONNREFUSED', at: at + 1100},
			{type: 'clock', now: at + 2000},
		);
	}

	test('shows restarting since HH:MM:SS (reason), no stale pid or probe; the next hello-ok clears it', () => {
		let state = announcedAndLost();
		assert.deepEqual(runtimeLines(state)[0], {label: 'gateway', value: `restarting since ${clockTime(at + 1000)} (config change)`, tone: 'warn'});
		assert.equal(line(state, 'pid')?.value, '-');
		assert.equal(line(state, 'probe')?.value, '-');
		assert.ok(!runtimeLines(state).some((entry) => /^r /.test(entry.value)), 'an awaited restart needs no key yet');
		state = reduce(state, {type: 'connection/state', status: 'connected', attempt: 0, at: at + 2500}, {type: 'connection/hello', serverVersion: '9.9', uptimeMs: 100, at: at + 2500});
		assert.equal(state.runtime.announced, undefined, 'the hello-ok ends the awaited restart, before any status answer');
		assert.equal(runtimeLines(state)[0].value, 'running');
		// A later loss that nobody announced is a plain loss, not the old restart again.
		state = reduce(state, {type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 1000, error: 'ECONNREFUSED', at: at + 9000});
		assert.equal(runtimeLines(state)[0].value, `unreachable since ${clockTime(at + 9000)} (ECONNREFUSED)`);
	});

	test('a gateway that does not come back within the grace period is unreachable, did not come back, with r as the way out', () => {
		let state = announcedAndLost();
		state = reduce(state, {type: 'clock', now: at + 1000 + 1500 + awaitedRestartGraceMs - 1});
		assert.match(runtimeLines(state)[0].value, /^restarting since/);
		state = reduce(state, {type: 'clock', now: at + 1000 + 1500 + awaitedRestartGraceMs});
		const lines = runtimeLines(state);
		assert.deepEqual(lines[0], {label: 'gateway', value: `unreachable since ${clockTime(at + 1100)} (announced restart at ${clockTime(at + 1000)} did not come back)`, tone: 'error'});
		assert.equal(line(state, 'pid')?.value, '-');
		assert.ok(lines.some((entry) => entry.value === 'r reconnects now'), 'the key out is on the pane');
		assert.ok(!runtimeLines(reduce(state, {type: 'connection/state', status: 'auth-failed', attempt: 2, at: at + 70_000})).some((entry) => entry.value === 'r reconnects now'), 'a refusal names r in its own hint');
		const printed = {...state, ui: {...state.ui, interactive: false}};
		assert.ok(!runtimeLines(printed).some((entry) => /^r /.test(entry.value)), '--once names no key');
	});
});

describe('Runtime pane: an ssh gateway whose tunnel is gone', () => {
	const at = Date.parse('2026-11-28T10:00:00.000Z');
	function throughTunnel(): ConsoleState {
		return reduce(
			initialConsoleState({mode: 'ssh', sshTarget: 'ops@gw.example', now: at}),
			{type: 'tunnel/state', status: 'open', localPort: 40001, attempt: 0, at},
			{type: 'connection/state', status: 'connected', attempt: 0, at},
			{type: 'connection/hello', serverVersion: '9.9', uptimeMs: 60_000, at},
			{type: 'runtime/status', status: {pid: 4242, version: '9.9', uptimeMs: 60_000, bind: 'loopback', host: '127.0.0.1', port: 18789}, at},
			{type: 'runtime/probe', probe: {ok: true, latencyMs: 9, at}},
		);
	}

	for (const status of ['down', 'reopening', 'failed', 'closed'] as const) {
		test(`tunnel ${status}: unreachable since HH:MM:SS (tunnel ${status}), no pid, probe or uptime, and a key out`, () => {
			const running = throughTunnel();
			assert.match(runtimeLines(running).find((entry) => entry.label === 'pid')!.value, /^4242 {3}up 1m/);
			const state = reduce(
				running,
				{type: 'tunnel/state', status, error: 'ssh exited with code 255', retryInMs: status === 'reopening' ? 2000 : undefined, attempt: 1, at: at + 5000},
				{type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 500, error: 'ECONNREFUSED', at: at + 5000},
			);
			const lines = runtimeLines(state);
			assert.deepEqual(lines[0], {label: 'gateway', value: `unreachable since ${clockTime(at + 5000)} (tunnel ${status})`, tone: 'error'});
			assert.equal(lines.find((entry) => entry.label === 'pid')?.value, '-', 'no pid and no uptime');
			assert.equal(lines.find((entry) => entry.label === 'probe')?.value, '-');
			assert.equal(lines.find((entry) => entry.label === 'bind')?.value, '-');
			assert.ok(!lines.some((entry) => / up /.test(entry.value)));
			assert.ok(lines.some((entry) => entry.value === 'r reopens the tunnel now'), 'the key out');
		});
	}
});

describe('Runtime pane: a throwaway local gateway', () => {
	test('names its temporary state dir, where another terminal finds gateway.token', () => {
		let state = initialConsoleState({mode: 'local'});
		state = consoleReducer(state, {type: 'runtime/supervisor', state: {status: 'running', pid: 7, port: 4000, restarts: 0, temporaryStateDir: '/tmp/openclaw-console-abc123'}, at: 0});
		assert.equal(runtimeLines(state).find((line) => line.label === 'target')?.value, 'local, state /tmp/openclaw-console-abc123');
		state = consoleReducer(state, {type: 'runtime/supervisor', state: {status: 'running', pid: 7, port: 4000, restarts: 0}, at: 0});
		assert.equal(runtimeLines(state).find((line) => line.label === 'target')?.value, 'local child, profile default');
	});

	test('the way in for another terminal (the ? help): the token file and a command with the state dir and port', () => {
		const throwaway = (temporaryStateDir?: string) =>
			consoleReducer(initialConsoleState({mode: 'local'}), {type: 'runtime/supervisor', state: {status: 'running', pid: 7, port: 4000, restarts: 0, temporaryStateDir}, at: 0});
		assert.deepEqual(reachCommand(throwaway('/tmp/openclaw-console-abc123')), {
			stateDir: '/tmp/openclaw-console-abc123',
			tokenFile: '/tmp/openclaw-console-abc123/gateway.token',
			port: 4000,
			command: 'OPENCLAW_STATE_DIR=/tmp/openclaw-console-abc123 openclaw status --port 4000',
		});
		assert.equal(reachCommand(throwaway("/tmp/it's here"))?.command, `OPENCLAW_STATE_DIR='/tmp/it'\\''s here' openclaw status --port 4000`);
		assert.equal(reachCommand(throwaway()), undefined, 'a profile gateway: its profile is the way in');
	});
});

describe('sessions: count and last activity', () => {
	const at = Date.parse('2026-11-28T10:00:00.000Z');
	const connected = () => consoleReducer(initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', now: at}), {type: 'connection/state', status: 'connected', attempt: 0, at});
	const sessionsLine = (state: ConsoleState) => runtimeLines(state).find((line) => line.label === 'sessions')?.value;
	// OpenClaw's `status.sessions` (and ours): count, recent newest first, each with its age at answer time.
	const summary = (count: number, recent: Array<{key: string; age: number | null; updatedAt?: number | null}>) => ({
		type: 'sessions/summary' as const,
		summary: {paths: ['/s'], count, recent: recent.map((entry) => ({updatedAt: null, ...entry})), byAgent: []},
		at,
	});

	test('no line before a summary, and none from answers that carry no summary: never a made-up zero', () => {
		let state = connected();
		assert.equal(sessionsLine(state), undefined);
		for (const bad of [undefined, null, {}, {count: 'x'}, {count: -1}, {count: 1.5}, {recent: []}]) {
			state = consoleReducer(state, {type: 'sessions/summary', summary: bad, at});
		}

		assert.equal(sessionsLine(state), undefined);
		assert.equal(state.sessions.count, undefined);
	});

	test('count, the newest session by age (not list order) and how long ago, on the console clock', () => {
		let state = reduce(connected(), summary(12, [{key: 'agent:main:main', age: 600_000}, {key: 'agent:main:telegram:direct:42', age: 120_000}]));
		assert.equal(sessionsLine(state), '12 · last 2m ago (agent:main:telegram:direct:42)');
		// The gateway's clock is not ours: `age` counts from when the answer arrived, updatedAt is ignored then.
		state = reduce(connected(), summary(3, [{key: 'agent:main:a', age: 5000, updatedAt: at + 3_600_000}]));
		assert.equal(sessionsLine(state), '3 · last just now (agent:main:a)');
		state = reduce(state, {type: 'clock', now: at + 3 * 3_600_000});
		assert.equal(sessionsLine(state), '3 · last 3h ago (agent:main:a)');
		// No age: updatedAt (OpenClaw's `updatedAt|null`); neither: the count alone.
		state = reduce(connected(), summary(2, [{key: 'agent:main:b', age: null, updatedAt: at - 5 * 60_000}]));
		assert.equal(sessionsLine(state), '2 · last 5m ago (agent:main:b)');
		state = reduce(connected(), summary(4, [{key: 'agent:main:c', age: null, updatedAt: null}]));
		assert.equal(sessionsLine(state), '4');
		assert.equal(sessionsLine(reduce(connected(), summary(0, []))), '0');
	});

	test('a new summary replaces the last one (a deleted session leaves it); the same facts keep the same state object', () => {
		const first = reduce(connected(), summary(2, [{key: 'agent:main:x', age: 1000}, {key: 'agent:main:y', age: 2000}]));
		assert.equal(reduce(first, summary(2, [{key: 'agent:main:x', age: 1000}, {key: 'agent:main:y', age: 2000}])).sessions, first.sessions);
		const deleted = reduce(first, summary(1, [{key: 'agent:main:y', age: 2000}]));
		assert.equal(sessionsLine(deleted), '1 · last just now (agent:main:y)');
	});

	test('shown only over a live link: a lost gateway shows no stale count; the last line of the pane', () => {
		let state = reduce(connected(), summary(5, [{key: 'agent:main:main', age: 0}]));
		assert.equal(runtimeLines(state).at(-1)?.label, 'sessions');
		state = reduce(state, {type: 'connection/state', status: 'reconnecting', attempt: 1, retryInMs: 1000, error: 'ECONNREFUSED', at: at + 1000});
		assert.equal(sessionsLine(state), undefined);
		state = reduce(state, {type: 'connection/state', status: 'connected', attempt: 0, at: at + 2000});
		assert.equal(sessionsLine(state), '5 · last just now (agent:main:main)');
	});

	test('formatAgo: just now, minutes, hours, days', () => {
		assert.deepEqual([0, 59_999, 60_000, 59 * 60_000, 2 * 3_600_000, 50 * 3_600_000].map(formatAgo), ['just now', 'just now', '1m ago', '59m ago', '2h ago', '2d 2h ago']);
	});

	test('the reads: status carries the summary; health only where status is not served; subscribe only where advertised', async () => {
		const answers: Record<string, unknown> = {
			status: {pid: 1, sessions: {count: 7, recent: [{key: 'agent:main:main', age: 0}]}},
			health: {ok: true, sessions: {path: '/s', count: 9, recent: []}},
			'sessions.subscribe': {subscribed: true},
		};
		const asked: string[] = [];
		const reader = (methods: string[], events: string[] = ['sessions.changed']) => ({
			hello: {features: {methods, events}} as never,
			async request<T>(method: string): Promise<T> {
				asked.push(method);
				return answers[method] as T;
			},
		});
		const summaries = (actions: ConsoleAction[]) => actions.filter((action) => action.type === 'sessions/summary').map((action) => (action as {summary: {count: number}}).summary.count);
		assert.deepEqual(summaries(await readStatus(reader(['status', 'health']))), [7]);
		assert.deepEqual(summaries(await probeHealth(reader(['status', 'health']))), [], 'status says it: health is not read for it');
		assert.deepEqual(summaries(await probeHealth(reader(['health']))), [9]);
		assert.deepEqual(summaries(await readSessions(reader(['status', 'health']))), [7]);
		assert.deepEqual(summaries(await readSessions(reader(['health']))), [9]);
		asked.length = 0;
		assert.deepEqual(await readSessions(reader([])), []);
		assert.equal(await subscribeSessions(reader(['sessions.subscribe'], [])), false, 'no sessions.changed in hello-ok');
		assert.equal(await subscribeSessions(reader(['status'])), false, 'no sessions.subscribe in hello-ok');
		assert.deepEqual(asked, [], 'nothing sent that the gateway does not advertise');
		assert.equal(await subscribeSessions(reader(['sessions.subscribe'])), true);
		assert.deepEqual(asked, ['sessions.subscribe']);
		assert.deepEqual(sessionsSummary({ok: true}), []);
	});
});
