// A fleet row between probes: the pure reducer (states, since, trend), what health says (channels, sessions, reload),
// the table and JSON fleet status prints, and the schedule (bounded concurrency, polls spread over the interval).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {fleetTable, rowJson} from '../source/fleet/format.js';
import {summarizeHealth} from '../source/fleet/health-summary.js';
import {shortReason} from '../source/fleet/reasons.js';
import {answers, clockTime, initialRow, reduceRow, restartGraceMs, sparkline, stateText, trendLength, type FleetEvent, type FleetRow} from '../source/fleet/row.js';
import {limiter, pollOffset} from '../source/fleet/schedule.js';
import {GatewayConnectError} from '../source/client/gateway-client.js';
import {GatewayError} from '../source/protocol/index.js';

const t0 = new Date(2026, 0, 5, 14, 3).getTime();
const ok = (latencyMs: number, at: number, summary = {}): FleetEvent => ({type: 'probe-ok', latencyMs, summary, at});

function run(events: FleetEvent[], row: FleetRow = initialRow('alpha', 'profile main', t0)): FleetRow {
	return events.reduce(reduceRow, row);
}

describe('row states', () => {
	test('connecting, then running on the first answer', () => {
		const row = run([{type: 'connecting', at: t0}, {type: 'hello', version: '2026.1.0', at: t0 + 5}, ok(3.2, t0 + 10)]);
		assert.equal(row.state, 'running');
		assert.equal(row.version, '2026.1.0');
		assert.equal(row.since, t0 + 10);
		assert.equal(answers(row), true);
	});

	test('unreachable keeps the time it went down while later polls fail the same way', () => {
		const down = run([ok(3, t0), {type: 'unreachable', why: 'connection refused', at: t0 + 60_000}]);
		const later = reduceRow(down, {type: 'unreachable', why: 'connection refused', at: t0 + 120_000});
		assert.equal(later, down, 'nothing changed: the same row object, nothing to redraw');
		assert.equal(stateText(later), `unreachable since ${clockTime(t0 + 60_000)} (connection refused)`);
		assert.equal(later.latencyMs, undefined);
		assert.deepEqual(later.lastError, {message: 'connection refused', at: t0 + 60_000});
		assert.equal(answers(later), false);
		const why = reduceRow(later, {type: 'unreachable', why: 'no answer', at: t0 + 180_000});
		assert.equal(why.since, t0 + 60_000, 'a new reason, same outage');
		const back = reduceRow(why, ok(4, t0 + 240_000));
		assert.equal(back.state, 'running');
		assert.equal(back.why, undefined);
		assert.equal(back.lastError?.message, 'no answer', 'the last error stays, with its time');
	});

	test('a poll starting does not turn a verdict back into connecting', () => {
		const down = run([{type: 'unreachable', why: 'x', at: t0}]);
		assert.equal(reduceRow(down, {type: 'connecting', at: t0 + 1}), down);
	});

	test('auth failed says why', () => {
		const row = run([ok(3, t0), {type: 'auth-failed', why: 'unauthorized: gateway token mismatch', at: t0 + 1}]);
		assert.equal(row.state, 'auth-failed');
		assert.equal(stateText(row), 'auth failed (unauthorized: gateway token mismatch)');
		assert.equal(answers(row), false);
	});

	test('restarting holds through the announced window, then counts as unreachable', () => {
		const restarting = run([ok(3, t0), {type: 'restarting', expectedMs: 2000, at: t0 + 1}]);
		assert.equal(restarting.state, 'restarting');
		const during = reduceRow(restarting, {type: 'unreachable', why: 'connection refused', at: t0 + 2000});
		assert.equal(during.state, 'restarting');
		const after = reduceRow(restarting, {type: 'unreachable', why: 'connection refused', at: t0 + 1 + 2000 + restartGraceMs});
		assert.equal(after.state, 'unreachable');
		assert.equal(reduceRow(restarting, ok(5, t0 + 3000)).state, 'running');
	});

	test('the trend keeps the last few latencies, oldest first', () => {
		const events = Array.from({length: trendLength + 3}, (_item, index) => ok(index + 1, t0 + index));
		const row = run(events);
		assert.equal(row.trend.length, trendLength);
		assert.deepEqual(row.trend, Array.from({length: trendLength}, (_item, index) => index + 4));
		assert.equal(sparkline([1, 5, 9]), '▁▅█');
		assert.equal(sparkline([3, 3]), '▁▁');
		assert.equal(sparkline([]), '');
	});

	test('what health says: channels ready/total, sessions, reload mode, a config error', () => {
		const summary = summarizeHealth({
			channels: {telegram: {configured: true, running: true}, discord: {configured: true, running: false, lastError: 'bad token'}, slack: {configured: false}},
			sessions: {count: 4},
			configReload: {mode: 'hybrid', configError: 'gateway.port: expected number'},
		});
		assert.deepEqual(summary, {channels: {ready: 1, total: 2}, sessions: 4, reloadMode: 'hybrid', configError: 'gateway.port: expected number'});
		assert.deepEqual(summarizeHealth({ok: true}), {}, 'no sessions field: no count, not zero');
		const row = run([ok(3, t0, summary)]);
		assert.equal(row.lastError?.message, 'config: gateway.port: expected number');
	});
});

