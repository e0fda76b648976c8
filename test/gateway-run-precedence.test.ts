// `openclaw gateway` precedence, exactly as the runbook: port --port > OPENCLAW_GATEWAY_PORT > gateway.port > 18789
// (19001 for --dev); bind CLI > gateway.bind > loopback; config OPENCLAW_CONFIG_PATH else <stateDir>/openclaw.json;
// state dir OPENCLAW_STATE_DIR else from the profile; token --token > OPENCLAW_GATEWAY_TOKEN > gateway.auth.token.
// Pure resolution is unit-tested; a few process tests prove the built CLI wires it the same way.
import assert from 'node:assert/strict';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {resolveBind, resolvePaths, resolvePort, resolveSecrets} from '../source/protocol/config/paths.js';
import {UsageError} from '../source/protocol/errors.js';
import {resolveGateway, StartError} from '../gateway/run.js';
import {authedSocket, freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, runCli, spawnGateway, writeConfig} from './helpers/gateway-process.js';

describe('resolvePort', () => {
	const config = {gateway: {port: 2222}};
	test('--port wins over env, config and default', () => {
		assert.deepEqual(resolvePort({cliPort: '1111', config}, {OPENCLAW_GATEWAY_PORT: '3333'}), {port: 1111, source: 'cli'});
	});

	test('OPENCLAW_GATEWAY_PORT wins over gateway.port', () => {
		assert.deepEqual(resolvePort({config}, {OPENCLAW_GATEWAY_PORT: '3333'}), {port: 3333, source: 'env'});
	});

	test('gateway.port wins over the default', () => {
		assert.deepEqual(resolvePort({config}, {}), {port: 2222, source: 'config'});
	});

	test('default 18789, and 19001 for --dev', () => {
		assert.deepEqual(resolvePort({}, {}), {port: 18_789, source: 'default'});
		assert.deepEqual(resolvePort({dev: true}, {}), {port: 19_001, source: 'default'});
		assert.deepEqual(resolvePort({dev: true, config}, {}), {port: 2222, source: 'config'});
	});

	test('a bad port names where it came from', () => {
		assert.throws(() => resolvePort({cliPort: 'abc'}, {}), (error: Error) => error instanceof UsageError && /--port/.test(error.message));
		assert.throws(() => resolvePort({}, {OPENCLAW_GATEWAY_PORT: '70000'}), /OPENCLAW_GATEWAY_PORT/);
	});
});

describe('resolveBind', () => {
	test('CLI > gateway.bind > loopback', () => {
		assert.deepEqual(resolveBind({cliBind: 'loopback', config: {gateway: {bind: 'lan'}}}), {mode: 'loopback', host: '127.0.0.1'});
		assert.deepEqual(resolveBind({config: {gateway: {bind: 'lan'}}}), {mode: 'lan', host: '0.0.0.0'});
		assert.deepEqual(resolveBind({}), {mode: 'loopback', host: '127.0.0.1'});
	});

	test('custom takes --host, else gateway.customBindHost, else names the fix', () => {
		assert.equal(resolveBind({cliBind: 'custom', cliHost: '127.0.0.2'}).host, '127.0.0.2');
		assert.equal(resolveBind({config: {gateway: {bind: 'custom', customBindHost: '127.0.0.3'}}}).host, '127.0.0.3');
		assert.throws(() => resolveBind({cliBind: 'custom'}), /--host/);
		assert.throws(() => resolveBind({cliBind: 'everywhere'}), /invalid bind mode "everywhere"/);
	});
});

describe('resolvePaths', () => {
	const home = '/home/op';
	test('default: ~/.openclaw and its openclaw.json', () => {
		const paths = resolvePaths({}, {OPENCLAW_HOME: home});
		assert.equal(paths.stateDir, '/home/op/.openclaw');
		assert.equal(paths.configPath, '/home/op/.openclaw/openclaw.json');
	});

	test('--profile NAME and --dev pick ~/.openclaw-NAME and ~/.openclaw-dev', () => {
		assert.equal(resolvePaths({profile: 'work'}, {OPENCLAW_HOME: home}).stateDir, '/home/op/.openclaw-work');
		const dev = resolvePaths({dev: true}, {OPENCLAW_HOME: home});
		assert.equal(dev.stateDir, '/home/op/.openclaw-dev');
		assert.equal(dev.dev, true);
		assert.equal(dev.configPath, '/home/op/.openclaw-dev/openclaw.json');
	});

	test('OPENCLAW_STATE_DIR wins over the profile; the config follows the state dir', () => {
		const paths = resolvePaths({profile: 'work'}, {OPENCLAW_HOME: home, OPENCLAW_STATE_DIR: '/srv/claw'});
		assert.equal(paths.stateDir, '/srv/claw');
		assert.equal(paths.configPath, '/srv/claw/openclaw.json');
	});

	test('OPENCLAW_CONFIG_PATH wins over the state dir', () => {
		const paths = resolvePaths({}, {OPENCLAW_HOME: home, OPENCLAW_STATE_DIR: '/srv/claw', OPENCLAW_CONFIG_PATH: '/etc/claw.json5'});
		assert.equal(paths.stateDir, '/srv/claw');
		assert.equal(paths.configPath, '/etc/claw.json5');
	});

	test('a bad profile name, or --dev with another profile, is a usage error', () => {
		assert.throws(() => resolvePaths({profile: '../etc'}, {OPENCLAW_HOME: home}), UsageError);
		assert.throws(() => resolvePaths({dev: true, profile: 'work'}, {OPENCLAW_HOME: home}), /--dev cannot be combined/);
	});
});

