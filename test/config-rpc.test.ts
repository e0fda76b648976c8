// config.get / config.set / config.patch / config.apply on the real `openclaw gateway` process: redaction, the
// base-hash guard, validation before writing, atomic writes that keep the file mode, and the reload they trigger.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {chmod, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import {after, before, describe, test} from 'node:test';
import {authedSocket, freePort, tempDir, type RawSocket} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const token = 'config-rpc-token-01';
const botToken = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const sentinel = '__OPENCLAW_REDACTED__';

let gateway: GatewayProcess;
let port: number;
let configPath: string;
let cleanup: () => Promise<void>;

before(async () => {
	let home: string;
	({dir: home, cleanup} = await tempDir('openclaw-config-rpc-'));
	const stateDir = path.join(home, 'state');
	configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(
		configPath,
		`// operator notes\n{gateway: {mode: 'local', auth: {token: '${token}'}, reload: {mode: 'hot'}}, channels: {telegram: {botToken: '${botToken}', enabled: false}}}\n`,
	);
	await chmod(configPath, 0o640);
	port = await freePort();
	gateway = spawnGateway(['gateway', '--port', String(port), '--allow-unconfigured'], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}));
	await gateway.waitFor(/listening on/, 15_000);
});

after(async () => {
	gateway.kill('SIGTERM');
	await gateway.exited;
	await cleanup();
});

async function admin(auth = token): Promise<RawSocket> {
	return authedSocket(`ws://127.0.0.1:${port}`, {scopes: ['operator.admin'], auth: {token: auth}});
}

async function get(socket: RawSocket): Promise<any> {
	const res = await socket.call('config.get', {});
	assert.equal(res.ok, true, JSON.stringify(res.error));
	return res.payload;
}

describe('config.get', () => {
	test('returns the file with secrets as the sentinel, comments kept in raw, and the hash of the file bytes', async () => {
		const reader = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}});
		const snapshot = await get(reader);
		assert.equal(snapshot.path, configPath);
		assert.equal(snapshot.exists, true);
		assert.equal(snapshot.valid, true);
		assert.deepEqual(snapshot.issues, []);
		assert.equal(snapshot.config.gateway.auth.token, sentinel);
		assert.equal(snapshot.config.channels.telegram.botToken, sentinel);
		assert.match(snapshot.raw, /^\/\/ operator notes/);
		assert.equal(snapshot.raw.includes(token), false);
		assert.equal(snapshot.raw.includes(botToken), false);
		assert.equal(snapshot.hash, createHash('sha256').update(await readFile(configPath)).digest('hex'));
		const denied = await reader.call('config.set', {raw: '{}', baseHash: snapshot.hash});
		assert.equal(denied.error.code, 'FORBIDDEN');
		reader.close();
	});
});

