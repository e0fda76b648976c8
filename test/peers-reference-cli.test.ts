// OpenClaw's own CLI (the pinned reference package, on its Node 24, under the loopback guard) against our gateway:
// the everyday operator commands an OpenClaw user already types must work unchanged when the gateway is ours. This
// file: the reads (health, status, channels, logs, models, nodes, devices, system); peers-reference-cli-runs: what
// runs the agent (cron, agent, usage) and what reads it back.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {referenceCliAgainstOurGateway} from './helpers/reference-cli-peer.js';
import {referenceVersion} from './helpers/reference-gateway.js';

describe(`OpenClaw ${referenceVersion}'s CLI against our gateway: the reads`, {timeout: 240_000}, () => {
	const peer = referenceCliAgainstOurGateway();
	const run = peer.run.bind(peer);

	test('health: the event loop line has its utilization and CPU figures', async () => {
		const {stdout} = await run(['health']);
		assert.match(stdout, /Gateway event loop: ok max=\d+ms p99=\d+ms util=[\d.]+ cpu=[\d.]+/);
		const json = JSON.parse((await run(['health', '--json'])).stdout) as {ok: boolean; eventLoop: {utilization: number; cpuCoreRatio: number}};
		assert.equal(json.ok, true);
		assert.equal(typeof json.eventLoop.utilization, 'number');
		assert.equal(typeof json.eventLoop.cpuCoreRatio, 'number');
	});

	test('gateway status: the RPC probe connects and reads our version', async () => {
		const status = JSON.parse((await run(['gateway', 'status', '--json'])).stdout) as {rpc: {ok: boolean; url: string; version: string}};
		assert.equal(status.rpc.ok, true);
		assert.equal(status.rpc.url, `ws://127.0.0.1:${peer.instance.port}`);
		assert.match(status.rpc.version, /^\d+\.\d+\.\d+/);
	});

	test('channels status --probe and logs --limit read through our gateway', async () => {
		assert.match((await run(['channels', 'status', '--probe'])).stdout, /Gateway reachable/);
		const logs = await run(['logs', '--limit', '5']);
		assert.match(logs.stdout, /listening on ws:\/\/127\.0\.0\.1:\d+/);
	});

	test('models list: the published catalog (echo, offline) through models.list', async () => {
		assert.match((await run(['models', 'list'])).stdout, /^echo\/echo\s+text\s+-\s+yes\s+yes\s+default$/m);
	});

	test('nodes status, devices list and system heartbeat last', async () => {
		assert.match((await run(['nodes', 'status'])).stdout, /Known: 0 · Paired: 0 · Connected: 0/);
		assert.match((await run(['devices', 'list'])).stdout, /No device pairing entries/);
		assert.equal((await run(['system', 'heartbeat', 'last'])).stdout.trim(), 'null');
	});

	test('gateway call system.info', async () => {
		const info = JSON.parse((await run(['gateway', 'call', 'system.info', '--json'])).stdout) as {port: number; pid: number; nodeVersion: string};
		assert.equal(info.port, peer.instance.port);
		assert.equal(info.pid, peer.gateway.process.pid);
		assert.equal(info.nodeVersion, process.version);
	});

	test('status --all, status --deep and health --verbose read heartbeat and health from the gateway', async () => {
		// `status --all` and `--deep` always ask the npm registry for a newer OpenClaw (no switch turns it off): the
		// guard refuses it and the CLI says "npm latest unknown".
		const all = (await run(['status', '--all'], ['registry.npmjs.org'])).stdout;
		assert.match(all, /Gateway\s+│ local · ws:\/\/127\.0\.0\.1:\d+ .*reachable/);
		assert.match(all, /Inbound delivery telemetry: received/);
		const deep = (await run(['status', '--deep'], ['registry.npmjs.org'])).stdout;
		assert.match(deep, /Heartbeat\s+│ disabled \(main\)/, 'the heartbeat row is the gateway\'s, not a guess from the local config');
		assert.match(deep, /Last heartbeat\s+│ none/);
		assert.match((await run(['health', '--verbose'])).stdout, /Heartbeat interval: disabled \(main\)/);
	});
});