describe('resolveSecrets', () => {
	const config = {gateway: {auth: {token: 'from-config', password: 'pw-config'}}};
	test('--token > OPENCLAW_GATEWAY_TOKEN > gateway.auth.token', () => {
		assert.deepEqual(
			[
				resolveSecrets({cliToken: 'from-cli', config}, {OPENCLAW_GATEWAY_TOKEN: 'from-env'}).token,
				resolveSecrets({config}, {OPENCLAW_GATEWAY_TOKEN: 'from-env'}).token,
				resolveSecrets({config}, {}).token,
				resolveSecrets({}, {}).token,
			],
			['from-cli', 'from-env', 'from-config', undefined],
		);
	});

	test('--password > OPENCLAW_GATEWAY_PASSWORD > gateway.auth.password', () => {
		assert.equal(resolveSecrets({cliPassword: 'pw-cli', config}, {OPENCLAW_GATEWAY_PASSWORD: 'pw-env'}).password, 'pw-cli');
		assert.equal(resolveSecrets({config}, {OPENCLAW_GATEWAY_PASSWORD: 'pw-env'}).password, 'pw-env');
		assert.equal(resolveSecrets({config}, {}).password, 'pw-config');
	});
});

describe('resolveGateway (config file + flags + env)', () => {
	let dir: string;
	let cleanup: () => Promise<void>;
	before(async () => {
		({dir, cleanup} = await tempDir('openclaw-resolve-'));
	});
	after(async () => cleanup());

	test('JSON5 config (comments, unquoted keys, trailing commas) is read from OPENCLAW_CONFIG_PATH', async () => {
		const configPath = path.join(dir, 'custom.json5');
		await writeConfig(configPath, `// operator's config\n{gateway: {mode: 'local', port: 4567, auth: {token: 'cfg-token',},},}\n`);
		const resolved = await resolveGateway({env: {OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: dir, OPENCLAW_HOME: dir}});
		assert.equal(resolved.configPath, configPath);
		assert.equal(resolved.port, 4567);
		assert.equal(resolved.portSource, 'config');
		assert.equal(resolved.auth.token, 'cfg-token');
		assert.equal(resolved.secretSource, 'config');
	});

	test('a config that fails validation: StartError exit 78 naming the key', async () => {
		const configPath = path.join(dir, 'bad.json5');
		await writeConfig(configPath, `{gateway: {mode: 'local', port: 'eighty'}}`);
		await assert.rejects(
			resolveGateway({env: {OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: dir, OPENCLAW_HOME: dir}}),
			(error: StartError) => error instanceof StartError && error.exitCode === 78 && /gateway\.port/.test(error.message),
		);
	});

	test('token precedence reaches the auth settings; none configured falls back to the token file', async () => {
		const stateDir = path.join(dir, 'tokens');
		const configPath = path.join(stateDir, 'openclaw.json');
		await writeConfig(configPath, `{gateway: {mode: 'local', auth: {token: 'cfg-token'}}}`);
		const env = {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_HOME: dir};
		assert.equal((await resolveGateway({token: 'cli-token', env: {...env, OPENCLAW_GATEWAY_TOKEN: 'env-token'}})).auth.token, 'cli-token');
		assert.equal((await resolveGateway({env: {...env, OPENCLAW_GATEWAY_TOKEN: 'env-token'}})).auth.token, 'env-token');
		assert.equal((await resolveGateway({env})).auth.token, 'cfg-token');
		await writeConfig(configPath, `{gateway: {mode: 'local'}}`);
		const generated = await resolveGateway({env});
		assert.equal(generated.secretSource, 'generated');
		assert.equal(((await stat(generated.generatedTokenPath!)).mode & 0o777).toString(8), '600');
		const reused = await resolveGateway({env});
		assert.equal(reused.secretSource, 'file');
		assert.equal(reused.auth.token, generated.auth.token);
	});
});

