// Config writes on the real `openclaw gateway` process keep the operator's JSON5 file: a change edits the value it
// changes and nothing else (comments, unquoted keys, quotes, trailing commas stay); a file the editor cannot read is
// rewritten as plain JSON, and the answer and the log say so.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {authedSocket, freePort, tempDir, type RawSocket} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const token = 'keeps-format-token-01';
const botToken = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

// The kind of file an operator keeps by hand: every JSON5 liberty the editor must carry through.
const operatorFile = `// home lab gateway: ask before changing the port
{
  gateway: {
    mode: 'local', // never remote here
    port: 18789,
    auth: {token: "${token}"},
    /* hot: the bots must not drop off */
    reload: {mode: 'hot'},
  },
  channels: {
    telegram: {
      botToken: '${botToken}', // @homelab_bot
      enabled: false,
    },
  },
}
`;

let gateway: GatewayProcess;
let port: number;
let configPath: string;
let cleanup: () => Promise<void>;
let socket: RawSocket;

before(async () => {
	let home: string;
	({dir: home, cleanup} = await tempDir('openclaw-keeps-format-'));
	const stateDir = path.join(home, 'state');
	configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, operatorFile);
	port = await freePort();
	gateway = spawnGateway(['gateway', '--port', String(port), '--allow-unconfigured'], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}));
	await gateway.waitFor(/listening on/, 15_000);
	socket = await authedSocket(`ws://127.0.0.1:${port}`, {scopes: ['operator.admin'], auth: {token}});
});

after(async () => {
	socket.close();
	gateway.kill('SIGTERM');
	await gateway.exited;
	await cleanup();
});

/** Put `text` in the config file and return the hash a write must quote. */
async function fileSays(text: string): Promise<string> {
	await writeConfig(configPath, text);
	const res = await socket.call('config.get', {});
	assert.equal(res.ok, true, JSON.stringify(res.error));
	return res.payload.hash;
}

async function write(method: string, raw: string, baseHash: string): Promise<any> {
	const res = await socket.call(method, {raw, baseHash});
	assert.equal(res.ok, true, JSON.stringify(res.error));
	const text = await readFile(configPath, 'utf8');
	assert.equal(res.payload.hash, createHash('sha256').update(text).digest('hex'), 'the answer hashes the bytes written');
	return res.payload;
}

describe('config writes keep the operator\'s file', () => {
	test('config.patch of gateway.reload.mode (the console\'s m) changes that value and no other byte', async () => {
		const hash = await fileSays(operatorFile);
		const result = await write('config.patch', `{gateway: {reload: {mode: 'hybrid'}}}`, hash);
		assert.equal(await readFile(configPath, 'utf8'), operatorFile.replace(`reload: {mode: 'hot'}`, `reload: {mode: 'hybrid'}`));
		assert.equal(result.formatting, 'kept');
		assert.equal(result.warnings, undefined);
		assert.deepEqual(result.changedPaths, ['gateway.reload.mode']);
	});

	test('config.patch with null removes the key and its line; the rest stays (the closing brace takes its indent)', async () => {
		const hash = await fileSays(operatorFile);
		await write('config.patch', `{channels: {telegram: {enabled: null}}}`, hash);
		// The library leaves the removed last entry's indentation in front of the brace (cosmetic; see edit-text.ts).
		assert.equal(await readFile(configPath, 'utf8'), operatorFile.replace('      enabled: false,\n    },', '      },'));
	});

	test('config.set of the redacted snapshot plus a nested new key adds it and keeps the rest, secrets in place', async () => {
		const hash = await fileSays(operatorFile);
		const snapshot = (await socket.call('config.get', {})).payload;
		const edited = {...snapshot.config, gateway: {...snapshot.config.gateway, reload: {mode: 'hot', debounceMs: 250}}};
		await write('config.set', JSON.stringify(edited), hash);
		assert.equal(
			await readFile(configPath, 'utf8'),
			operatorFile.replace(`reload: {mode: 'hot'}`, `reload: {mode: 'hot', debounceMs: 250}`),
		);
	});

	test('config.apply of a whole new config keeps the comments of the keys it still has', async () => {
		const hash = await fileSays(operatorFile);
		const next = {gateway: {mode: 'local', port: 18_789, auth: {token}, reload: {mode: 'hot'}}, logging: {level: 'debug'}};
		const result = await write('config.apply', JSON.stringify(next), hash);
		assert.deepEqual(result.restart, {required: false, scheduled: false});
		const text = await readFile(configPath, 'utf8');
		const kept = operatorFile.slice(0, operatorFile.indexOf('  channels: {'));
		assert.equal(text, `${kept}  logging: {\n    level: 'debug',\n  },\n}\n`);
	});

	test('a file the editor cannot read is rewritten as plain JSON, and the answer and the log say so', async () => {
		// `\x6c` is legal JSON5 (a hex escape) that the comment-keeping editor does not read.
		const exotic = operatorFile.replace(`mode: 'local'`, `mode: '\\x6cocal'`);
		const hash = await fileSays(exotic);
		const result = await write('config.patch', `{gateway: {reload: {mode: 'off'}}}`, hash);
		assert.equal(result.formatting, 'rewritten');
		assert.match(result.warnings.join('\n'), /rewritten as plain JSON, its comments and formatting not kept: cannot edit the file in place/);
		const written = JSON.parse(await readFile(configPath, 'utf8'));
		assert.deepEqual(written, {
			gateway: {mode: 'local', port: 18_789, auth: {token}, reload: {mode: 'off'}},
			channels: {telegram: {botToken, enabled: false}},
		});
		const log = (await socket.call('logs.tail', {limit: 50})).payload.lines.map((line: string) => JSON.parse(line));
		const warning = log.find((record: any) => record.message === 'config file rewritten as plain JSON: its comments and formatting were not kept');
		assert.equal(warning?.level, 'warn');
		assert.match(warning.fields.reason, /^cannot edit the file in place/);
	});
});
