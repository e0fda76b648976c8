// The log file as an attacker sees it, on the real `openclaw gateway` process: `logging.file` (hot-reloaded, writable
// over RPC) cannot leave the log directory fixed at start-up, whether set by config.patch, by a file edit or in the
// file the gateway starts with; and a FIFO at the log path neither blocks the gateway nor stops SIGTERM from ending it.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {authedSocket, freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const token = 'security-logs-token-31';
const baseConfig = `{gateway: {mode: 'local', auth: {token: '${token}'}}}`;

type Running = {gateway: GatewayProcess; port: number; home: string; stateDir: string; logDir: string; configPath: string};

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

async function home(): Promise<string> {
	const {dir, cleanup} = await tempDir('openclaw-security-logs-');
	cleanups.push(cleanup);
	return dir;
}

function start(dir: string, configPath: string, port: number, extraEnv: Record<string, string> = {}): GatewayProcess {
	const stateDir = path.join(dir, 'state');
	return spawnGateway(['gateway', '--port', String(port)], isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath, ...extraEnv}));
}

async function running(config = baseConfig): Promise<Running> {
	const dir = await home();
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, config);
	const port = await freePort();
	const gateway = start(dir, configPath, port);
	cleanups.unshift(async () => {
		gateway.kill('SIGKILL');
		await gateway.exited;
	});
	await gateway.waitFor(/listening on/, 15_000);
	return {gateway, port, home: dir, stateDir, logDir: path.join(stateDir, 'logs'), configPath};
}

async function admin(port: number): Promise<RawSocket> {
	return authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}, scopes: ['operator.admin']});
}

/** Stopped by SIGTERM within the gateway's own 1.9 s bound (plus start-up slack), or the test fails. */
async function stopsOnSigterm(gateway: GatewayProcess): Promise<void> {
	gateway.kill('SIGTERM');
	const outcome = await Promise.race([gateway.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5000).unref())]);
	assert.notEqual(outcome, 'hung', 'SIGTERM did not stop the gateway');
}

describe('logging.file stays inside the log directory', () => {
	let gateway: Running;
	before(async () => {
		gateway = await running();
	});

	test('config.patch pointing it outside (~/.bashrc) is INVALID_REQUEST naming the key and the directory; nothing is written', async () => {
		const socket = await admin(gateway.port);
		const bashrc = path.join(gateway.home, '.bashrc');
		await writeFile(bashrc, '# the operator\'s shell start-up\n');
		const before = await readFile(gateway.configPath, 'utf8');
		const {hash} = (await socket.call('config.get', {})).payload;
		for (const file of [bashrc, '../.bashrc', path.join(gateway.logDir, '..', 'openclaw.json')]) {
			const res = await socket.call('config.patch', {raw: JSON.stringify({logging: {file}}), baseHash: hash});
			assert.equal(res.error?.code, 'INVALID_REQUEST', `${file}: ${JSON.stringify(res)}`);
			assert.match(res.error.message, /logging\.file/);
			assert.ok(res.error.message.includes(gateway.logDir), res.error.message);
			assert.deepEqual(res.error.details.issues.map((issue: any) => issue.path), ['logging.file']);
		}

		// An unauthenticated upgrade with a crafted Origin is logged somewhere; never into the shell's start-up file.
		const probe = new RawSocket(`ws://127.0.0.1:${gateway.port}`, {headers: {origin: 'http://evil.example/$(touch pwned)'}});
		await probe.opened.catch(() => undefined);
		probe.close();
		assert.equal(await readFile(gateway.configPath, 'utf8'), before);
		assert.equal(await readFile(bashrc, 'utf8'), '# the operator\'s shell start-up\n');
		socket.close();
	});

	test('a file edit pointing it outside keeps the last good config and reports the key in health', async () => {
		const socket = await admin(gateway.port);
		const target = path.join(gateway.home, 'stolen.log');
		const from = socket.frames.length;
		await writeFile(gateway.configPath, `{gateway: {mode: 'local', auth: {token: '${token}'}}, logging: {file: '${target}'}}`);
		const event = await socket.frame((frame) => socket.frames.indexOf(frame) >= from && frame.event === 'config.reload', 10_000);
		assert.equal(event.payload.result, 'error');
		const health = (await socket.call('health')).payload;
		assert.match(health.configReload.configError, /logging\.file: .*outside the log directory/);
		assert.equal(health.logging.file, path.join(gateway.logDir, 'gateway.log'));
		assert.equal(existsSync(target), false, 'nothing written outside the log directory');
		await writeConfig(gateway.configPath, baseConfig);
		socket.close();
	});

	test('a bare file name is placed in the log directory and used at once', async () => {
		const socket = await admin(gateway.port);
		const {hash} = (await socket.call('config.get', {})).payload;
		const res = await socket.call('config.patch', {raw: `{logging: {file: 'renamed.log'}}`, baseHash: hash});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		const deadline = Date.now() + 5000;
		let health: any;
		do {
			health = (await socket.call('health')).payload;
		} while (health.logging.file !== path.join(gateway.logDir, 'renamed.log') && Date.now() < deadline);
		assert.equal(health.logging.file, path.join(gateway.logDir, 'renamed.log'));
		socket.close();
	});

	test('at start-up a logging.file outside the directory refuses to start (exit 78), naming the key and the directory', async () => {
		const dir = await home();
		const configPath = path.join(dir, 'openclaw.json');
		await writeConfig(configPath, `{gateway: {mode: 'local', auth: {token: '${token}'}}, logging: {file: '${path.join(dir, '.bashrc')}'}}`);
		const gateway = start(dir, configPath, await freePort());
		const exit = await Promise.race([gateway.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 10_000).unref())]);
		if (exit === 'running') {
			gateway.kill('SIGKILL');
			await gateway.exited;
			assert.fail(`the gateway started with logging.file outside the log directory:\n${gateway.output()}`);
		}

		assert.equal(exit.exitCode, 78, gateway.output());
		assert.match(gateway.output(), /logging\.file: .*outside the log directory; use a file name ending in \.log .* in the log directory .*state\/logs/);
		assert.equal(existsSync(path.join(dir, '.bashrc')), false);
	});

	test('OPENCLAW_LOG_DIR, set at start-up, is where the log goes and the only directory logging.file may name', async () => {
		const dir = await home();
		const logDir = path.join(dir, 'var-log');
		const configPath = path.join(dir, 'openclaw.json');
		await writeConfig(configPath, baseConfig);
		const port = await freePort();
		const gateway = start(dir, configPath, port, {OPENCLAW_LOG_DIR: logDir});
		try {
			await gateway.waitFor(/listening on/, 15_000);
			const socket = await admin(port);
			assert.equal((await socket.call('health')).payload.logging.file, path.join(logDir, 'gateway.log'));
			const {hash} = (await socket.call('config.get', {})).payload;
			const outside = await socket.call('config.patch', {raw: JSON.stringify({logging: {file: path.join(dir, 'state', 'logs', 'x.log')}}), baseHash: hash});
			assert.equal(outside.error?.code, 'INVALID_REQUEST');
			const inside = await socket.call('config.patch', {raw: JSON.stringify({logging: {file: path.join(logDir, 'mine.log')}}), baseHash: hash});
			assert.equal(inside.ok, true, JSON.stringify(inside.error));
			socket.close();
		} finally {
			await stopsOnSigterm(gateway);
		}
	});
});