describe('short reasons', () => {
	test('errno words, refusals, timeouts', () => {
		assert.equal(shortReason(new GatewayConnectError('Gateway not reachable at ws://x (ECONNREFUSED). Start it', 'unreachable', 'ws://x', {errno: 'ECONNREFUSED'})), 'connection refused');
		assert.equal(
			shortReason(new GatewayConnectError('unauthorized: gateway token mismatch Fix: pass', 'auth', 'ws://x', {error: {code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch'}})),
			'unauthorized: gateway token mismatch',
		);
		assert.equal(shortReason(new GatewayError({code: 'TIMEOUT', message: 'health timed out after 10 ms (ws://127.0.0.1:1)'})), 'health timed out after 10 ms');
		assert.equal(shortReason(new Error('ssh to a@b failed: Connection refused. Fix: check')), 'ssh to a@b failed: Connection refused');
	});
});

describe('fleet status output', () => {
	const rows = [
		run([{type: 'hello', version: '1.2.3', at: t0}, ok(2.5, t0, {channels: {ready: 1, total: 2}, sessions: 3, reloadMode: 'hybrid'})], initialRow('alpha', 'profile main', t0)),
		run([{type: 'unreachable', why: 'connection refused', at: t0}], initialRow('vps', 'ssh ops@vps:22 :18789', t0)),
	];

	test('a table with one row per gateway, plain without colour', () => {
		const lines = fleetTable(rows);
		assert.match(lines[0], /^NAME\s+WHERE\s+STATE\s+VERSION\s+PROBE\s+CHANNELS\s+SESSIONS\s+RELOAD\s+LAST ERROR$/);
		assert.match(lines[1], /^alpha\s+profile main\s+running\s+1\.2\.3\s+2\.5 ms ▁\s+1\/2\s+3\s+hybrid\s+-$/);
		assert.match(lines[2], /^vps\s+ssh ops@vps:22 :18789\s+unreachable since 14:03 \(connection refused\)\s+-\s+-\s+-\s+-\s+-\s+-$/);
		assert.equal(lines[1].indexOf('profile'), lines[2].indexOf('ssh'), 'columns line up');
		assert.doesNotMatch(lines.join('\n'), /\u001B/);
	});

	test('JSON rows for scripts', () => {
		const json = rowJson(rows[1]);
		assert.equal(json.ok, false);
		assert.equal(json.state, 'unreachable');
		assert.equal(json.why, 'connection refused');
		assert.equal(json.since, new Date(t0).toISOString());
		assert.deepEqual(rowJson(rows[0]).channels, {ready: 1, total: 2});
	});
});

describe('schedule', () => {
	test('at most N tasks at once, all of them run', async () => {
		const slot = limiter(3);
		let running = 0;
		let peak = 0;
		const done = await Promise.all(
			Array.from({length: 10}, async (_item, index) =>
				slot(async () => {
					running++;
					peak = Math.max(peak, running);
					await new Promise((resolve) => setTimeout(resolve, 5));
					running--;
					return index;
				}),
			),
		);
		assert.equal(peak, 3);
		assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	test('a failing task frees its slot', async () => {
		const slot = limiter(1);
		await assert.rejects(slot(async () => Promise.reject(new Error('no'))), /no/);
		assert.equal(await slot(async () => 'next'), 'next');
	});

	test('first polls spread evenly over one interval', () => {
		assert.deepEqual(Array.from({length: 4}, (_item, index) => pollOffset(index, 4, 1000)), [0, 250, 500, 750]);
		assert.equal(pollOffset(0, 1, 1000), 0);
	});
});
