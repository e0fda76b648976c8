// gateway probe, gateway status --require-rpc and its Capability line, against a real gateway process and against
// none (issues 16 and 10).
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

describe('gateway probe / status --require-rpc against a running gateway', () => {
	let instance: Instance;
	let gateway: GatewayProcess;

	before(async () => {
		const port = await freePort();
		instance = await makeInstance({port});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	it('gateway probe: reachable, auth ok, version, health ok, exit 0', async () => {
		const result = await openclaw(['gateway', 'probe'], instance.env);
		assert.equal(result.exitCode, 0, result.stdout + result.stderr);
		assert.match(result.stdout, new RegExp(`^Probe target: ws://127\\.0\\.0\\.1:${instance.port}\\n`));
		assert.match(result.stdout, /^Reachable: yes \(connect \d+ ms\)$/m);
		assert.match(result.stdout, /^Auth: ok \(token; role operator\)$/m);
		assert.match(result.stdout, /^Version: \S+ \(protocol 4\)$/m);
		assert.match(result.stdout, /^Health: ok \(\d+ ms\)$/m);
	});

	it('gateway probe --json: the same as data; the probe-mode connect is granted no scopes', async () => {
		const result = await openclaw(['gateway', 'probe', '--json'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.equal(report.ok, true);
		assert.equal(report.reachable, true);
		assert.equal(report.url, `ws://127.0.0.1:${instance.port}`);
		assert.equal(typeof report.latencyMs, 'number');
		assert.equal(typeof report.connectMs, 'number');
		assert.equal(report.protocol, 4);
		assert.equal(typeof report.version, 'string');
		assert.deepEqual(report.auth, {status: 'ok', method: 'token', role: 'operator', scopes: []});
		assert.deepEqual(report.health, {ok: true});
	});

	it('gateway probe with a wrong token: reachable, auth refused with the reason and the fix, exit 1', async () => {
		const text = await openclaw(['gateway', 'probe', '--token', 'not-the-token'], instance.env);
		assert.equal(text.exitCode, 1);
		assert.match(text.stdout, /^Reachable: yes/m);
		assert.match(text.stdout, /^Auth: refused: unauthorized: gateway token mismatch.*Fix: pass the gateway token with --token/m);
		assert.doesNotMatch(text.stdout, /^Health:/m);
		const json = JSON.parse((await openclaw(['gateway', 'probe', '--json', '--token', 'not-the-token'], instance.env)).stdout);
		assert.equal(json.ok, false);
		assert.equal(json.reachable, true);
		assert.equal(json.auth.status, 'refused');
		assert.equal(json.auth.code, 'INVALID_REQUEST');
		assert.equal(json.error.kind, 'auth');
	});

	it('gateway status reports the capability the gateway granted: admin-capable for the shared token', async () => {
		const text = await openclaw(['gateway', 'status'], instance.env);
		assert.equal(text.exitCode, 0, text.stderr);
		assert.match(text.stdout, /^Capability: admin-capable$/m);
		const report = JSON.parse((await openclaw(['gateway', 'status', '--json'], instance.env)).stdout);
		assert.equal(report.rpc.capability, 'admin-capable');
		assert.ok(report.rpc.auth.scopes.includes('operator.admin'), report.rpc.auth.scopes.join(','));
	});

	it('gateway status --require-rpc exits 0 when the RPC probe succeeds, 1 when auth is refused', async () => {
		const ok = await openclaw(['gateway', 'status', '--require-rpc'], instance.env);
		assert.equal(ok.exitCode, 0, ok.stderr);
		assert.match(ok.stdout, /RPC probe: ok/);
		const refused = await openclaw(['gateway', 'status', '--require-rpc', '--token', 'not-the-token'], instance.env);
		assert.equal(refused.exitCode, 1);
		assert.match(refused.stdout, /RPC probe: failed: unauthorized/);
	});

	it('--help documents the exit codes of probe and --require-rpc', async () => {
		const probeHelp = await openclaw(['gateway', 'probe', '--help'], instance.env);
		assert.equal(probeHelp.exitCode, 0);
		assert.match(probeHelp.stdout, /Usage: openclaw gateway probe/);
		assert.match(probeHelp.stdout, /Exit codes: 0 reachable and authenticated/);
		const statusHelp = await openclaw(['gateway', 'status', '--help'], instance.env);
		assert.match(statusHelp.stdout, /--require-rpc +Exit 1 unless the RPC probe succeeds/);
		assert.match(statusHelp.stdout, /Exit codes: 0 the RPC probe succeeded; 1 it failed/);
		const typo = await openclaw(['gateway', 'prbe'], instance.env);
		assert.equal(typo.exitCode, 2);
		assert.match(typo.stderr, /Did you mean "probe"\?/);
	});
});

describe('gateway probe / status --require-rpc with no gateway', () => {
	let instance: Instance;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
	});

	after(async () => {
		await instance?.cleanup();
	});

	it('gateway probe: not reachable, naming the URL, exit 1, fast', async () => {
		const result = await openclaw(['gateway', 'probe'], instance.env);
		assert.equal(result.exitCode, 1);
		assert.match(result.stdout, new RegExp(`^Reachable: no: Gateway not reachable at ws://127\\.0\\.0\\.1:${instance.port} \\(ECONNREFUSED\\)`, 'm'));
		assert.ok(result.ms < 5000, `took ${result.ms} ms`);
		const json = JSON.parse((await openclaw(['gateway', 'probe', '--json'], instance.env)).stdout);
		assert.equal(json.ok, false);
		assert.equal(json.reachable, false);
		assert.deepEqual(json.auth, {status: 'not-tried'});
		assert.equal(json.error.kind, 'unreachable');
	});

	it('gateway status --require-rpc: exit 1', async () => {
		const result = await openclaw(['gateway', 'status', '--require-rpc', '--json'], instance.env);
		assert.equal(result.exitCode, 1);
		assert.equal(JSON.parse(result.stdout).rpc.ok, false);
	});
});