describe('a FIFO at the log path', () => {
	test('configured by hot reload: health still answers, the FIFO is reported, SIGTERM still stops the gateway', async () => {
		const gateway = await running();
		const fifo = path.join(gateway.logDir, 'pipe.log');
		await execa('mkfifo', [fifo]);
		const socket = await admin(gateway.port);
		const {hash} = (await socket.call('config.get', {})).payload;
		// Absolute, inside the log directory: allowed before and after confinement, so only the FIFO handling is tested.
		const res = await socket.call('config.patch', {raw: JSON.stringify({logging: {file: fifo}}), baseHash: hash});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		const deadline = Date.now() + 5000;
		let logging: any;
		do {
			logging = (await socket.call('health')).payload.logging;
		} while (logging.ok && Date.now() < deadline);
		assert.equal(logging.ok, false);
		assert.match(logging.error, /pipe\.log is a FIFO, not a regular file/);
		assert.match(gateway.gateway.output(), /pipe\.log is a FIFO/, 'reported on stderr too');
		socket.close();
		await stopsOnSigterm(gateway.gateway);
	});

	test('there at start-up: the gateway starts, reports it, answers health and stops on SIGTERM', async () => {
		const dir = await home();
		const stateDir = path.join(dir, 'state');
		const configPath = path.join(stateDir, 'openclaw.json');
		await writeConfig(configPath, baseConfig);
		await execa('mkdir', ['-p', '-m', '700', path.join(stateDir, 'logs')]);
		await execa('mkfifo', [path.join(stateDir, 'logs', 'gateway.log')]);
		const port = await freePort();
		const gateway = start(dir, configPath, port);
		try {
			await gateway.waitFor(/listening on/, 15_000);
			assert.match(gateway.output(), /gateway\.log is a FIFO, not a regular file/);
			const socket = await admin(port);
			const logging = (await socket.call('health')).payload.logging;
			assert.equal(logging.ok, false);
			assert.match(logging.error, /FIFO/);
			const tail = await socket.call('logs.tail', {});
			assert.deepEqual(tail.payload.lines, []);
			socket.close();
		} finally {
			await stopsOnSigterm(gateway);
		}
	});
});
