// Config hot reload on the real `openclaw gateway` process: edit the file on disk and watch what each
// gateway.reload.mode does (applied / pending / ignored / in-process restart with the same pid), and a config file
// that breaks or disappears while the gateway keeps running on the last good one.
import assert from 'node:assert/strict';
import {rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {authedSocket, freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const token = 'reload-token-0001';
const newToken = 'reload-token-0002';

type Running = {
	gateway: GatewayProcess;
	port: number;
	pid: number;
	configPath: string;
	stop(): Promise<void>;
};

const stops: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(stops.map(async (stop) => stop()));
});

function configText(reload: string, extra = '', auth = token): string {
	return `// written by the test\n{gateway: {mode: 'local', auth: {token: '${auth}'}, reload: {mode: '${reload}'}}, logging: {level: 'info'}, ${extra}}\n`;
}

async function start(config: string): Promise<Running> {
	const {dir: home, cleanup} = await tempDir('openclaw-reload-');
	const stateDir = path.join(home, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, config);
	const port = await freePort();
	const gateway = spawnGateway(
		['gateway', '--port', String(port), '--allow-unconfigured'],
		isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}),
	);
	const match = await gateway.waitFor(/listening on ws:\/\/127\.0\.0\.1:\d+ \(pid (\d+)/, 15_000);
	const running: Running = {
		gateway,
		port,
		pid: Number(match[1]),
		configPath,
		async stop() {
			gateway.kill('SIGTERM');
			await gateway.exited;
			await cleanup();
		},
	};
	stops.push(async () => running.stop());
	return running;
}

async function admin(gw: Running, auth = token): Promise<RawSocket> {
	return authedSocket(`ws://127.0.0.1:${gw.port}`, {scopes: ['operator.admin'], auth: {token: auth}});
}

/** The first `config.reload` event that arrives after `from` frames and matches. */
async function reloadEvent(socket: RawSocket, from: number, predicate: (payload: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
	const frame = await socket.frame(
		(candidate) => socket.frames.indexOf(candidate) >= from && candidate.event === 'config.reload' && predicate(candidate.payload),
		timeoutMs,
	);
	return frame.payload;
}

async function health(socket: RawSocket): Promise<any> {
	const res = await socket.call('health');
	assert.equal(res.ok, true, JSON.stringify(res.error));
	return res.payload;
}

/** Connect again after an in-process restart (the port refuses or answers 503 for a moment). */
async function reconnect(gw: Running, auth = token, timeoutMs = 10_000): Promise<RawSocket> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await admin(gw, auth);
		} catch (error) {
			if (Date.now() > deadline) {
				throw error;
			}

			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}

