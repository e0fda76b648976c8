// The config as an attacker with a token sees it, on the real `openclaw gateway` process: prototype keys never reach
// a prototype (nor the file), what runs is what the file parses to, secrets inside URLs stay hidden from readers, and
// the config cannot grow past its size cap.
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import {after, describe, test} from 'node:test';
import {maxConfigBytes} from '../source/protocol/config/load.js';
import {authedSocket, freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const token = 'security-config-token-47';
const baseConfig = `{gateway: {mode: 'local', auth: {mode: 'token', token: '${token}'}}}`;

type Running = {gateway: GatewayProcess; port: number; configPath: string};

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

async function start(config = baseConfig, {wait = true} = {}): Promise<Running> {
	const {dir, cleanup} = await tempDir('openclaw-security-config-');
	cleanups.push(cleanup);
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, config);
	const port = await freePort();
	const gateway = spawnGateway(['gateway', '--port', String(port)], isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}));
	cleanups.unshift(async () => {
		gateway.kill('SIGKILL');
		await gateway.exited;
	});
	if (wait) {
		await gateway.waitFor(/listening on/, 15_000);
	}

	return {gateway, port, configPath};
}

async function admin(port: number): Promise<RawSocket> {
	return authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}, scopes: ['operator.admin']});
}

/** A connect with no secret at all: refused while auth is on. */
async function tokenlessConnect(port: number): Promise<any> {
	const socket = new RawSocket(`ws://127.0.0.1:${port}`);
	try {
		return await socket.connect({auth: undefined, scopes: ['operator.admin']});
	} finally {
		socket.close();
	}
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('prototype keys', () => {
	test('the __proto__ attack of issue 18: config.set is refused naming the key; the file, auth and a tokenless client stay as they were', async () => {
		const {port, configPath} = await start();
		const socket = await admin(port);
		const before = await socket.call('config.get', {});
		const fileBefore = await readFile(configPath, 'utf8');
		for (const method of ['config.set', 'config.apply']) {
			const res = await socket.call(method, {raw: '{"__proto__":{"gateway":{"auth":{"mode":"none"}}}}', baseHash: before.payload.hash});
			assert.equal(res.ok, false, method);
			assert.equal(res.error.code, 'INVALID_REQUEST');
			assert.match(res.error.message, /__proto__: key not allowed/);
		}

		assert.equal(await readFile(configPath, 'utf8'), fileBefore);
		await sleep(300);
		const tokenless = await tokenlessConnect(port);
		assert.equal(tokenless.ok, false, 'a client without a token must still be refused');
		assert.match(tokenless.error.message, /unauthorized/);
		const health = await socket.call('health', {});
		assert.equal(health.ok, true);
		socket.close();
	});

	test('config.patch: __proto__, constructor and prototype anywhere are refused with the path (issue 14: constructor.prototype)', async () => {
		const {port, configPath} = await start();
		const socket = await admin(port);
		const fileBefore = await readFile(configPath, 'utf8');
		const {payload} = await socket.call('config.get', {});
		const cases: Array<[string, RegExp]> = [
			['{"constructor": {"prototype": {"x": 1}}}', /constructor: key not allowed/],
			['{"gateway": {"__proto__": {"auth": {"mode": "none"}}}}', /gateway\.__proto__: key not allowed/],
			['{agents: {list: [{id: "a", prototype: {}}]}}', /agents\.list\[0\]\.prototype: key not allowed/],
			['{"__proto__": null}', /__proto__: key not allowed/],
		];
		for (const [raw, message] of cases) {
			const res = await socket.call('config.patch', {raw, baseHash: payload.hash});
			assert.equal(res.ok, false, raw);
			assert.equal(res.error.code, 'INVALID_REQUEST', raw);
			assert.match(res.error.message, message, raw);
			assert.ok(res.error.details.issues.length > 0, raw);
		}

		assert.equal(await readFile(configPath, 'utf8'), fileBefore);
		socket.close();
	});

	test('a config file with a __proto__ key does not start the gateway: exit 78, naming the key', async () => {
		const {gateway} = await start(`{"__proto__": {"gateway": {"auth": {"mode": "none"}}}, gateway: {mode: 'local', auth: {token: '${token}'}}}`, {wait: false});
		const {exitCode} = await gateway.exited;
		assert.equal(exitCode, 78);
		assert.match(gateway.output(), /__proto__: key not allowed/);
	});

	test('an edit adding a __proto__ key is reported and the last good config keeps running, auth on', async () => {
		const {port, configPath} = await start();
		const socket = await admin(port);
		await writeFile(configPath, `{"__proto__": {"gateway": {"auth": {"mode": "none"}}}, gateway: {mode: 'local', auth: {mode: 'token', token: '${token}'}}}`);
		let health: any;
		const deadline = Date.now() + 10_000;
		do {
			await sleep(100);
			health = (await socket.call('health', {})).payload;
		} while (!health.configReload?.configError && Date.now() < deadline);
		assert.match(health.configReload.configError, /__proto__: key not allowed/);
		assert.equal((await tokenlessConnect(port)).ok, false);
		socket.close();
	});
});

describe('shape limits', () => {
	test('keys over 256 characters and nesting past 32 levels are refused naming the path; the file stays', async () => {
		const {port, configPath} = await start();
		const socket = await admin(port);
		const fileBefore = await readFile(configPath, 'utf8');
		const {payload} = await socket.call('config.get', {});
		const longKey = await socket.call('config.patch', {raw: JSON.stringify({notes: {['k'.repeat(300)]: 1}}), baseHash: payload.hash});
		assert.equal(longKey.ok, false);
		assert.match(longKey.error.message, /notes\.k{40}…: key longer than 256 characters/);
		const deep = await socket.call('config.patch', {raw: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, baseHash: payload.hash});
		assert.equal(deep.ok, false);
		assert.match(deep.error.message, /nested deeper than 32 levels/);
		assert.equal(await readFile(configPath, 'utf8'), fileBefore);
		const manyBad = await socket.call('config.set', {raw: JSON.stringify({agents: {list: Array.from({length: 5000}, () => ({id: ''}))}}), baseHash: payload.hash});
		assert.equal(manyBad.ok, false);
		assert.equal(manyBad.error.details.issues.length, 101, 'a hundred issues and a count of the rest');
		assert.match(manyBad.error.details.issues.at(-1).message, /and 4900 more issues/);
		socket.close();
	});
});

describe('what runs is what the file says', () => {
	test('after a config.set, the running config equals the file: config.get of the file and the gateway agree', async () => {
		const {port, configPath} = await start();
		const socket = await admin(port);
		const {payload} = await socket.call('config.get', {});
		const res = await socket.call('config.set', {
			raw: `{gateway: {mode: 'local', auth: {mode: 'token', token: '${token}'}}, logging: {level: 'debug'}}`,
			baseHash: payload.hash,
		});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		const onDisk = JSON5.parse(await readFile(configPath, 'utf8')) as any;
		assert.equal(onDisk.logging.level, 'debug');
		assert.equal(onDisk.gateway.auth.mode, 'token');
		socket.close();
	});
});

describe('secrets inside URLs', () => {
	test('a read-scope config.get shows neither the webhook URL nor a password inside a provider baseUrl, in config or raw', async () => {
		const {port} = await start(
			`{gateway: {mode: 'local', auth: {mode: 'token', token: '${token}'}}, channels: {webhook: {enabled: false, url: 'http://127.0.0.1:9/hook/s3cr3t-path'}}, models: {providers: {local: {baseUrl: 'http://ops:pa55word@127.0.0.1:9/v1'}}}}`,
		);
		const reader = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}, scopes: ['operator.read']});
		const res = await reader.call('config.get', {});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		const text = JSON.stringify(res.payload);
		assert.doesNotMatch(text, /s3cr3t-path|pa55word/);
		assert.match(res.payload.raw, /http:\/\/ops:__OPENCLAW_REDACTED__@127\.0\.0\.1:9\/v1/);
		reader.close();
	});
});

