// `openclaw gateway` start guards, each with its runbook signature, through the real built CLI.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile, stat, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {authedSocket, freePort, tempDir} from './helpers/gateway.js';
import {isolatedEnv, runCli, spawnGateway, writeConfig} from './helpers/gateway-process.js';

let home: string;
let cleanup: () => Promise<void>;
before(async () => {
	({dir: home, cleanup} = await tempDir('openclaw-guards-'));
});
after(async () => cleanup());

async function stateWith(name: string, config: string): Promise<string> {
	const stateDir = path.join(home, name);
	await writeConfig(path.join(stateDir, 'openclaw.json'), config);
	return stateDir;
}

describe('openclaw gateway start guards', () => {
	test('non-loopback bind without auth is refused before binding', async () => {
		const stateDir = await stateWith('noauth', `{gateway: {mode: 'local', auth: {mode: 'none'}}}`);
		const port = await freePort();
		const result = await runCli(['gateway', '--bind', 'lan', '--port', String(port)], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}));
		assert.notEqual(result.exitCode, 0);
		assert.match(result.output, /refusing to bind gateway .* without auth/);
		assert.doesNotMatch(result.output, /listening on/);
	});

	test('non-loopback bind with no secret the operator chose is refused: none configured, or only a token file from an earlier run', async () => {
		for (const [name, tokenFile] of [['lan-none', false], ['lan-file', true]] as const) {
			const stateDir = await stateWith(name, `{gateway: {mode: 'local', bind: 'lan'}}`);
			if (tokenFile) {
				await writeFile(path.join(stateDir, 'gateway.token'), 'left-by-an-earlier-run\n', {mode: 0o600});
			}

			const port = await freePort();
			const result = await runCli(['gateway', '--port', String(port)], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}));
			assert.equal(result.exitCode, 78, result.output);
			assert.match(result.output, /refusing to bind gateway to 0\.0\.0\.0:\d+ without auth/);
			assert.doesNotMatch(result.output, /listening on|generated one/);
			assert.equal(existsSync(path.join(stateDir, 'gateway.token')), tokenFile, 'no token generated for a bind that is refused');
		}
	});

	test('a busy port: "another gateway instance is already listening" (EADDRINUSE) with the --force hint', async () => {
		const stateDir = await stateWith('busy', `{gateway: {mode: 'local', auth: {token: 'busy-token'}}}`);
		const holder = net.createServer();
		await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
		const {port} = holder.address() as net.AddressInfo;
		try {
			const result = await runCli(['gateway', '--port', String(port)], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}));
			assert.equal(result.exitCode, 1);
			assert.match(result.output, /another gateway instance is already listening/);
			assert.match(result.output, /EADDRINUSE/);
			assert.match(result.output, /--force/);
			// Under the service marker: 78, which the unit's RestartPreventExitStatus stops on (no restart storm).
			const supervised = await runCli(['gateway', '--port', String(port)], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_SERVICE_MARKER: 'openclaw'}));
			assert.equal(supervised.exitCode, 78, supervised.output);
			assert.match(supervised.output, /EADDRINUSE/);
		} finally {
			holder.close();
		}
	});

	test('gateway.mode other than local: "Gateway start blocked: set gateway.mode=local", exit 78', async () => {
		const stateDir = await stateWith('remote', `{gateway: {mode: 'remote'}}`);
		const result = await runCli(['gateway', '--port', String(await freePort())], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}));
		assert.equal(result.exitCode, 78);
		assert.match(result.output, /Gateway start blocked: set gateway\.mode=local/);
	});

	test('--allow-unconfigured starts with no config file at all', async () => {
		const stateDir = path.join(home, 'unconfigured');
		const gateway = spawnGateway(
			['gateway', '--allow-unconfigured', '--port', String(await freePort())],
			isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}),
		);
		try {
			await gateway.waitFor(/listening on/);
		} finally {
			gateway.kill();
			await gateway.exited;
		}
	});

	test('no token configured: one is generated into the state dir (0600, dir 0700), its path printed, reused next start', async () => {
		const stateDir = path.join(home, 'fresh', 'state');
		const configPath = path.join(home, 'fresh', 'openclaw.json');
		await writeConfig(configPath, `{gateway: {mode: 'local'}}`);
		const env = isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath});
		const port = await freePort();
		const tokenPath = path.join(stateDir, 'gateway.token');
		const first = spawnGateway(['gateway', '--port', String(port)], env);
		let token: string;
		try {
			await first.waitFor(/listening on/);
			assert.match(first.output(), new RegExp(`generated one and stored it in ${tokenPath.replaceAll('/', '\\/')} \\(mode 0600\\)`));
			token = (await readFile(tokenPath, 'utf8')).trim();
			assert.doesNotMatch(first.output(), new RegExp(token), 'the token itself is never printed');
			assert.equal((await stat(tokenPath)).mode & 0o777, 0o600);
			assert.equal((await stat(stateDir)).mode & 0o777, 0o700);
			(await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}})).close();
		} finally {
			first.kill();
			await first.exited;
		}

		const second = spawnGateway(['gateway', '--port', String(port)], env);
		try {
			await second.waitFor(/auth token from file/);
			assert.doesNotMatch(second.output(), /generated/);
			assert.equal((await readFile(tokenPath, 'utf8')).trim(), token);
			(await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}})).close();
		} finally {
			second.kill();
			await second.exited;
		}
	});
});

describe('openclaw gateway --force', () => {
	for (const ignoresSigterm of [false, true]) {
		test(`frees a port held by a process that ${ignoresSigterm ? 'ignores SIGTERM (SIGKILL)' : 'stops on SIGTERM'}, then starts`, async () => {
			const stateDir = await stateWith(`force-${ignoresSigterm}`, `{gateway: {mode: 'local', auth: {token: 'force-token'}}}`);
			const port = await freePort();
			const script = `${ignoresSigterm ? "process.on('SIGTERM', () => {});" : ''}
require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('holding'));
setTimeout(() => process.exit(3), 60000);`;
			const holder = spawnHolder(script);
			try {
				await holder.ready;
				const gateway = spawnGateway(['gateway', '--force', '--port', String(port)], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir}));
				try {
					await gateway.waitFor(/listening on/, 15_000);
					assert.match(gateway.output(), new RegExp(`sent SIGTERM to pid ${holder.pid}`));
					if (ignoresSigterm) {
						assert.match(gateway.output(), new RegExp(`escalated to SIGKILL for pid ${holder.pid}`));
					}

					assert.equal(await holder.exitSignal, ignoresSigterm ? 'SIGKILL' : 'SIGTERM');
					(await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token: 'force-token'}})).close();
				} finally {
					gateway.kill();
					await gateway.exited;
				}
			} finally {
				holder.kill();
			}
		});
	}
});

function spawnHolder(script: string): {pid: number; ready: Promise<void>; exitSignal: Promise<string | null>; kill(): void} {
	// Plain child_process here: the holder must be killable by the gateway, and we only need its exit signal.
	const child = spawnNode(script);
	const ready = new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('holding')) {
				resolve();
			}
		});
		child.once('exit', () => reject(new Error('holder exited early')));
	});
	const exitSignal = new Promise<string | null>((resolve) => {
		child.once('exit', (_code, signal) => resolve(signal));
	});
	return {
		pid: child.pid!,
		ready,
		exitSignal,
		kill() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
			}
		},
	};
}

function spawnNode(script: string) {
	return spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
}
