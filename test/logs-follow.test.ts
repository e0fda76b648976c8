// Logs on the real `openclaw gateway` process: a follower using logs.tail (woken by logs.appended) reads every
// line exactly once while the gateway writes thousands and rotates many times; params are validated as OpenClaw
// does; a log directory that breaks is reported in health without taking the gateway down; secrets never reach
// the file.
import assert from 'node:assert/strict';
import {readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {authedSocket, freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const token = 'logs-follow-token-77';
const maxFileBytes = 32 * 1024;
let gateway: GatewayProcess;
let port: number;
let stateDir: string;
let configPath: string;
let cleanup: () => Promise<void>;

const baseConfig = `{gateway: {mode: 'local', auth: {token: '${token}'}}, logging: {maxFileBytes: ${maxFileBytes}, maxFiles: 5}}`;

before(async () => {
	let home: string;
	({dir: home, cleanup} = await tempDir('openclaw-logs-follow-'));
	stateDir = path.join(home, 'state');
	configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, baseConfig);
	port = await freePort();
	gateway = spawnGateway(['gateway', '--port', String(port), '--allow-unconfigured'], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}));
	await gateway.waitFor(/listening on/, 15_000);
});

after(async () => {
	gateway.kill('SIGTERM');
	await gateway.exited;
	await cleanup();
});

const url = () => `ws://127.0.0.1:${port}`;

/** One `connect rejected` warning in the gateway's log, each with its own connId. */
async function rejectedConnect(): Promise<void> {
	const socket = new RawSocket(url());
	await socket.connect({auth: {token: 'wrong-token'}});
	await socket.closedWith();
}

async function rejectedConnects(count: number, parallel = 8): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({length: parallel}, async () => {
			while (next < count) {
				next++;
				await rejectedConnect();
			}
		}),
	);
}

function rejectedIds(lines: string[]): string[] {
	return lines.flatMap((line) => {
		try {
			const record = JSON.parse(line);
			return String(record.message).startsWith('connect rejected: ') ? [record.fields.connId as string] : [];
		} catch {
			return [];
		}
	});
}

async function health(socket: RawSocket): Promise<any> {
	return (await socket.call('health')).payload;
}

describe('logs.tail follow', () => {
	test('a follower reads every line exactly once across many rotations (2000 lines, 32 KiB files)', async () => {
		const follower = await authedSocket(url(), {auth: {token}});
		const first = await follower.call('logs.tail', {});
		let cursor: number = first.payload.cursor;
		const total = 2000;
		const seen: string[] = [];
		let resets = 0;
		let done = false;
		const generating = rejectedConnects(total).finally(() => {
			done = true;
		});

		const deadline = Date.now() + 60_000;
		for (let calls = 0; Date.now() < deadline; calls++) {
			const res = await follower.call('logs.tail', {cursor, limit: 1000});
			assert.equal(res.ok, true, JSON.stringify(res.error));
			if (res.payload.reset) {
				resets++;
			}

			seen.push(...rejectedIds(res.payload.lines));
			cursor = res.payload.cursor;
			if (done && cursor >= res.payload.size && seen.length >= total) {
				break;
			}

			if (cursor >= res.payload.size) {
				// Caught up: wait for the throttled logs.appended nudge (or a short timeout).
				const from = follower.frames.length;
				await follower
					.frame((frame) => follower.frames.indexOf(frame) >= from && frame.event === 'logs.appended', 250)
					.catch(() => undefined);
			}
		}

		await generating;
		assert.equal(resets, 0);
		assert.equal(seen.length, total, 'no line lost');
		assert.equal(new Set(seen).size, total, 'no line repeated');
		const state = (await health(follower)).logging;
		assert.equal(state.ok, true);
		assert.ok(state.rotations >= 10, `only ${state.rotations} rotations`);
		const archives = (await readdir(path.join(stateDir, 'logs'))).filter((name) => /^gateway\.log\.\d+$/.test(name));
		assert.equal(archives.length, 5, 'maxFiles archives are kept');
		assert.ok(follower.frames.some((frame) => frame.event === 'logs.appended' && typeof frame.payload.cursor === 'number'));
		follower.close();
	});

	test('without a cursor: the newest lines, newest last, at most limit', async () => {
		const socket = await authedSocket(url(), {auth: {token}});
		const res = await socket.call('logs.tail', {limit: 3});
		assert.equal(res.payload.lines.length, 3);
		assert.equal(res.payload.truncated, true);
		assert.equal(res.payload.cursor, res.payload.size);
		assert.equal(res.payload.file, path.join(stateDir, 'logs', 'gateway.log'));
		for (const line of res.payload.lines) {
			assert.equal(typeof JSON.parse(line)._meta.logLevelName, 'string');
		}

		socket.close();
	});

	test('params are validated with OpenClaw\'s messages and need operator.read', async () => {
		const socket = await authedSocket(url(), {auth: {token}});
		const cases: Array<[unknown, string]> = [
			[{limit: 'x'}, 'invalid logs.tail params: at /limit: must be integer'],
			[{limit: 0}, 'invalid logs.tail params: at /limit: must be >= 1'],
			[{limit: 5001}, 'invalid logs.tail params: at /limit: must be <= 5000'],
			[{maxBytes: 1_000_001}, 'invalid logs.tail params: at /maxBytes: must be <= 1000000'],
			[{cursor: -1}, 'invalid logs.tail params: at /cursor: must be >= 0'],
			[{cursor: 1.5}, 'invalid logs.tail params: at /cursor: must be integer'],
			[{follow: true}, 'invalid logs.tail params: must NOT have additional properties (follow)'],
		];
		for (const [params, message] of cases) {
			const res = await socket.call('logs.tail', params);
			assert.deepEqual(res.error, {code: 'INVALID_REQUEST', message});
		}

		socket.close();
		const probe = await authedSocket(url(), {auth: {token}, scopes: []});
		assert.equal((await probe.call('logs.tail', {})).error.code, 'FORBIDDEN');
		probe.close();
	});
});

