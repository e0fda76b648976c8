// Files on disk: state dir 0700, config and token files 0600, and atomic writes (temp file + rename) so a reader sees
// the old file or the new one, never half, and a write that fails leaves the old file as it was.
import assert from 'node:assert/strict';
import {readdir, readFile, stat, writeFile, chmod} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {writeFileAtomic} from '../source/protocol/config/write.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig} from './helpers/gateway-process.js';

let dir: string;
let cleanup: () => Promise<void>;
before(async () => {
	({dir, cleanup} = await tempDir('openclaw-files-'));
});
after(async () => cleanup());

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('writeFileAtomic', () => {
	test('a new file is 0600 in a 0700 directory it creates; no temp file is left behind', async () => {
		const file = path.join(dir, 'new', 'nested', 'openclaw.json');
		await writeFileAtomic(file, '{"a": 1}\n');
		assert.equal(await readFile(file, 'utf8'), '{"a": 1}\n');
		assert.equal(await modeOf(file), 0o600);
		assert.equal(await modeOf(path.dirname(file)), 0o700);
		assert.equal(await modeOf(path.join(dir, 'new')), 0o700);
		assert.deepEqual(await readdir(path.dirname(file)), ['openclaw.json']);
	});

	test('an explicit mode wins; a rewrite keeps the existing mode', async () => {
		const file = path.join(dir, 'modes.json');
		await writeFileAtomic(file, 'one', {mode: 0o600});
		assert.equal(await modeOf(file), 0o600);
		await chmod(file, 0o640);
		await writeFileAtomic(file, 'two');
		assert.equal(await modeOf(file), 0o640);
	});

	test('readers racing a writer only ever see a whole old or whole new file', async () => {
		const file = path.join(dir, 'race.json');
		const versions = ['A', 'B'].map((letter) => `${JSON.stringify({v: letter.repeat(200_000)})}\n`);
		await writeFileAtomic(file, versions[0]);
		let writing = true;
		const writer = (async () => {
			for (let index = 0; index < 40; index++) {
				await writeFileAtomic(file, versions[index % 2]);
			}

			writing = false;
		})();
		let reads = 0;
		while (writing && reads < 2000) {
			const text = await readFile(file, 'utf8');
			assert.ok(text === versions[0] || text === versions[1], `torn read of ${text.length} bytes`);
			reads++;
		}

		await writer;
		assert.ok(reads > 0);
		assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), []);
	});

	test('a write that fails (file size limit hit mid-write) leaves the old file intact and no temp file', async () => {
		const target = path.join(dir, 'limited', 'openclaw.json');
		const old = '{"gateway": {"mode": "local"}}\n';
		await writeFileAtomic(target, old);
		// The built module in a child with a 4 KiB file-size limit (EFBIG once it is hit): a real failed write.
		const writeModule = fileURLToPath(new URL('../dist/source/protocol/config/write.js', import.meta.url));
		const script = `process.on('SIGXFSZ', () => {});
const {writeFileAtomic} = await import(${JSON.stringify(writeModule)});
try { await writeFileAtomic(${JSON.stringify(target)}, 'x'.repeat(1 << 20)); console.log('written'); }
catch (error) { console.log('failed:' + error.code); }`;
		const result = await execa('bash', ['-c', `ulimit -f 4; exec "${process.execPath}" --input-type=module -e "$0"`, script], {reject: false});
		assert.match(result.stdout, /failed:EFBIG/, result.stderr);
		assert.equal(await readFile(target, 'utf8'), old);
		assert.deepEqual(await readdir(path.dirname(target)), ['openclaw.json']);
	});

	test('a write that fails at rename (target is a directory) leaves the directory and no temp file', async () => {
		const target = path.join(dir, 'is-a-dir');
		await writeConfig(path.join(target, 'keep.txt'), 'keep');
		await assert.rejects(writeFileAtomic(target, 'data'));
		assert.equal(await readFile(path.join(target, 'keep.txt'), 'utf8'), 'keep');
		assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), []);
	});
});

describe('the gateway process', () => {
	test('creates its state dir 0700, logs dir 0700 and token file 0600', async () => {
		const stateDir = path.join(dir, 'proc-state');
		const configPath = path.join(dir, 'proc-config.json');
		await writeFile(configPath, `{gateway: {mode: 'local'}}`);
		const port = await freePort();
		const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath});
		const gateway = spawnGateway(['gateway', '--port', String(port)], env);
		try {
			await gateway.waitFor(/listening on/);
			assert.equal(await modeOf(stateDir), 0o700);
			assert.equal(await modeOf(path.join(stateDir, 'gateway.token')), 0o600);
			assert.equal(await modeOf(path.join(stateDir, 'logs')), 0o700);
		} finally {
			gateway.kill();
			await gateway.exited;
		}
	});
});
