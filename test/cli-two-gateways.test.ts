// The runbook's two gateways on one host (OPENCLAW_CONFIG_PATH / OPENCLAW_STATE_DIR / --port): both run at once,
// every command reaches the one its environment names, and they share no state, token or log.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

describe('two gateways side by side', () => {
	const instances: Instance[] = [];
	const gateways: GatewayProcess[] = [];

	before(async () => {
		for (let index = 0; index < 2; index++) {
			const instance = await makeInstance({port: await freePort(), writeConfig: false});
			const setup = await openclaw(['setup', '--port', String(instance.port)], instance.env);
			assert.equal(setup.exitCode, 0, setup.stderr);
			instance.token = JSON.parse(await readFile(instance.configPath, 'utf8')).gateway.auth.token;
			instances.push(instance);
		}

		gateways.push(...(await Promise.all(instances.map(async (instance) => startGatewayProcess(instance)))));
	});

	after(async () => {
		await Promise.all(gateways.map(async (gateway) => gateway.stop()));
		await Promise.all(instances.map(async (instance) => instance.cleanup()));
	});

	it('each environment reaches its own gateway', async () => {
		for (const [index, instance] of instances.entries()) {
			const report = JSON.parse((await openclaw(['gateway', 'status', '--json'], instance.env)).stdout);
			assert.equal(report.ok, true);
			assert.equal(report.runtime.pid, gateways[index].process.pid);
			assert.equal(report.runtime.port, instance.port);
			assert.equal(report.config.path, instance.configPath);
		}
	});

	it('they share no token: one gateway refuses the other one\'s', async () => {
		const [a, b] = instances;
		assert.notEqual(a.token, b.token);
		const crossed = await openclaw(['health', '--url', `ws://127.0.0.1:${b.port}`, '--token', a.token], a.env);
		assert.equal(crossed.exitCode, 1, crossed.stderr);
		assert.match(crossed.stderr, /unauthorized: gateway token mismatch/);
	});

	it('they share no state dir and no log file', async () => {
		const files: string[] = [];
		for (const [index, instance] of instances.entries()) {
			const logs = await openclaw(['logs', '--json', '--limit', '200'], instance.env);
			assert.equal(logs.exitCode, 0, logs.stderr);
			const records = logs.stdout.trim().split('\n').map((line) => JSON.parse(line));
			const meta = records[0];
			assert.ok(meta.file.startsWith(`${instance.stateDir}/`), `${meta.file} is inside ${instance.stateDir}`);
			files.push(meta.file);
			const own = records.filter((record) => record.type === 'log' && /listening on ws:/.test(record.message));
			assert.ok(own.length > 0);
			assert.ok(own.every((record) => record.message.includes(`:${instance.port}`)), 'only its own gateway in its log');
			const health = JSON.parse((await openclaw(['health', '--json'], instance.env)).stdout);
			assert.ok(health.sessions.path.startsWith(`${instance.stateDir}/`));
			assert.notEqual(instance.stateDir, instances[1 - index].stateDir);
		}

		assert.notEqual(files[0], files[1]);
	});
});
