// One reading of a `status` answer for the console's Runtime pane and the CLI (source/client/status-facts.ts): ours,
// a real OpenClaw gateway's (no `gateway` section, `runtimeVersion`), and garbage, which gives no facts rather than
// wrong ones.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {statusRuntimeFacts} from '../source/client/status-facts.js';
import {runtimeFromStatus} from '../source/commands/gateway-status-report.js';

test('our status: process, version and where it listens', () => {
	assert.deepEqual(
		statusRuntimeFacts({pid: 42, version: '0.1.0', uptimeMs: 1500, gateway: {bind: 'loopback', host: '127.0.0.1', port: 18789, reloadMode: 'hybrid'}}),
		{pid: 42, version: '0.1.0', uptimeMs: 1500, bind: 'loopback', host: '127.0.0.1', port: 18789, reloadMode: 'hybrid'},
	);
});

test("OpenClaw's status: runtimeVersion, nothing about the listener; the CLI falls back to the hello for uptime", () => {
	const facts = statusRuntimeFacts({runtimeVersion: '2026.9.6', sessions: {count: 1}});
	assert.equal(facts.version, '2026.9.6');
	assert.equal(facts.bind, undefined);
	assert.equal(facts.port, undefined);
	const runtime = runtimeFromStatus({runtimeVersion: '2026.9.6'}, {snapshot: {uptimeMs: 9000}, server: {version: 'x'}} as never);
	assert.equal(runtime.status, 'running');
	assert.equal(runtime.uptimeMs, 9000);
	assert.equal(runtime.version, '2026.9.6', 'the status answer wins over the hello');
});

test('wrong types and non-objects give no facts', () => {
	assert.deepEqual(
		Object.values(statusRuntimeFacts({pid: '42', version: 7, uptimeMs: Number.NaN, gateway: {port: '18789', bind: ''}})).filter((value) => value !== undefined),
		[],
	);
	assert.deepEqual(Object.values(statusRuntimeFacts(null)).filter((value) => value !== undefined), []);
	assert.deepEqual(Object.values(statusRuntimeFacts([1, 2])).filter((value) => value !== undefined), []);
});