describe('gateway.reload.mode on a running gateway', () => {
	test('hybrid (default): hot changes apply in place; an auth change restarts in-process on the new config, same pid', async () => {
		const gw = await start(`{gateway: {mode: 'local', auth: {token: '${token}'}}}`);
		const socket = await admin(gw);
		let from = socket.frames.length;
		await writeFile(gw.configPath, `{gateway: {mode: 'local', auth: {token: '${token}', rateLimit: {maxAttempts: 3}}}, logging: {level: 'debug'}}`);
		const applied = await reloadEvent(socket, from);
		assert.equal(applied.mode, 'hybrid');
		assert.equal(applied.result, 'applied');
		assert.deepEqual(applied.changedPaths, ['gateway.auth.rateLimit.maxAttempts', 'logging.level']);
		assert.deepEqual(applied.pendingPaths, []);
		const state = (await health(socket)).configReload;
		assert.equal(state.hotReloadStatus, 'active');
		assert.equal(state.lastReload.result, 'applied');
		assert.equal(state.appliedConfigHash, applied.hash, 'the running config is the file');

		from = socket.frames.length;
		await writeFile(gw.configPath, `{gateway: {mode: 'local', auth: {token: '${newToken}'}}, logging: {level: 'debug'}}`);
		const restarting = await reloadEvent(socket, from);
		assert.equal(restarting.result, 'restarting');
		assert.ok(restarting.changedPaths.includes('gateway.auth.token'));
		const shutdown = await socket.event('shutdown');
		assert.ok(shutdown.payload.restartExpectedMs > 0);
		assert.equal((await socket.closedWith()).code, 1012);
		await gw.gateway.waitFor(/restarted, listening on ws:\/\/127\.0\.0\.1:\d+ \(pid (\d+)/);
		assert.match(gw.gateway.output(), new RegExp(`restarted, listening on ws://127\\.0\\.0\\.1:${gw.port} \\(pid ${gw.pid}`));

		const stale = new RawSocket(`ws://127.0.0.1:${gw.port}`);
		const refused = await stale.connect({auth: {token}});
		assert.equal(refused.ok, false, 'the old token no longer works: the new generation runs on the new config');
		const fresh = await reconnect(gw, newToken);
		const after = (await health(fresh)).configReload;
		assert.equal(after.lastReload.result, 'applied');
		assert.equal(after.lastReload.restarted, true);
		assert.deepEqual(after.pendingPaths, []);
		fresh.close();
	});

	test('hot: hot changes apply, restart-class ones stay pending until a restart (SIGUSR2) picks them up', async () => {
		const gw = await start(configText('hot'));
		const socket = await admin(gw);
		const from = socket.frames.length;
		await writeFile(gw.configPath, configText('hot', '', newToken).replace(`level: 'info'`, `level: 'warn'`));
		const pending = await reloadEvent(socket, from);
		assert.equal(pending.result, 'pending');
		assert.deepEqual(pending.pendingPaths, ['gateway.auth.token']);
		assert.ok(pending.changedPaths.includes('logging.level'));
		const state = (await health(socket)).configReload;
		assert.deepEqual(state.pendingPaths, ['gateway.auth.token']);
		assert.notEqual(state.appliedConfigHash, state.fileHash, 'the running config is not yet the file');
		const status = await socket.call('status');
		assert.deepEqual(status.payload.health.configReload.pendingPaths, ['gateway.auth.token']);
		const stillOld = await admin(gw);
		stillOld.close();

		gw.gateway.kill('SIGUSR2');
		await socket.closedWith();
		await gw.gateway.waitFor(/restarted, listening/);
		const fresh = await reconnect(gw, newToken);
		const after = (await health(fresh)).configReload;
		assert.deepEqual(after.pendingPaths, []);
		assert.equal(after.lastReload.ts, state.lastReload.ts, 'the reload state survives the restart');
		assert.equal(after.appliedConfigHash, after.fileHash);
		fresh.close();
	});

	test('restart: any change that matters restarts in-process (same pid); the mode itself applies at once', async () => {
		const gw = await start(configText('restart'));
		const socket = await admin(gw);
		const from = socket.frames.length;
		await writeFile(gw.configPath, configText('restart').replace(`level: 'info'`, `level: 'debug'`));
		const restarting = await reloadEvent(socket, from);
		assert.equal(restarting.result, 'restarting');
		assert.deepEqual(restarting.changedPaths, ['logging.level']);
		assert.equal((await socket.closedWith()).code, 1012);
		await gw.gateway.waitFor(/restarted, listening/);
		assert.match(gw.gateway.output(), new RegExp(`\\(pid ${gw.pid}`));
		const fresh = await reconnect(gw);
		assert.equal((await health(fresh)).configReload.lastReload.restarted, true);

		const before = fresh.frames.length;
		await writeFile(gw.configPath, configText('hot').replace(`level: 'info'`, `level: 'debug'`));
		const modeOnly = await reloadEvent(fresh, before);
		assert.equal(modeOnly.result, 'applied', 'a change of the reload mode alone never restarts');
		assert.equal(modeOnly.mode, 'hot');
		assert.equal((await fresh.call('status')).payload.gateway.reloadMode, 'hot');
		assert.equal(fresh.closed, undefined);
		fresh.close();
	});

	test('off: changes are logged and ignored; switching the mode back applies what was pending', async () => {
		const gw = await start(configText('off'));
		const socket = await admin(gw);
		let from = socket.frames.length;
		await writeFile(gw.configPath, configText('off').replace(`level: 'info'`, `level: 'debug'`));
		const ignored = await reloadEvent(socket, from);
		assert.equal(ignored.result, 'ignored');
		assert.deepEqual(ignored.pendingPaths, ['logging.level']);
		const state = (await health(socket)).configReload;
		assert.equal(state.hotReloadStatus, 'disabled');
		assert.equal(state.mode, 'off');

		from = socket.frames.length;
		await writeFile(gw.configPath, configText('hybrid').replace(`level: 'info'`, `level: 'debug'`));
		const applied = await reloadEvent(socket, from);
		assert.equal(applied.result, 'applied');
		assert.equal(applied.mode, 'hybrid');
		assert.deepEqual(applied.changedPaths, ['gateway.reload.mode', 'logging.level']);
		assert.equal((await health(socket)).configReload.hotReloadStatus, 'active');
		socket.close();
	});
});

describe('a config file that breaks', () => {
	test('bad JSON5, failed validation and a deleted file are reported; the gateway keeps running on the last good config', async () => {
		const gw = await start(configText('hybrid'));
		const socket = await admin(gw);

		let from = socket.frames.length;
		await writeFile(gw.configPath, '{gateway: {mode: "local", auth: {token: ');
		const syntax = await reloadEvent(socket, from);
		assert.equal(syntax.result, 'error');
		assert.match(syntax.error, /not valid JSON5|invalid config/);
		let state = (await health(socket)).configReload;
		assert.match(state.configError, /keeping the last good config/);
		const status = await socket.call('status');
		assert.match(status.payload.health.configReload.configError, /keeping the last good config/);

		from = socket.frames.length;
		await writeFile(gw.configPath, `{gateway: {mode: 'local', port: 'not-a-port', auth: {token: '${newToken}'}}}`);
		const invalid = await reloadEvent(socket, from, (payload) => payload.result === 'error' && /gateway\.port/.test(payload.error));
		assert.match(invalid.error, /gateway\.port: expected number/);

		from = socket.frames.length;
		await rm(gw.configPath);
		const missing = await reloadEvent(socket, from, (payload) => /missing/.test(payload.error ?? ''));
		assert.equal(missing.result, 'error');

		// An in-process restart while the file is gone runs on the last good config: the old token still works.
		gw.gateway.kill('SIGUSR2');
		await socket.closedWith();
		await gw.gateway.waitFor(/restarted, listening/);
		const fresh = await reconnect(gw, token);
		state = (await health(fresh)).configReload;
		assert.match(state.configError, /missing/);

		// An editor-style atomic replace brings a valid file back: the error clears and the change applies.
		from = fresh.frames.length;
		const temp = `${gw.configPath}.tmp`;
		await writeFile(temp, configText('hybrid').replace(`level: 'info'`, `level: 'debug'`));
		await rename(temp, gw.configPath);
		const back = await reloadEvent(fresh, from, (payload) => payload.result !== 'error');
		assert.equal(back.result, 'applied');
		assert.deepEqual(back.changedPaths, ['logging.level']);
		state = (await health(fresh)).configReload;
		assert.equal(state.configError, undefined);
		assert.equal(gw.gateway.output().includes('Gateway failed'), false);
		fresh.close();
	});

	test('a valid file the gateway cannot start on (password mode, no password) restarts on the last good config and says why', async () => {
		const gw = await start(configText('hybrid'));
		const socket = await admin(gw);
		await writeFile(gw.configPath, `{gateway: {mode: 'local', auth: {mode: 'password'}}}`);
		await socket.closedWith(10_000);
		await gw.gateway.waitFor(/restarted, listening/);
		const fresh = await reconnect(gw, token);
		const deadline = Date.now() + 5000;
		let state = (await health(fresh)).configReload;
		while (!state.configError && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 50));
			state = (await health(fresh)).configReload;
		}

		assert.match(state.configError, /no password is configured/);
		assert.equal(state.lastReload.result, 'error');
		assert.ok(state.pendingPaths.includes('gateway.auth.mode'));
		fresh.close();
	});
});
