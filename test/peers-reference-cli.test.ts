// OpenClaw's own CLI (the pinned reference package, on its Node 24, under the loopback guard) against our gateway:
// the everyday operator commands an OpenClaw user already types must work unchanged when the gateway is ours. The
// CLI finds the gateway as its users configure it: OPENCLAW_GATEWAY_PORT and OPENCLAW_GATEWAY_TOKEN.
import assert from 'node:assert/strict';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {freePort} from './helpers/gateway.js';
import {referenceVersion, runReferenceCli} from './helpers/reference-gateway.js';

describe(`OpenClaw ${referenceVersion}'s CLI against our gateway`, {timeout: 240_000}, () => {
	let instance: Instance;
	let gateway: GatewayProcess;
	let env: Record<string, string>;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
		gateway = await startGatewayProcess(instance);
		const home = path.join(instance.dir, 'reference-home');
		await mkdir(home, {recursive: true});
		// Its own (empty) state dir: only the port and token tie it to our gateway, as for a user's remote gateway.
		env = {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: home,
			OPENCLAW_STATE_DIR: path.join(home, '.openclaw'),
			OPENCLAW_GATEWAY_PORT: String(instance.port),
			OPENCLAW_GATEWAY_TOKEN: instance.token,
		};
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	async function run(args: string[]) {
		const result = await runReferenceCli(args, env);
		assert.deepEqual(result.guard, [], 'the reference CLI stayed on loopback');
		assert.equal(result.exitCode, 0, `openclaw ${args.join(' ')} exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
		assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /undefined|unknown method|missing scope/, `openclaw ${args.join(' ')}`);
		return result;
	}

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
		assert.equal(status.rpc.url, `ws://127.0.0.1:${instance.port}`);
		assert.match(status.rpc.version, /^\d+\.\d+\.\d+/);
	});

	test('channels status --probe and logs --limit read through our gateway', async () => {
		assert.match((await run(['channels', 'status', '--probe'])).stdout, /Gateway reachable/);
		const logs = await run(['logs', '--limit', '5']);
		assert.match(logs.stdout, /listening on ws:\/\/127\.0\.0\.1:\d+/);
	});
});
