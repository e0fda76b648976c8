// The CLI against a gateway that serves less than ours (an older or trimmed OpenClaw): each command follows its
// hello-ok (features.methods) and never sends a request it did not list. What it lacks is said where its facts would
// show; a command whose whole point is a missing method exits 1 with that, `status` still reports what it could read.
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, test} from 'node:test';
import {tempDir} from './helpers/gateway.js';
import {listingGateway, type ListingGateway} from './helpers/listing-gateway.js';
import {openclaw} from './helpers/cli-process.js';

const served = ['health', 'status'];

describe('the CLI against a gateway that serves only health and status', () => {
	let gateway: ListingGateway;
	let dir: string;
	let cleanup: () => Promise<void>;
	const run = async (args: string[]) => openclaw([...args, '--url', gateway.url, '--token', 't'], {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1'});
	/** Every method the gateway was asked for since the last test: connect, and only what it listed. */
	const asked = () => [...new Set(gateway.requested)].sort();

	before(async () => {
		gateway = await listingGateway(served, {health: {ok: true}, status: {pid: 4242, runtimeVersion: '2026.1.1-minimal'}}, {uptimeMs: 120_000});
		({dir, cleanup} = await tempDir('openclaw-cli-capabilities-'));
	});

	beforeEach(() => {
		gateway.requested.length = 0;
	});

	after(async () => {
		await gateway.close();
		await cleanup();
	});

	test('status reports what it read and says what is not served, where those facts would show', async () => {
		const result = await run(['status']);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, /^Gateway: ws:\/\/127\.0\.0\.1:\d+ reachable .*pid 4242/m);
		assert.match(result.stdout, /^Channels: channels\.status: not served by this gateway$/m);
		assert.match(result.stdout, /^Agents: agents\.list: not served by this gateway$/m);
		assert.deepEqual(asked(), ['connect', 'health', 'status']);
	});

	test('status --json: null for the unread facts and the methods named in notServed', async () => {
		const result = await run(['status', '--json']);
		assert.equal(result.exitCode, 0, result.stderr);
		const report = JSON.parse(result.stdout) as Record<string, any>;
		assert.equal(report.ok, true);
		assert.equal(report.gateway.pid, 4242);
		assert.equal(report.channels, null);
		assert.equal(report.agents, null);
		assert.deepEqual(report.notServed, ['channels.status', 'agents.list']);
		assert.deepEqual(asked(), ['connect', 'health', 'status']);
	});

	test('logs without logs.tail exits 1 and says so, asking for nothing but connect', async () => {
		const result = await run(['logs', '--limit', '5']);
		assert.equal(result.exitCode, 1, result.stdout);
		assert.match(result.stderr, /logs\.tail: not served by this gateway/);
		assert.deepEqual(asked(), ['connect']);
		const json = await run(['logs', '--json']);
		assert.equal(json.exitCode, 1);
		const report = JSON.parse(json.stdout) as Record<string, any>;
		assert.equal(report.ok, false);
		assert.deepEqual(report.notServed, ['logs.tail']);
		assert.match(report.error.message, /^logs\.tail: not served by this gateway$/);
		assert.deepEqual(asked(), ['connect']);
	});

	test('channels status and pairing list without their methods exit 1 and say so', async () => {
		const channels = await run(['channels', 'status']);
		assert.equal(channels.exitCode, 1, channels.stdout);
		assert.match(channels.stderr, /channels\.status: not served by this gateway/);
		const pairing = await run(['pairing', 'list']);
		assert.equal(pairing.exitCode, 1, pairing.stdout);
		assert.match(pairing.stderr, /channels\.pairing\.list: not served by this gateway/);
		assert.deepEqual(asked(), ['connect']);
	});

	test('health, gateway probe and gateway status use what is served', async () => {
		const health = await run(['health', '--json']);
		assert.equal(health.exitCode, 0, health.stderr);
		assert.equal((JSON.parse(health.stdout) as {ok: boolean}).ok, true);
		const probe = await run(['gateway', 'probe']);
		assert.equal(probe.exitCode, 0, `${probe.stdout}\n${probe.stderr}`);
		const status = await run(['gateway', 'status', '--json']);
		assert.equal((JSON.parse(status.stdout) as {rpc: {ok: boolean}}).rpc.ok, true, status.stdout);
		assert.deepEqual(asked(), ['connect', 'health', 'status']);
	});
});

describe('the CLI against a gateway that serves neither health nor status', () => {
	let gateway: ListingGateway;
	let dir: string;
	let cleanup: () => Promise<void>;
	const run = async (args: string[]) => openclaw([...args, '--url', gateway.url, '--token', 't'], {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1'});

	before(async () => {
		gateway = await listingGateway(['channels.status'], {'channels.status': {channels: {}, channelAccounts: {}}}, {uptimeMs: 60_000});
		({dir, cleanup} = await tempDir('openclaw-cli-capabilities-'));
	});

	after(async () => {
		await gateway.close();
		await cleanup();
	});

	test('status still succeeds with the hello-ok facts; health, gateway status and gateway probe say what is missing', async () => {
		const status = await run(['status', '--json']);
		assert.equal(status.exitCode, 0, `${status.stdout}\n${status.stderr}`);
		const report = JSON.parse(status.stdout) as Record<string, any>;
		assert.equal(report.gateway.version, '2026.1.1-minimal');
		assert.deepEqual(report.notServed, ['status', 'agents.list', 'health']);
		const text = await run(['status']);
		assert.equal(text.exitCode, 0, text.stderr);
		assert.match(text.stdout, /status: not served by this gateway/);
		const health = await run(['health']);
		assert.equal(health.exitCode, 1);
		assert.match(health.stderr, /^health: not served by this gateway$/m);
		// gateway status: connected and running by its hello-ok; the status probe itself was not sent.
		const gatewayStatus = await run(['gateway', 'status']);
		assert.equal(gatewayStatus.exitCode, 1);
		assert.match(gatewayStatus.stdout, /^Runtime: running \(uptime 1m, version 2026\.1\.1-minimal\)$/m);
		assert.match(gatewayStatus.stdout, /^RPC probe: failed: status: not served by this gateway$/m);
		const probe = await run(['gateway', 'probe']);
		assert.equal(probe.exitCode, 1);
		assert.match(probe.stdout, /health: not served by this gateway/);
		assert.deepEqual([...new Set(gateway.requested)].sort(), ['channels.status', 'connect']);
	});
});
