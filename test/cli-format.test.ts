// The pure parts of the operator CLI: log line rendering, channel lines, health and status text, durations.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatDuration} from '../source/cli-output/duration.js';
import {accountBits, formatChannelRow, readiness, rowsFromChannelsStatus} from '../source/commands/channel-lines.js';
import {capabilityFor, formatStatusReport, runtimeFromStatus, type StatusReport} from '../source/commands/gateway-status-report.js';
import {configErrorOf, formatHealth} from '../source/commands/health-report.js';
import {configLine} from '../source/commands/status-report.js';
import {formatLogLine, formatTime, parseLogLine, passesLevel, tailNotices} from '../source/commands/logs-format.js';

describe('log lines', () => {
	it('renders our JSON lines as <time> <LEVEL> <subsystem> <message> {fields}', () => {
		const line = JSON.stringify({time: '2026-11-25T10:00:00.000Z', level: 'warn', subsystem: 'gateway/ws', message: 'slow call', fields: {ms: 812}});
		assert.equal(formatLogLine(parseLogLine(line), {utc: true}), '2026-11-25T10:00:00.000Z WARN  gateway/ws slow call {"ms":812}');
	});

	it("renders OpenClaw's tslog records (numbered args, _meta)", () => {
		const line = JSON.stringify({
			0: JSON.stringify({subsystem: 'gateway'}),
			1: 'starting...',
			_meta: {logLevelName: 'INFO', date: '2026-11-24T22:40:03.671Z', name: JSON.stringify({subsystem: 'gateway'})},
		});
		const parsed = parseLogLine(line);
		assert.deepEqual(parsed, {type: 'log', time: '2026-11-24T22:40:03.671Z', level: 'info', subsystem: 'gateway', message: 'starting...'});
		assert.equal(formatLogLine(parsed, {utc: true}), '2026-11-24T22:40:03.671Z INFO  gateway starting...');
	});

	it('passes non-JSON lines through raw', () => {
		assert.deepEqual(parseLogLine('plain text from stderr'), {type: 'raw', line: 'plain text from stderr'});
		assert.deepEqual(parseLogLine('{broken json'), {type: 'raw', line: '{broken json'});
		assert.equal(formatLogLine(parseLogLine('[1, 2]'), {utc: true}), '[1, 2]');
	});

	it('filters by level: the given level and worse; raw lines always pass', () => {
		const at = (level: string) => parseLogLine(JSON.stringify({level, message: 'x'}));
		assert.equal(passesLevel(at('error'), 'warn'), true);
		assert.equal(passesLevel(at('warn'), 'warn'), true);
		assert.equal(passesLevel(at('info'), 'warn'), false);
		assert.equal(passesLevel(parseLogLine('raw'), 'error'), true);
		assert.equal(passesLevel(at('debug'), undefined), true);
	});

	it('prints local time with its offset, and unparseable times as given', () => {
		assert.match(formatTime('2026-11-25T10:00:00.000Z', false), /^2026-11-2\dT\d\d:\d\d:00\.000[+-]\d\d:\d\d$/);
		assert.equal(formatTime('yesterday', false), 'yesterday');
		assert.equal(formatTime(undefined, true), '-');
	});

	it('turns tail flags into the stderr notices', () => {
		assert.deepEqual(tailNotices({truncated: true, reset: true, skippedBytes: 42}), [
			'Log cursor reset (file rotated).',
			'Log cursor re-anchored (skipped 42 bytes).',
			'Log tail truncated (increase --limit or --max-bytes).',
		]);
		assert.deepEqual(tailNotices({}), []);
	});
});

describe('channel lines', () => {
	const payload = {
		channelOrder: ['telegram', 'webhook'],
		channelLabels: {telegram: 'Telegram', webhook: 'Webhook'},
		channelAccounts: {
			telegram: [{accountId: 'default', enabled: true, configured: true, running: true, connected: true, probe: {ok: true, elapsedMs: 41.6}}],
			webhook: [{accountId: 'ops', enabled: true, configured: true, running: true, connected: false, lastError: 'HTTP 503', probe: {ok: false, elapsedMs: 3, error: 'HTTP 503'}}],
		},
	};

	it('one row per account, in channelOrder, with the readiness bits present', () => {
		const rows = rowsFromChannelsStatus(payload);
		assert.deepEqual(rows.map(formatChannelRow), [
			'- Telegram: enabled, configured, running, connected, works (42 ms)',
			'- Webhook ops: enabled, configured, running, disconnected, probe failed (3 ms): HTTP 503',
		]);
		assert.deepEqual(rows.map((row) => readiness(row.account)), ['ready', 'failing']);
	});

	it('--channel keeps one channel; unknown fields are ignored; disabled is off', () => {
		assert.equal(rowsFromChannelsStatus(payload, 'webhook').length, 1);
		assert.deepEqual(accountBits({configured: false}), ['not configured']);
		assert.equal(readiness({enabled: false}), 'off');
		assert.deepEqual(rowsFromChannelsStatus(undefined), []);
	});
});

