// The operator commands against a real gateway process: up, down, wrong token, wrong port, bad usage.
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import net, {type AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {gatewayWithWebhookPerSuite} from './helpers/webhook-gateway.js';
import {makeInstance, openclaw, type Instance} from './helpers/cli-process.js';

describe('operator CLI against a running gateway', () => {
	const suite = gatewayWithWebhookPerSuite('cli-gateway-test-token');


	it('gateway status prints the healthy baseline and exits 0', async () => {
		const result = await openclaw(['gateway', 'status'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`Runtime: running \\(pid ${suite.gateway().process.pid}, uptime .+, version .+, bind loopback, port ${suite.instance().port}\\)`));
		assert.match(result.stdout, /RPC probe: ok \(\d+ ms\)/);
		assert.match(result.stdout, new RegExp(`Gateway: bind=loopback \\(127\\.0\\.0\\.1\\), port=${suite.instance().port} \\(config\\)`));
		assert.match(result.stdout, new RegExp(`Probe target: ws://127\\.0\\.0\\.1:${suite.instance().port}`));
		assert.match(result.stdout, new RegExp(`Listening: port ${suite.instance().port} \\(pid ${suite.gateway().process.pid}\\)`));
		assert.match(result.stdout, /Service: openclaw-gateway \(detached; not installed\)/);
		assert.match(result.stdout, new RegExp(`Config: ${suite.instance().configPath.replaceAll('.', '\\.')}`));
	});

	it('gateway stop leaves a foreground gateway alone and says where it runs', async () => {
		const result = await openclaw(['gateway', 'stop'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, /Gateway service not running \(detached\)\./);
		assert.match(result.stdout, new RegExp(`A gateway not started by the service listens on port ${suite.instance().port} \\(pid ${suite.gateway().process.pid}\\)`));
		assert.equal((await openclaw(['health'], suite.instance().env)).exitCode, 0, 'still running');
	});

	it('gateway status --json is a stable object', async () => {
		const result = await openclaw(['gateway', 'status', '--json'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.equal(report.ok, true);
		assert.equal(report.runtime.status, 'running');
		assert.equal(report.runtime.pid, suite.gateway().process.pid);
		assert.equal(report.runtime.port, suite.instance().port);
		assert.equal(report.rpc.ok, true);
		assert.equal(report.rpc.kind, 'read');
		assert.equal(typeof report.rpc.latencyMs, 'number');
		assert.equal(report.rpc.capability, 'admin-capable');
		assert.equal(report.gateway.portSource, 'config');
		assert.equal(report.config.valid, true);
		assert.equal(report.service.manager, 'detached');
		assert.deepEqual(report.listening, {port: suite.instance().port, pids: [suite.gateway().process.pid]});
	});

	it('health prints a summary; --json the raw payload', async () => {
		const text = await openclaw(['health'], suite.instance().env);
		assert.equal(text.exitCode, 0, text.stderr);
		assert.match(text.stdout, /^Gateway Health: OK \(\d+ ms\)/);
		assert.match(text.stdout, /Uptime: /);
		assert.match(text.stdout, /Config reload: /);
		assert.match(text.stdout, /Event loop: ok/);
		const json = await openclaw(['gateway', 'health', '--json'], suite.instance().env);
		assert.equal(json.exitCode, 0, json.stderr);
		const payload = JSON.parse(json.stdout);
		assert.equal(payload.ok, true);
		assert.equal(typeof payload.uptimeMs, 'number');
		assert.ok(payload.configReload, 'health carries the reload state');
		assert.ok(payload.eventLoop, 'health carries the event loop delay');
	});

	it('status prints one screen: gateway, channels, agents, sessions', async () => {
		const result = await openclaw(['status'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`Gateway: ws://127\\.0\\.0\\.1:${suite.instance().port} reachable \\(\\d+ ms\\); pid ${suite.gateway().process.pid}`));
		assert.match(result.stdout, /Channels: /);
		assert.match(result.stdout, /Agents: main \(default/);
		assert.match(result.stdout, /Sessions: \d+/);
		const json = JSON.parse((await openclaw(['status', '--json'], suite.instance().env)).stdout);
		assert.equal(json.ok, true);
		assert.equal(json.gateway.reachable, true);
		assert.ok(Array.isArray(json.channels));
	});

	it('channels status: "Gateway reachable." then a line per channel', async () => {
		const result = await openclaw(['channels', 'status'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, /^Gateway reachable\.\n- Webhook: enabled, configured/);
		const json = JSON.parse((await openclaw(['channels', 'status', '--json'], suite.instance().env)).stdout);
		assert.equal(json.gatewayReachable, true);
		assert.deepEqual(json.channelOrder, ['webhook']);
		assert.equal(json.channelAccounts.webhook[0].accountId, 'default');
	});

	it('channels status --probe runs the live probe: works, or probe failed with exit 1', async () => {
		suite.setHookStatus(200);
		const ok = await openclaw(['channels', 'status', '--probe'], suite.instance().env);
		assert.equal(ok.exitCode, 0, ok.stdout + ok.stderr);
		assert.match(ok.stdout, /- Webhook: .*works \(\d+ ms\)/);
		suite.setHookStatus(503);
		const failed = await openclaw(['channels', 'status', '--probe'], suite.instance().env);
		assert.equal(failed.exitCode, 1);
		assert.match(failed.stdout, /- Webhook: .*probe failed \(\d+ ms\): .*503/);
		suite.setHookStatus(200);
	});

	it('logs prints the tail rendered as <time> <LEVEL> <subsystem> <message>', async () => {
		const result = await openclaw(['logs', '--limit', '50'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stderr, /Log file: .+/);
		assert.match(result.stdout, /^\S+T\S+ INFO +gateway\S* listening on ws:\/\/127\.0\.0\.1:\d+/m);
		const json = await openclaw(['logs', '--json', '--limit', '5'], suite.instance().env);
		const records = json.stdout.trim().split('\n').map((line) => JSON.parse(line));
		assert.equal(records[0].type, 'meta');
		// After the file's meta line: records, and a notice when the tail was cut to the limit.
		assert.ok(records.slice(1).every((record) => record.type === 'log' || record.type === 'raw' || record.type === 'notice'), json.stdout);
		assert.ok(records.some((record) => record.type === 'log'), json.stdout);
		const errorsOnly = await openclaw(['logs', '--level', 'error'], suite.instance().env);
		assert.equal(errorsOnly.exitCode, 0);
		assert.doesNotMatch(errorsOnly.stdout, / INFO /);
	});

	it('gateway call <method> prints the answer as JSON; an unknown method is an error with its code; bad --params is usage', async () => {
		const health = await openclaw(['gateway', 'call', 'health'], suite.instance().env);
		assert.equal(health.exitCode, 0, health.stderr);
		assert.equal(JSON.parse(health.stdout).ok, true);
		const probed = await openclaw(['gateway', 'call', 'channels.status', '--params', '{"probe": false}'], suite.instance().env);
		assert.equal(probed.exitCode, 0, probed.stderr);
		assert.ok(JSON.parse(probed.stdout).channelAccounts.webhook);
		const unknown = await openclaw(['gateway', 'call', 'no.such.method'], suite.instance().env);
		assert.equal(unknown.exitCode, 1);
		assert.equal(JSON.parse(unknown.stdout).error.code, 'INVALID_REQUEST');
		const badParams = await openclaw(['gateway', 'call', 'health', '--params', '[1]'], suite.instance().env);
		assert.equal(badParams.exitCode, 2);
		assert.match(badParams.stderr, /--params must be a JSON object/);
	});

	it('a wrong token fails with the auth error and the fix, exit 1', async () => {
		const result = await openclaw(['gateway', 'status', '--token', 'not-the-token'], suite.instance().env);
		assert.equal(result.exitCode, 1);
		assert.match(result.stdout, /Runtime: unknown \(auth failed\)/);
		assert.match(result.stdout, /RPC probe: failed: unauthorized: gateway token mismatch/);
		assert.match(result.stdout, /Fix: pass the gateway token with --token or OPENCLAW_GATEWAY_TOKEN/);
		const health = await openclaw(['health', '--json'], {...suite.instance().env, OPENCLAW_GATEWAY_TOKEN: 'nope'});
		assert.equal(health.exitCode, 1);
		assert.equal(JSON.parse(health.stdout).error.kind, 'auth');
	});

	it('--url needs explicit credentials (usage error, exit 2)', async () => {
		const result = await openclaw(['health', '--url', `ws://127.0.0.1:${suite.instance().port}`], suite.instance().env);
		assert.equal(result.exitCode, 2);
		assert.match(result.stderr, /gateway url override requires explicit credentials/);
		const ok = await openclaw(['health', '--url', `ws://127.0.0.1:${suite.instance().port}`, '--token', suite.instance().token], suite.instance().env);
		assert.equal(ok.exitCode, 0, ok.stderr);
	});

	it('bad flags are usage errors (exit 2); --help exits 0', async () => {
		assert.equal((await openclaw(['gateway', 'status', '--no-such-flag'], suite.instance().env)).exitCode, 2);
		assert.equal((await openclaw(['logs', '--limit', 'lots'], suite.instance().env)).exitCode, 2);
		assert.equal((await openclaw(['logs', '--level', 'loud'], suite.instance().env)).exitCode, 2);
		assert.equal((await openclaw(['health', '--timeout', '-5'], suite.instance().env)).exitCode, 2);
		const help = await openclaw(['gateway', 'status', '--help'], suite.instance().env);
		assert.equal(help.exitCode, 0);
		assert.match(help.stdout, /Usage: openclaw gateway status/);
	});

	it('a broken config file shows up in health and doctor while the gateway keeps running', async () => {
		const good = await readFile(suite.instance().configPath, 'utf8');
		await writeFile(suite.instance().configPath, '{gateway: {mode: "local", port: "not a port"}}');
		// The CLI cannot read the token from the broken file either: it says so, and takes one from the env.
		const withToken = {...suite.instance().env, OPENCLAW_GATEWAY_TOKEN: suite.instance().token};
		try {
			const unauthorized = await openclaw(['health', '--port', String(suite.instance().port)], suite.instance().env);
			assert.equal(unauthorized.exitCode, 1);
			assert.match(unauthorized.stderr, /Note: the local config could not be read, so its gateway\.auth\.token was not used: .*gateway\.port/);
			const deadline = Date.now() + 15_000;
			let health: any;
			do {
				await new Promise((resolve) => setTimeout(resolve, 200));
				health = JSON.parse((await openclaw(['health', '--json', '--port', String(suite.instance().port)], withToken)).stdout);
			} while (!health.configReload?.configError && Date.now() < deadline);
			assert.match(health.configReload.configError, /gateway\.port/);
			const text = await openclaw(['health', '--port', String(suite.instance().port)], withToken);
			assert.equal(text.exitCode, 0);
			assert.match(text.stdout, /Config error: .*gateway\.port.*keeps running on the last good config/);
			const doctor = await openclaw(['doctor'], suite.instance().env);
			assert.equal(doctor.exitCode, 1);
			assert.match(doctor.stdout, /\[fail\] config: config .* is invalid: gateway\.port: expected number/);
		} finally {
			await writeFile(suite.instance().configPath, good);
		}
	});

	it('gateway restart restarts a reachable gateway in-process, even one started in the foreground', async () => {
		const result = await openclaw(['gateway', 'restart'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`Restarted gateway in-process \\(pid ${suite.gateway().process.pid}\\)`));
		const status = JSON.parse((await openclaw(['gateway', 'status', '--json'], suite.instance().env)).stdout);
		assert.equal(status.ok, true);
		assert.equal(status.runtime.pid, suite.gateway().process.pid);
	});
});

describe('operator CLI with no gateway', () => {
	let instance: Instance;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
	});

	after(async () => {
		await instance?.cleanup();
	});

	for (const args of [['gateway', 'status'], ['health'], ['gateway', 'health'], ['status'], ['channels', 'status'], ['logs']]) {
		it(`${args.join(' ')} fails fast, naming the URL, exit 1`, async () => {
			const result = await openclaw(args, instance.env);
			assert.equal(result.exitCode, 1);
			const url = `ws://127.0.0.1:${instance.port}`;
			assert.match(`${result.stdout}${result.stderr}`, new RegExp(`Gateway not reachable at ${url} \\(ECONNREFUSED\\)`));
			// Whole process, including Node start-up, on a shared 2-core machine: generous, yet far from a connect timeout.
			assert.ok(result.ms < 5000, `took ${result.ms} ms`);
		});
	}

	it('a port that accepts but never answers times out after --timeout, and says so', async () => {
		const silent = net.createServer(() => {});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const {port} = silent.address() as AddressInfo;
		try {
			const result = await openclaw(['gateway', 'status', '--port', String(port), '--timeout', '700'], instance.env);
			assert.equal(result.exitCode, 1);
			assert.match(result.stdout, /Runtime: unknown \(timed out\)/);
			assert.match(result.stdout, new RegExp(`RPC probe: timed out: timed out after 700 ms connecting to ws://127\\.0\\.0\\.1:${port}`));
			const health = await openclaw(['health', '--json', '--port', String(port), '--timeout', '700'], instance.env);
			assert.equal(JSON.parse(health.stdout).error.kind, 'timeout');
		} finally {
			silent.close();
		}
	});

	it('a wrong --port is just another unreachable URL', async () => {
		const port = await freePort();
		const result = await openclaw(['gateway', 'status', '--port', String(port), '--json'], instance.env);
		assert.equal(result.exitCode, 1);
		const report = JSON.parse(result.stdout);
		assert.equal(report.rpc.error.kind, 'unreachable');
		assert.equal(report.rpc.error.url, `ws://127.0.0.1:${port}`);
		assert.equal(report.gateway.portSource, 'cli');
		assert.equal(report.runtime.status, 'unreachable');
	});
});
