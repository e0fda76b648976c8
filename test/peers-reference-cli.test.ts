// OpenClaw's own CLI (the pinned reference package, on its Node 24, under the loopback guard) against our gateway:
// the everyday operator commands an OpenClaw user already types must work unchanged when the gateway is ours. The
// CLI finds the gateway as its users configure it: OPENCLAW_GATEWAY_PORT and OPENCLAW_GATEWAY_TOKEN, and a client
// config naming the same port and token (`status` reads the gateway only when a config file exists).
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
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
		const clientState = path.join(home, '.openclaw');
		await mkdir(clientState, {recursive: true, mode: 0o700});
		// Its own state dir: only the port and token tie it to our gateway, as for a user's remote gateway.
		const clientConfig = {gateway: {mode: 'local', port: instance.port, auth: {mode: 'token', token: instance.token}}};
		await writeFile(path.join(clientState, 'openclaw.json'), JSON.stringify(clientConfig), {mode: 0o600});
		env = {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: home,
			OPENCLAW_STATE_DIR: clientState,
			OPENCLAW_GATEWAY_PORT: String(instance.port),
			OPENCLAW_GATEWAY_TOKEN: instance.token,
		};
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	/** `refused`: hosts the CLI is known to try for this command (the guard refused them; nothing left the machine). */
	async function run(args: string[], refused: string[] = []) {
		const result = await runReferenceCli(args, env);
		const escapes = result.guard.filter((entry) => !refused.some((host) => entry.split('\n')[0].endsWith(` ${host}`)));
		assert.deepEqual(escapes, [], 'the reference CLI stayed on loopback');
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

	test('models list: the published catalog (echo, offline) through models.list', async () => {
		assert.match((await run(['models', 'list'])).stdout, /^echo\/echo\s+text\s+-\s+yes\s+yes\s+default$/m);
	});

	test('cron: add, list, status, run (the job runs the agent), runs, rm', async () => {
		const added = JSON.parse((await run(['cron', 'add', '--name', 'nightly-digest', '--cron', '0 3 * * *', '--message', 'digest please', '--agent', 'main'])).stdout) as {
			id: string;
			nextRunAtMs: number;
		};
		assert.ok(added.nextRunAtMs > Date.now());
		assert.match((await run(['cron', 'list'])).stdout, new RegExp(`${added.id}.*nightly-digest.*cron 0 3 \\* \\* \\*`));
		const status = JSON.parse((await run(['cron', 'status'])).stdout) as {enabled: boolean; jobs: number; nextWakeAtMs: number};
		assert.deepEqual([status.enabled, status.jobs, status.nextWakeAtMs], [true, 1, added.nextRunAtMs]);
		assert.equal((JSON.parse((await run(['cron', 'run', added.id])).stdout) as {enqueued: boolean}).enqueued, true);
		let runs: {entries: Array<{status: string; summary?: string}>} = {entries: []};
		for (let attempt = 0; attempt < 10 && runs.entries.length === 0; attempt++) {
			runs = JSON.parse((await run(['cron', 'runs', '--id', added.id])).stdout) as typeof runs;
		}

		assert.equal(runs.entries[0]?.status, 'ok');
		assert.equal(runs.entries[0]?.summary, 'digest please', 'the echo agent answered the job');
		assert.equal((JSON.parse((await run(['cron', 'rm', added.id])).stdout) as {removed: boolean}).removed, true);
		assert.match((await run(['cron', 'list'])).stdout, /No automations/);
	});

	test('nodes status, devices list and system heartbeat last', async () => {
		assert.match((await run(['nodes', 'status'])).stdout, /Known: 0 · Paired: 0 · Connected: 0/);
		assert.match((await run(['devices', 'list'])).stdout, /No device pairing entries/);
		assert.equal((await run(['system', 'heartbeat', 'last'])).stdout.trim(), 'null');
	});

	test('gateway stability and gateway usage-cost (the cron run above counted its tokens)', async () => {
		assert.match((await run(['gateway', 'stability'])).stdout, /Events: \d+\/1000[\s\S]*diagnostic\.phase\.completed/);
		const cost = (await run(['gateway', 'usage-cost'])).stdout;
		assert.match(cost, /Usage cost \(30 days\)/);
		assert.match(cost, /Total: \$0\.0000 · [1-9]\d* tokens/);
	});

	test('agent: a turn through our gateway prints the echo agent\'s reply, in the session it named', async () => {
		assert.equal((await run(['agent', '--message', 'hello from the reference CLI', '--session-key', 'agent:main:reference-cli'])).stdout.trim(), 'hello from the reference CLI');
		const json = JSON.parse((await run(['agent', '--message', 'second turn', '--session-key', 'agent:main:reference-cli', '--json'])).stdout) as {
			status: string;
			result: {payloads: Array<{text: string}>; meta: {model: string}};
		};
		assert.equal(json.status, 'ok');
		assert.deepEqual(json.result.payloads.map((payload) => payload.text), ['second turn']);
		assert.equal(json.result.meta.model, 'echo');
		// --session-id and no session at all (the main session) are the other ways its users start a turn.
		assert.equal((await run(['agent', '--message', 'by session id', '--session-id', 'ref-cli-1'])).stdout.trim(), 'by session id');
		assert.equal((await run(['agent', '--agent', 'main', '--message', 'to the main session'])).stdout.trim(), 'to the main session');
		const list = JSON.parse((await run(['gateway', 'call', 'sessions.list', '--params', '{}', '--json'])).stdout) as {sessions: Array<{key: string; messageCount: number}>};
		assert.equal(list.sessions.find((row) => row.key === 'agent:main:reference-cli')?.messageCount, 4, 'both turns, user and assistant, in one session');
		assert.ok(list.sessions.some((row) => row.key === 'agent:main:main'));
	});

	test('sessions: runs and exits 0 (it reads the CLI\'s own local store, never the gateway: see peers-reference-sessions)', async () => {
		assert.match((await run(['sessions'])).stderr, /Sessions listed: 0/);
	});

	test('gateway call status and health carry the sessions summary the console and `health` read', async () => {
		const status = JSON.parse((await run(['gateway', 'call', 'status', '--json'])).stdout) as {sessions: {count: number; recent: Array<{key: string}>}};
		const health = JSON.parse((await run(['gateway', 'call', 'health', '--json'])).stdout) as {sessions: {count: number; recent: Array<{key: string}>}};
		const list = JSON.parse((await run(['gateway', 'call', 'sessions.list', '--params', '{}', '--json'])).stdout) as {totalCount: number};
		assert.ok(list.totalCount >= 3, 'the agent turns above made sessions');
		assert.equal(status.sessions.count, list.totalCount);
		assert.equal(health.sessions.count, list.totalCount, 'one agent: its store is all there is');
		assert.ok(status.sessions.recent.some((row) => row.key === 'agent:main:reference-cli'));
	});

	test('gateway call system.info', async () => {
		const info = JSON.parse((await run(['gateway', 'call', 'system.info', '--json'])).stdout) as {port: number; pid: number; nodeVersion: string};
		assert.equal(info.port, instance.port);
		assert.equal(info.pid, gateway.process.pid);
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