describe('config writes', () => {
	test('a missing or stale baseHash is refused with OpenClaw\'s texts, for set, patch and apply', async () => {
		const socket = await admin();
		for (const method of ['config.set', 'config.patch', 'config.apply']) {
			const missing = await socket.call(method, {raw: '{}'});
			assert.deepEqual(missing.error, {code: 'INVALID_REQUEST', message: 'config base hash required; re-run config.get and retry'}, method);
			const stale = await socket.call(method, {raw: '{}', baseHash: 'f'.repeat(64)});
			assert.deepEqual(stale.error, {code: 'INVALID_REQUEST', message: 'config changed since last load; re-run config.get and retry'}, method);
		}

		socket.close();
	});

	test('an invalid config is refused before anything is written, naming the keys', async () => {
		const socket = await admin();
		const before = await readFile(configPath, 'utf8');
		const {hash} = await get(socket);
		const res = await socket.call('config.patch', {raw: `{gateway: {port: 'eighty'}, logging: {level: 'loud'}}`, baseHash: hash});
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.deepEqual(
			res.error.details.issues.map((issue: any) => issue.path),
			['gateway.port', 'logging.level'],
		);
		const syntax = await socket.call('config.set', {raw: '{gateway: ', baseHash: hash});
		assert.match(syntax.error.message, /not valid JSON5/);
		assert.equal(await readFile(configPath, 'utf8'), before);
		socket.close();
	});

	test('config.set with the redacted snapshot keeps the secrets, the comments and the file mode, and hot-reloads', async () => {
		const socket = await admin();
		const snapshot = await get(socket);
		const edited = {...snapshot.config, logging: {level: 'debug'}};
		const from = socket.frames.length;
		const res = await socket.call('config.set', {raw: JSON.stringify(edited), baseHash: snapshot.hash});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.deepEqual(res.payload.changedPaths, ['logging.level']);
		assert.deepEqual(res.payload.restart, {required: false, scheduled: false});
		assert.equal(res.payload.config.gateway.auth.token, sentinel);
		const text = await readFile(configPath, 'utf8');
		assert.match(text, /^\/\/ operator notes\n/);
		const written = JSON5.parse(text);
		assert.equal(written.gateway.auth.token, token);
		assert.equal(written.channels.telegram.botToken, botToken);
		assert.equal(written.logging.level, 'debug');
		assert.equal(res.payload.hash, createHash('sha256').update(text).digest('hex'));
		assert.equal((await stat(configPath)).mode & 0o777, 0o640);
		const event = await socket.frame((frame) => socket.frames.indexOf(frame) >= from && frame.event === 'config.reload');
		assert.equal(event.payload.result, 'applied');
		assert.deepEqual(event.payload.changedPaths, ['logging.level']);
		socket.close();
	});

	test('config.patch merges (null deletes), reports a no-op, and two writers on one hash: one wins, one is stale', async () => {
		const socket = await admin();
		let {hash} = await get(socket);
		const res = await socket.call('config.patch', {raw: `{channels: {telegram: {enabled: null}}, agents: {defaults: {model: 'echo'}}}`, baseHash: hash});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.deepEqual(res.payload.changedPaths, ['agents.defaults.model', 'channels.telegram.enabled']);
		const written = JSON5.parse(await readFile(configPath, 'utf8'));
		assert.equal(written.channels.telegram.enabled, undefined);
		assert.equal(written.channels.telegram.botToken, botToken);
		hash = res.payload.hash;
		const noop = await socket.call('config.patch', {raw: `{agents: {defaults: {model: 'echo'}}}`, baseHash: hash});
		assert.equal(noop.payload.noop, true);
		assert.deepEqual(noop.payload.changedPaths, []);

		const [first, second] = await Promise.all([
			socket.call('config.patch', {raw: `{logging: {level: 'info'}}`, baseHash: hash}),
			socket.call('config.patch', {raw: `{logging: {level: 'warn'}}`, baseHash: hash}),
		]);
		assert.deepEqual([first.ok, second.ok].sort(), [false, true]);
		assert.match((first.ok ? second : first).error.message, /config changed since last load/);
		socket.close();
	});

	test('a sentinel where no secret is stored is refused', async () => {
		const socket = await admin();
		const {hash} = await get(socket);
		const res = await socket.call('config.patch', {raw: `{hooks: {token: '${sentinel}'}}`, baseHash: hash});
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.match(res.error.message, /hooks\.token/);
		socket.close();
	});

	test('config.apply makes a restart-class change take effect even in hot mode: in-process restart on the new config', async () => {
		const socket = await admin();
		const {hash} = await get(socket);
		const newToken = 'config-rpc-token-02';
		const res = await socket.call('config.patch', {raw: `{gateway: {auth: {token: '${newToken}'}}}`, baseHash: hash});
		assert.deepEqual(res.payload.restart, {required: true, scheduled: false}, 'hot mode leaves it pending');
		const snapshot = await get(socket);
		assert.match(snapshot.warnings.join(' '), /gateway\.auth\.token/);
		const applied = await socket.call('config.apply', {raw: JSON.stringify(snapshot.config), baseHash: snapshot.hash});
		assert.equal(applied.ok, true, JSON.stringify(applied.error));
		assert.deepEqual(applied.payload.restart, {required: true, scheduled: true});
		assert.equal((await socket.closedWith()).code, 1012);
		await gateway.waitFor(/restarted, listening/);
		const deadline = Date.now() + 10_000;
		let fresh: RawSocket | undefined;
		while (!fresh) {
			fresh = await admin(newToken).catch(async (error) => {
				if (Date.now() > deadline) {
					throw error;
				}

				await new Promise((resolve) => setTimeout(resolve, 100));
				return undefined;
			});
		}

		const health = (await fresh.call('health')).payload;
		assert.deepEqual(health.configReload.pendingPaths, []);
		fresh.close();
	});
});
