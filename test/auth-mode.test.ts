// An explicit credential always wins over the file's auth mode (issue 14): with `gateway.auth.mode: "none"` in the
// config, `openclaw gateway --token T` runs with token auth and says so; a wrong token is refused.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {chooseAuthMode} from '../gateway/auth-mode.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {isolatedEnv, runCli, spawnGateway, writeConfig} from './helpers/gateway-process.js';

describe('chooseAuthMode', () => {
	test('--token or OPENCLAW_GATEWAY_TOKEN beats gateway.auth.mode "none" (and says so)', () => {
		assert.deepEqual(chooseAuthMode('none', {token: 't', tokenSource: 'cli'}), {
			mode: 'token',
			source: 'cli',
			overrides: '--token overrides gateway.auth.mode="none" from the config',
		});
		assert.equal((chooseAuthMode('none', {token: 't', tokenSource: 'env'}) as {mode: string}).mode, 'token');
		assert.equal((chooseAuthMode('none', {password: 'p', passwordSource: 'env'}) as {mode: string}).mode, 'password');
		assert.equal((chooseAuthMode('token', {token: 'c', tokenSource: 'config', password: 'p', passwordSource: 'cli'}) as {mode: string}).mode, 'password');
	});

	test('secrets from the file follow the file: none stays none, a mode picks its secret', () => {
		assert.deepEqual(chooseAuthMode('none', {token: 't', tokenSource: 'config'}), {mode: 'none', source: undefined});
		assert.deepEqual(chooseAuthMode('password', {token: 't', tokenSource: 'config', password: 'p', passwordSource: 'config'}), {mode: 'password', source: 'config'});
		assert.deepEqual(chooseAuthMode(undefined, {}), {mode: 'token', source: undefined});
	});

	test('two explicit credentials need the config to choose; two file secrets without a mode are refused', () => {
		const both = {token: 't', tokenSource: 'cli', password: 'p', passwordSource: 'env'} as const;
		assert.match((chooseAuthMode('none', both) as {error: string}).error, /both --token and OPENCLAW_GATEWAY_PASSWORD were given/);
		assert.deepEqual(chooseAuthMode('password', both), {mode: 'password', source: 'env'});
		assert.match((chooseAuthMode(undefined, {token: 't', tokenSource: 'config', password: 'p', passwordSource: 'config'}) as {error: string}).error, /both a token and a password/);
	});
});

describe('openclaw gateway --token with gateway.auth.mode "none" in the config', () => {
	const cleanups: Array<() => Promise<void>> = [];
	after(async () => {
		await Promise.all(cleanups.map(async (cleanup) => cleanup()));
	});

	test('runs with token auth: the right token is let in, a wrong one refused', async () => {
		const {dir, cleanup} = await tempDir('openclaw-auth-mode-');
		cleanups.push(cleanup);
		const stateDir = path.join(dir, 'state');
		const configPath = path.join(stateDir, 'openclaw.json');
		await writeConfig(configPath, `{gateway: {mode: 'local', auth: {mode: 'none'}}}`);
		const port = await freePort();
		const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath});
		const gateway = spawnGateway(['gateway', '--port', String(port), '--token', 'explicit-token-73'], env);
		cleanups.unshift(async () => {
			gateway.kill('SIGKILL');
			await gateway.exited;
		});
		await gateway.waitFor(/listening on/, 15_000);
		assert.match(gateway.output(), /auth token from cli/);
		assert.match(gateway.output(), /auth: --token overrides gateway\.auth\.mode="none" from the config/);
		const url = `ws://127.0.0.1:${port}`;
		const wrong = await runCli(['health', '--url', url, '--token', 'wrong'], env);
		assert.notEqual(wrong.exitCode, 0, wrong.output);
		assert.match(wrong.output, /unauthorized|token mismatch/i);
		const right = await runCli(['health', '--url', url, '--token', 'explicit-token-73'], env);
		assert.equal(right.exitCode, 0, right.output);
	});
});