describe('log faults and redaction', () => {
	test('a log directory replaced by a file is reported in health; the gateway keeps serving and writing resumes', async () => {
		const socket = await authedSocket(url(), {auth: {token}});
		const logs = path.join(stateDir, 'logs');
		const before = (await health(socket)).logging;
		await rename(logs, path.join(stateDir, 'logs-moved'));
		await writeFile(logs, 'a file where the log directory was');
		try {
			let state: any;
			const deadline = Date.now() + 15_000;
			do {
				await rejectedConnect();
				state = (await health(socket)).logging;
			} while ((state.ok || state.droppedLines === before.droppedLines) && Date.now() < deadline);
			assert.equal(state.ok, false);
			assert.match(state.error, /not writable/);
			assert.ok(state.droppedLines > before.droppedLines);
			assert.equal(state.faults, before.faults + 1);
		} finally {
			await rm(logs, {force: true});
		}

		const cursor = (await socket.call('logs.tail', {})).payload.cursor;
		let state: any;
		const deadline = Date.now() + 15_000;
		do {
			await rejectedConnect();
			state = (await health(socket)).logging;
		} while (!state.ok && Date.now() < deadline);
		assert.equal(state.ok, true);
		await rejectedConnect();
		const res = await socket.call('logs.tail', {cursor});
		assert.equal(res.payload.reset, undefined, 'offsets move forward after the fault');
		assert.ok(res.payload.lines.some((line: string) => line.includes('log file writable again')));
		assert.ok(rejectedIds(res.payload.lines).length > 0);
		socket.close();
	});

	test('a gateway whose log path is unusable from the start still starts, says so, and reports it in health', async () => {
		const {dir: home, cleanup: done} = await tempDir('openclaw-logs-blocked-');
		const blocker = path.join(home, 'blocker');
		await writeFile(blocker, 'a regular file where the log directory should be');
		const config = path.join(home, 'openclaw.json');
		await writeConfig(config, `{gateway: {mode: 'local', auth: {token: '${token}'}}}`);
		const blockedPort = await freePort();
		const blocked = spawnGateway(
			['gateway', '--port', String(blockedPort)],
			isolatedEnv(home, {OPENCLAW_STATE_DIR: home, OPENCLAW_CONFIG_PATH: config, OPENCLAW_LOG_DIR: blocker}),
		);
		try {
			await blocked.waitFor(/listening on/, 15_000);
			assert.match(blocked.output(), /log file .*gateway\.log is not writable/);
			const socket = await authedSocket(`ws://127.0.0.1:${blockedPort}`, {auth: {token}});
			const state = (await health(socket)).logging;
			assert.equal(state.ok, false);
			assert.ok(state.droppedLines > 0);
			const tail = await socket.call('logs.tail', {});
			assert.equal(tail.ok, true);
			assert.deepEqual(tail.payload.lines, []);
			socket.close();
		} finally {
			blocked.kill('SIGTERM');
			await blocked.exited;
			await done();
		}
	});

	test('secrets are masked in the file, in served lines and in health, even inside error texts', async () => {
		const socket = await authedSocket(url(), {auth: {token}});
		const apiKey = 'sk-proj-abcdefghijklmnopqrstuvwx';
		const from = socket.frames.length;
		// Invalid values are quoted back by validation errors: the token itself and an API key.
		await writeFile(configPath, `{gateway: {mode: 'local', auth: {token: '${token}'}, reload: {mode: '${token}'}, bind: '${apiKey}'}}`);
		const event = await socket.frame((frame) => socket.frames.indexOf(frame) >= from && frame.event === 'config.reload', 10_000);
		assert.equal(event.payload.result, 'error');
		const state = (await health(socket)).configReload;
		assert.match(state.configError, /gateway\.reload\.mode/);
		await writeConfig(configPath, baseConfig);
		const tail = await socket.call('logs.tail', {limit: 50});
		const served = tail.payload.lines.join('\n');
		assert.match(served, /config reload failed/);
		const files = await readdir(path.join(stateDir, 'logs'));
		const onDisk = (await Promise.all(files.map(async (name) => readFile(path.join(stateDir, 'logs', name), 'utf8')))).join('\n');
		for (const text of [onDisk, served, JSON.stringify(state), JSON.stringify(event.payload)]) {
			assert.equal(text.includes(token), false, 'the gateway token leaked');
			assert.equal(text.includes(apiKey.slice(3)), false, 'the API key leaked');
		}

		assert.match(onDisk, /\*\*\*/);
		socket.close();
	});
});
