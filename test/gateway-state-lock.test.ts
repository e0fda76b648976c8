// One gateway per state dir: the running gateway holds <stateDir>/gateway.lock and keeps a runtime record
// (<stateDir>/gateway.runtime.json); a second gateway on the same state dir is refused (exit 78) naming the first one's
// pid and port; a stale lock (dead pid, or a pid that is not a gateway) is taken over and the log says so; an
// in-process restart keeps the lock; a clean exit releases it. Through the built CLI, with real processes.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import {execa} from 'execa';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

const lockFile = (instance: Instance) => path.join(instance.stateDir, 'gateway.lock');
const recordFile = (instance: Instance) => path.join(instance.stateDir, 'gateway.runtime.json');
const readRecord = (instance: Instance) => JSON.parse(readFileSync(recordFile(instance), 'utf8')) as Record<string, unknown>;

describe('the state dir lock held by the running gateway', () => {
	let instance: Instance;
	let gateway: GatewayProcess | undefined;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	it('a running gateway holds the lock and records pid, port, bind host, start time, config path and version (0600)', async () => {
		gateway = await startGatewayProcess(instance);
		assert.ok(existsSync(lockFile(instance)), 'gateway.lock exists');
		const record = readRecord(instance);
		assert.equal(record.pid, gateway.process.pid);
		assert.equal(record.port, instance.port);
		assert.equal(record.host, '127.0.0.1');
		assert.equal(record.configPath, instance.configPath);
		assert.equal(typeof record.version, 'string');
		assert.ok(Math.abs(Date.parse(String(record.startedAt)) - Date.now()) < 60_000, `startedAt ${String(record.startedAt)}`);
		assert.equal(statSync(recordFile(instance)).mode & 0o777, 0o600);
		assert.equal(statSync(lockFile(instance)).mode & 0o777, 0o600);
	});

	it('a second gateway on the same state dir (another port) is refused, exit 78, naming the first one\'s pid and port', async () => {
		const other = await freePort();
		const result = await openclaw(['gateway', '--port', String(other)], instance.env);
		assert.equal(result.exitCode, 78, result.stderr);
		assert.match(result.stderr, new RegExp(`another gateway \\(pid ${gateway!.process.pid}, port ${instance.port}\\) is already running on state dir ${instance.stateDir.replaceAll('.', '\\.')}`));
		assert.match(result.stderr, /openclaw gateway stop/);
		assert.doesNotMatch(result.stdout, /listening on/);
		assert.equal(readRecord(instance).pid, gateway!.process.pid, 'the refused one leaves the record alone');
	});

	it('an in-process restart keeps the lock and the record\'s pid; the second gateway is still refused', async () => {
		const lockBefore = readFileSync(lockFile(instance), 'utf8');
		const restart = await openclaw(['gateway', 'restart'], instance.env);
		assert.equal(restart.exitCode, 0, restart.stderr);
		assert.match(restart.stdout, /Restarted gateway in-process/);
		assert.equal(readFileSync(lockFile(instance), 'utf8'), lockBefore);
		assert.equal(readRecord(instance).pid, gateway!.process.pid);
		const refused = await openclaw(['gateway', '--port', String(await freePort())], instance.env);
		assert.equal(refused.exitCode, 78, refused.stderr);
	});

	it('a clean exit releases the lock and removes the record', async () => {
		await gateway!.stop();
		gateway = undefined;
		assert.equal(existsSync(lockFile(instance)), false);
		assert.equal(existsSync(recordFile(instance)), false);
	});

	it('a stale lock of a dead pid is taken over, and the log says so', async () => {
		await writeFile(lockFile(instance), `${JSON.stringify({pid: 999_999, nonce: 'dead'})}\n`, {mode: 0o600});
		gateway = await startGatewayProcess(instance);
		const record = readRecord(instance);
		assert.equal(record.pid, gateway.process.pid);
		const logs = await openclaw(['logs', '--limit', '200'], instance.env);
		assert.match(logs.stdout, /took over a stale gateway lock .*pid 999999 is gone/);
		await gateway.stop();
		gateway = undefined;
	});

	it('a stale lock whose pid is alive but not a gateway is taken over too', async () => {
		const sleeper = spawn('sleep', ['60'], {stdio: 'ignore'});
		try {
			await writeFile(lockFile(instance), `${JSON.stringify({pid: sleeper.pid, nonce: 'not-a-gateway'})}\n`, {mode: 0o600});
			gateway = await startGatewayProcess(instance);
			assert.equal(readRecord(instance).pid, gateway.process.pid);
			const logs = await openclaw(['logs', '--limit', '200'], instance.env);
			assert.match(logs.stdout, new RegExp(`took over a stale gateway lock .*pid ${sleeper.pid} is not a gateway`));
		} finally {
			sleeper.kill('SIGKILL');
		}
	});
});

describe('the lock under a race', () => {
	it('of 8 processes taking over one stale lock at the same instant, exactly one gets it', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-lock-race-'));
		const file = path.join(dir, 'gateway.lock');
		try {
			await writeFile(file, `${JSON.stringify({pid: 999_999, nonce: 'dead'})}\n`);
			const at = Date.now() + 2500;
			const script = `import {tryLock} from ${JSON.stringify(new URL('../source/protocol/locks/pid-lock.ts', import.meta.url).href)};
while (Date.now() < ${at}) {}
const attempt = tryLock(${JSON.stringify(file)}, {});
console.log(JSON.stringify({ok: attempt.ok, pid: process.pid, holder: attempt.ok ? undefined : attempt.holder.pid}));
setTimeout(() => {}, 1500);`;
			const runs = await Promise.all(
				Array.from({length: 8}, async () => execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], {reject: false})),
			);
			const answers = runs.map((run) => {
				assert.equal(run.exitCode, 0, String(run.stderr));
				return JSON.parse(String(run.stdout)) as {ok: boolean; pid: number; holder?: number};
			});
			const winners = answers.filter((answer) => answer.ok);
			assert.equal(winners.length, 1, JSON.stringify(answers));
			// The others were refused naming the winner (not the dead owner, nor each other).
			assert.ok(answers.filter((answer) => !answer.ok).every((answer) => answer.holder === winners[0].pid), JSON.stringify(answers));
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});