describe('openclaw gateway (process)', () => {
	let home: string;
	let cleanup: () => Promise<void>;
	before(async () => {
		({dir: home, cleanup} = await tempDir('openclaw-home-'));
	});
	after(async () => cleanup());

	test('port: --port beats OPENCLAW_GATEWAY_PORT beats gateway.port', async () => {
		const [cliPort, envPort, configPort] = [await freePort(), await freePort(), await freePort()];
		const stateDir = path.join(home, 'port-state');
		await writeConfig(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: 'local', port: ${configPort}, auth: {token: 'tok-port'}}}`);
		const env = isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_PORT: String(envPort)});
		for (const [args, expected] of [
			[['gateway', '--port', String(cliPort)], cliPort],
			[['gateway'], envPort],
		] as const) {
			const gateway = spawnGateway([...args], env);
			try {
				const [, port] = await gateway.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)/);
				assert.equal(Number(port), expected);
				const socket = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token: 'tok-port'}});
				socket.close();
			} finally {
				gateway.kill();
				await gateway.exited;
			}
		}

		const fromConfig = spawnGateway(['gateway'], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}));
		try {
			const [, port] = await fromConfig.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)/);
			assert.equal(Number(port), configPort);
		} finally {
			fromConfig.kill();
			await fromConfig.exited;
		}
	});

	test('token: --token beats OPENCLAW_GATEWAY_TOKEN beats gateway.auth.token (wrong ones are refused)', async () => {
		const stateDir = path.join(home, 'token-state');
		await writeConfig(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: 'local', auth: {token: 'tok-config'}}}`);
		const port = await freePort();
		const gateway = spawnGateway(
			['gateway', '--port', String(port), '--token', 'tok-cli'],
			isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: 'tok-env'}),
		);
		try {
			await gateway.waitFor(/auth token from cli/);
			const url = `ws://127.0.0.1:${port}`;
			for (const wrong of ['tok-env', 'tok-config']) {
				const socket = new RawSocket(url);
				const res = await socket.connect({auth: {token: wrong}});
				assert.equal(res.error?.details?.code, 'AUTH_TOKEN_MISMATCH');
			}

			(await authedSocket(url, {auth: {token: 'tok-cli'}})).close();
		} finally {
			gateway.kill();
			await gateway.exited;
		}
	});

	test('--profile NAME uses ~/.openclaw-NAME for state and config (OPENCLAW_HOME as home)', async () => {
		const stateDir = path.join(home, '.openclaw-work');
		await writeConfig(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: 'local'}}`);
		const port = await freePort();
		const gateway = spawnGateway(['--profile', 'work', 'gateway', '--port', String(port)], isolatedEnv(home));
		try {
			await gateway.waitFor(/state dir: .*\.openclaw-work/);
			assert.match(gateway.output(), new RegExp(`config: ${stateDir.replaceAll('/', '\\/')}\\/openclaw\\.json`));
			assert.match(gateway.output(), new RegExp(`generated one and stored it in ${stateDir}/gateway.token`));
			assert.equal((await readFile(path.join(stateDir, 'gateway.token'), 'utf8')).trim().length > 20, true);
		} finally {
			gateway.kill();
			await gateway.exited;
		}
	});

	test('--dev: ~/.openclaw-dev and port 19001', async () => {
		const stateDir = path.join(home, '.openclaw-dev');
		await writeConfig(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: 'local', auth: {token: 'dev-token'}}}`);
		// 19001 is a fixed port: if something else holds it the busy-port message still names it.
		const result = spawnGateway(['--dev', 'gateway'], isolatedEnv(home));
		try {
			await result.waitFor(/ws:\/\/127\.0\.0\.1:19001/);
			if (/listening on/.test(result.output())) {
				await result.waitFor(/state dir: .*\.openclaw-dev/);
			} else {
				assert.match(result.output(), /another gateway instance is already listening/);
			}
		} finally {
			result.kill();
			await result.exited;
		}
	});

	test('OPENCLAW_CONFIG_PATH wins over the profile; a config failing validation exits 78 naming the key', async () => {
		const configPath = path.join(home, 'elsewhere', 'claw.json5');
		await writeConfig(configPath, `{gateway: {mode: 'local', bind: 'moon'}}`);
		const result = await runCli(['--profile', 'work', 'gateway'], isolatedEnv(home, {OPENCLAW_CONFIG_PATH: configPath}));
		assert.equal(result.exitCode, 78, result.output);
		assert.match(result.output, /gateway\.bind/);
		assert.match(result.output, /claw\.json5/);
	});
});
