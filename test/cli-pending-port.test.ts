// A gateway.port edit the running gateway has not applied (reload mode hot: a port change waits for a restart):
// commands aimed at the local profile find the running gateway through its runtime record, reach it on the port it
// listens on, and say the change is pending, instead of "Gateway not reachable" at the port the file names.
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import {after, before, describe, it} from 'node:test';
import {execa, type ResultPromise} from 'execa';
import {freePort} from './helpers/gateway.js';
import {bin, makeInstance, openclaw, type Instance} from './helpers/cli-process.js';

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) {
			return;
		}

		await new Promise((resolve) => setTimeout(resolve, 150));
	}

	throw new Error(`timed out waiting for ${what}`);
}

describe('a pending port change', () => {
	let instance: Instance;
	let gateway: ResultPromise | undefined;
	let oldPort: number;
	let newPort: number;

	before(async () => {
		oldPort = await freePort();
		newPort = await freePort();
		instance = await makeInstance({port: oldPort});
		const config = JSON.parse(await readFile(instance.configPath, 'utf8'));
		config.gateway.reload = {mode: 'hot', debounceMs: 50};
		await writeFile(instance.configPath, JSON.stringify(config, null, 2));
		// No --port: the port comes from the file, as it does for an operator's gateway.
		gateway = execa('node', [bin, 'gateway'], {env: instance.env, extendEnv: false, reject: false, stdin: 'ignore'});
		await until(async () => (await fetch(`http://127.0.0.1:${oldPort}/readyz`).catch(() => undefined))?.status === 200, 20_000, 'the gateway');
		config.gateway.port = newPort;
		await writeFile(instance.configPath, JSON.stringify(config, null, 2));
		await until(
			async () => {
				const health = await openclaw(['health', '--json', '--port', String(oldPort)], instance.env);
				return health.exitCode === 0 && (JSON.parse(health.stdout).configReload?.pendingPaths ?? []).includes('gateway.port');
			},
			15_000,
			'the gateway to see the edit and leave it pending',
		);
	});

	after(async () => {
		gateway?.kill('SIGTERM');
		await gateway;
		await instance?.cleanup();
	});

	it('gateway status reaches the running gateway on the old port and says the change is pending', async () => {
		const result = await openclaw(['gateway', 'status'], instance.env);
		assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
		assert.match(
			result.stdout,
			new RegExp(`^Gateway: ws://127\\.0\\.0\\.1:${oldPort} \\(config says ${newPort}; the port change applies at the next restart\\)$`, 'm'),
		);
		assert.match(result.stdout, new RegExp(`Runtime: running \\(pid ${gateway!.pid},.*port ${oldPort}`));
		assert.match(result.stdout, new RegExp(`Listening: port ${oldPort} \\(pid ${gateway!.pid}\\)`));
		const json = JSON.parse((await openclaw(['gateway', 'status', '--json'], instance.env)).stdout);
		assert.equal(json.gateway.probeUrl, `ws://127.0.0.1:${oldPort}`);
		assert.deepEqual(json.gateway.pendingPort, {running: oldPort, configured: newPort, source: 'config', runningSource: 'config'});
	});

	it('health and status reach it too, with the same note on stderr', async () => {
		for (const args of [['health'], ['status']]) {
			const result = await openclaw(args, instance.env);
			assert.equal(result.exitCode, 0, `${args.join(' ')}: ${result.stdout}\n${result.stderr}`);
			assert.match(result.stderr, new RegExp(`Gateway: ws://127\\.0\\.0\\.1:${oldPort} \\(config says ${newPort}; the port change applies at the next restart\\)`));
			assert.doesNotMatch(`${result.stdout}${result.stderr}`, /not reachable/);
		}
	});

	it('an explicit --port is the operator\'s choice: it is used as given', async () => {
		const result = await openclaw(['health', '--port', String(newPort)], instance.env);
		assert.equal(result.exitCode, 1);
		assert.match(result.stderr, new RegExp(`Gateway not reachable at ws://127\\.0\\.0\\.1:${newPort}`));
	});
	it('doctor checks the port the gateway runs on, and says the change is pending in the same words', async () => {
		const result = await openclaw(['doctor'], instance.env);
		assert.match(
			result.stdout,
			new RegExp(`^\\[ok\\] port: port ${oldPort} is served by a gateway \\(pid ${gateway!.pid}\\); config says ${newPort}; the port change applies at the next restart$`, 'm'),
		);
		assert.doesNotMatch(result.stdout, new RegExp(`port ${newPort} is free`));
		const json = JSON.parse((await openclaw(['doctor', '--json'], instance.env)).stdout);
		const port = json.checks.find((check: {id: string}) => check.id === 'port');
		assert.match(port.message, new RegExp(`^port ${oldPort} is served by a gateway .*config says ${newPort}; the port change applies at the next restart$`));
	});

	it('gateway restart applies it: in-process, back on the new port, and nothing is pending any more', async () => {
		const restart = await openclaw(['gateway', 'restart'], instance.env);
		assert.equal(restart.exitCode, 0, `${restart.stdout}\n${restart.stderr}`);
		assert.match(restart.stdout, new RegExp(`Restarted gateway in-process \\(pid ${gateway!.pid}\\)`));
		assert.ok(restart.ms < 10_000, `took ${restart.ms} ms`);
		const status = await openclaw(['gateway', 'status', '--json'], instance.env);
		const report = JSON.parse(status.stdout);
		assert.equal(report.ok, true, status.stdout);
		assert.equal(report.runtime.pid, gateway!.pid);
		assert.equal(report.runtime.port, newPort);
		assert.equal(report.gateway.pendingPort, undefined);
	});
});