describe('health and status text', () => {
	it('summarises health: channels, reload, config error, event loop, agents, sessions', () => {
		const lines = formatHealth(
			{
				ok: true,
				uptimeMs: 65_000,
				channels: {webhook: {configured: true, running: true}},
				channelOrder: ['webhook'],
				channelLabels: {webhook: 'Webhook'},
				configReload: {hotReloadStatus: 'active', mode: 'hybrid', lastError: 'gateway.port: expected number'},
				eventLoop: {degraded: false, delayP99Ms: 2.5, delayMaxMs: 9},
				agents: [{agentId: 'main', isDefault: true}],
				sessions: {path: '/s/sessions.json', count: 3},
			},
			7,
		);
		assert.deepEqual(lines, [
			'Gateway Health: OK (7 ms)',
			'Uptime: 1m 5s',
			'Channels:',
			'  - Webhook: configured, running',
			'Config reload: active (mode hybrid)',
			'Config error: gateway.port: expected number (the gateway keeps running on the last good config; fix the file)',
			'Event loop: ok (p99 2.5 ms, max 9 ms)',
			'Agents: main (default)',
			'Sessions: 3 (/s/sessions.json)',
		]);
	});

	it('finds the config error wherever the gateway reports it', () => {
		assert.equal(configErrorOf({configReload: {error: {message: 'bad json'}}}), 'bad json');
		assert.equal(configErrorOf({configError: 'x'}), 'x');
		assert.equal(configErrorOf({}), undefined);
	});

	it('reads runtime facts from our status payload and from a real OpenClaw one', () => {
		const hello = {snapshot: {uptimeMs: 5000}, server: {version: '2026.9.6'}} as any;
		assert.deepEqual(runtimeFromStatus({pid: 9, uptimeMs: 1000, version: '0.1.0', gateway: {bind: 'loopback', host: '127.0.0.1', port: 18789}}, hello), {
			status: 'running',
			pid: 9,
			uptimeMs: 1000,
			version: '0.1.0',
			bind: 'loopback',
			host: '127.0.0.1',
			port: 18789,
		});
		const real = runtimeFromStatus({pid: 13497, runtimeVersion: '2026.9.6'}, hello);
		assert.equal(real.version, '2026.9.6');
		assert.equal(real.uptimeMs, 5000);
		assert.equal(capabilityFor(['operator.admin']), 'admin-capable');
		assert.equal(capabilityFor(['operator.read']), 'read-only');
		assert.equal(capabilityFor([]), 'connected-no-operator-scope');
	});

	it('a failed probe names the problem and points at doctor', () => {
		const report: StatusReport = {
			ok: false,
			service: {manager: 'detached', label: 'openclaw-gateway', installed: false, running: false, definitionFile: '/d', detail: 'not installed'},
			config: {path: '/c.json', exists: true, valid: true},
			gateway: {bindMode: 'loopback', bindHost: '127.0.0.1', port: 18789, portSource: 'default', probeUrl: 'ws://127.0.0.1:18789', urlSource: 'local'},
			runtime: {status: 'unreachable'},
			rpc: {ok: false, kind: 'read', method: 'status', error: {kind: 'unreachable', message: 'Gateway not reachable at ws://127.0.0.1:18789 (ECONNREFUSED).', url: 'ws://127.0.0.1:18789'}},
			listening: {port: 18789, pids: []},
		};
		assert.deepEqual(formatStatusReport(report), [
			'Service: openclaw-gateway (detached; not installed)',
			'Config: /c.json',
			'Gateway: bind=loopback (127.0.0.1), port=18789 (default)',
			'Probe target: ws://127.0.0.1:18789',
			'Runtime: unknown (gateway not reachable)',
			'RPC probe: failed: Gateway not reachable at ws://127.0.0.1:18789 (ECONNREFUSED).',
			'Listening: nothing on port 18789',
			'Troubles: run openclaw doctor',
		]);
	});

	it('durations: two units at most', () => {
		assert.equal(formatDuration(850), '850 ms');
		assert.equal(formatDuration(45_000), '45s');
		assert.equal(formatDuration(3_725_000), '1h 2m');
		assert.equal(formatDuration(90_061_000), '1d 1h');
		assert.equal(formatDuration(3_600_000), '1h');
	});
});

describe('status: the Config line', () => {
	it("names the file for the local gateway, and never a local file as another gateway's config", () => {
		assert.equal(configLine('local', '/s/openclaw.json'), 'Config: /s/openclaw.json');
		assert.equal(configLine('local', '/s/openclaw.json', 'bad JSON5'), 'Config: /s/openclaw.json (invalid locally: bad JSON5)');
		assert.equal(configLine('cli', '/s/openclaw.json'), "Config: on the gateway's host (--url target; /s/openclaw.json is not its config)");
		assert.equal(configLine('env', '/s/openclaw.json'), "Config: on the gateway's host (OPENCLAW_GATEWAY_URL target; /s/openclaw.json is not its config)");
		assert.equal(configLine('remote-config', '/s/openclaw.json'), "Config: on the gateway's host (this client's gateway.remote from /s/openclaw.json)");
	});
});