describe('size cap', () => {
	test(`a write over ${maxConfigBytes} bytes is refused naming the limit, and the file stays`, async () => {
		const {port, configPath} = await start();
		const socket = await admin(port);
		const fileBefore = await readFile(configPath, 'utf8');
		const {payload} = await socket.call('config.get', {});
		const big = 'x'.repeat(maxConfigBytes);
		const viaPatch = await socket.call('config.patch', {raw: JSON.stringify({notes: {a: big.slice(0, maxConfigBytes / 2), b: big.slice(0, maxConfigBytes / 2)}}), baseHash: payload.hash}, 'big1');
		assert.equal(viaPatch.ok, false);
		assert.equal(viaPatch.error.code, 'INVALID_REQUEST');
		assert.match(viaPatch.error.message, new RegExp(`over the ${maxConfigBytes}-byte limit`));
		const viaSet = await socket.call('config.set', {raw: JSON.stringify({notes: big}), baseHash: payload.hash}, 'big2');
		assert.equal(viaSet.ok, false);
		assert.match(viaSet.error.message, /-byte limit/);
		assert.equal(await readFile(configPath, 'utf8'), fileBefore);
		const get = await socket.call('config.get', {});
		assert.ok(JSON.stringify(get).length < 64 * 1024);
		socket.close();
	});
});
