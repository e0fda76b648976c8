// Lifecycle commands of one profile take turns: four `openclaw --profile main gateway restart` at once (detached
// service, no systemd), of a stopped or a running gateway, leave exactly one gateway, recorded in the pid file, shown
// running by `gateway status` and `doctor`, and `gateway stop` then stops it; a storm of mixed start/stop/restart
// ends consistent whatever the order; a dead command's lock is taken over and said so. Through the built CLI, with
// real processes.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {openclaw} from './helpers/cli-process.js';
import {findListeners} from '../source/protocol/listeners.js';

/** Live processes whose environment names this state dir (every gateway the service starts carries it). */
function gatewaysOn(stateDir: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			if (environ.includes(`OPENCLAW_STATE_DIR=${stateDir}`) && environ.includes('OPENCLAW_SERVICE_KIND=gateway')) {
				pids.push(Number(entry));
			}
		} catch {}
	}

	return pids;
}

describe('concurrent lifecycle commands on one profile', () => {
	let home: string;
	let stateDir: string;
	let env: Record<string, string>;
	let port: number;

	before(async () => {
		home = await mkdtemp(path.join(os.tmpdir(), 'openclaw-lifecycle-'));
		stateDir = path.join(home, '.openclaw-main');
		port = await freePort();
		await mkdir(stateDir, {recursive: true, mode: 0o700});
		const config = {gateway: {mode: 'local', port, auth: {mode: 'token', token: 'lifecycle-token-0123456789'}}};
		await writeFile(path.join(stateDir, 'openclaw.json'), JSON.stringify(config, null, 2), {mode: 0o600});
		env = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, OPENCLAW_SERVICE_MANAGER: 'detached', NO_COLOR: '1'};
	});

	after(async () => {
		for (const pid of gatewaysOn(stateDir)) {
			process.kill(pid, 'SIGKILL');
		}

		await rm(home, {recursive: true, force: true});
	});

	it('4 parallel restarts leave exactly one gateway, tracked; status and doctor agree; stop stops it', async () => {
		const started = Date.now();
		const results = await Promise.all(Array.from({length: 4}, async () => openclaw(['--profile', 'main', 'gateway', 'restart'], env, 90_000)));
		for (const result of results) {
			assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
		}

		// They took turns, and the ones that waited said for whom.
		assert.ok(
			results.some((result) => /waiting for another openclaw gateway restart \(pid \d+\)/.test(result.stderr)),
			results.map((result) => result.stderr).join('\n---\n'),
		);
		const pids = gatewaysOn(stateDir);
		assert.equal(pids.length, 1, `gateways on the state dir: ${pids.join(', ')}`);
		const [pid] = pids;
		const pidFile = path.join(stateDir, 'service', 'gateway.pid');
		assert.equal(Number(readFileSync(pidFile, 'utf8').trim()), pid);

		const status = await openclaw(['--profile', 'main', 'gateway', 'status'], env);
		assert.equal(status.exitCode, 0, status.stdout);
		assert.match(status.stdout, new RegExp(`Service: openclaw-gateway-main \\(detached; running \\(pid ${pid}\\)\\)`));
		assert.match(status.stdout, new RegExp(`Runtime: running \\(pid ${pid},`));

		const doctor = await openclaw(['--profile', 'main', 'doctor'], env);
		assert.equal(doctor.exitCode, 0, doctor.stdout);
		assert.match(doctor.stdout, new RegExp(`\\[ok\\] pid-file: .*gateway pid ${pid} is running`));
		assert.match(doctor.stdout, new RegExp(`\\[ok\\] port: port ${port} is served by a gateway \\(pid ${pid}\\)`));

		const stop = await openclaw(['--profile', 'main', 'gateway', 'stop'], env);
		assert.equal(stop.exitCode, 0, stop.stderr);
		assert.match(stop.stdout, new RegExp(`Stopped gateway \\(pid ${pid}\\)`));
		assert.deepEqual(gatewaysOn(stateDir), []);
		assert.equal(existsSync(pidFile), false);
		assert.ok(Date.now() - started < 90_000, `took ${Date.now() - started} ms`);
	});
	const pidFile = () => path.join(stateDir, 'service', 'gateway.pid');
	const lockFile = () => path.join(stateDir, 'gateway.lifecycle.lock');
	const main = (...args: string[]) => openclaw(['--profile', 'main', ...args], env, 90_000);

	/**
	 * Every witness tells the same story: the gateway processes on the state dir, the pid file, the port's listener,
	 * `gateway status` and `doctor`. Returns the running gateway's pid, or undefined when all say stopped.
	 */
	async function consistentState(): Promise<number | undefined> {
		const pids = gatewaysOn(stateDir);
		const recorded = existsSync(pidFile()) ? Number(readFileSync(pidFile(), 'utf8').trim()) : undefined;
		const listeners = findListeners(port);
		const status = await main('gateway', 'status');
		const doctor = await main('doctor');
		const story = `gateways ${pids.join(',')}; pid file ${recorded}; listeners ${listeners.join(',')}\n${status.stdout}\n${doctor.stdout}`;
		assert.ok(pids.length <= 1, story);
		assert.equal(existsSync(lockFile()), false, `lifecycle lock left behind\n${story}`);
		if (pids.length === 0) {
			assert.equal(recorded, undefined, story);
			assert.deepEqual(listeners, [], story);
			// Started without `gateway install`: nothing running and no definition reads "not installed".
			assert.match(status.stdout, /Service: openclaw-gateway-main \(detached; (stopped|not installed)\)/, story);
			assert.match(status.stdout, /Runtime: unknown \(gateway not reachable\)/, story);
			assert.match(doctor.stdout, new RegExp(`\\[ok\\] port: port ${port} is free \\(no gateway running\\)`), story);
			assert.match(doctor.stdout, /\[ok\] pid-file: no detached pid file/, story);
			return undefined;
		}

		const [pid] = pids;
		assert.equal(recorded, pid, story);
		assert.deepEqual(listeners, [pid], story);
		assert.equal(status.exitCode, 0, story);
		assert.match(status.stdout, new RegExp(`Service: openclaw-gateway-main \\(detached; running \\(pid ${pid}\\)\\)`), story);
		assert.match(status.stdout, new RegExp(`Runtime: running \\(pid ${pid},`), story);
		assert.match(doctor.stdout, new RegExp(`\\[ok\\] pid-file: .*gateway pid ${pid} is running`), story);
		assert.match(doctor.stdout, new RegExp(`\\[ok\\] port: port ${port} is served by a gateway \\(pid ${pid}\\)`), story);
		return pid;
	}

	it('a lifecycle lock left by a command that died is taken over, and the start says so', async () => {
		const dead = spawnSync(process.execPath, ['-e', '']).pid;
		assert.ok(dead > 0);
		writeFileSync(lockFile(), `${JSON.stringify({pid: dead, nonce: 'dead0123', command: 'restart', since: new Date().toISOString()})}\n`, {mode: 0o600});
		const start = await main('gateway', 'start');
		assert.equal(start.exitCode, 0, `${start.stdout}\n${start.stderr}`);
		assert.match(start.stderr, new RegExp(`took over a stale lifecycle lock \\(pid ${dead} is gone\\)`));
		assert.match(start.stdout, /Started gateway \(pid \d+, detached\)/);
		assert.ok((await consistentState()) !== undefined);
	});

	it('4 parallel restarts of a running gateway leave exactly one gateway, tracked; status and doctor agree', async () => {
		const started = Date.now();
		const before = (await consistentState()) ?? (await main('gateway', 'start'), await consistentState());
		assert.ok(before !== undefined);
		const results = await Promise.all(Array.from({length: 4}, async () => main('gateway', 'restart')));
		for (const result of results) {
			assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
			assert.match(result.stdout, /Restarted gateway in-process|Started gateway/, result.stdout);
		}

		assert.ok(results.some((result) => /waiting for another openclaw gateway restart \(pid \d+\)/.test(result.stderr)));
		assert.ok((await consistentState()) !== undefined, 'the gateway is running after the restarts');
		assert.ok(Date.now() - started < 90_000, `took ${Date.now() - started} ms`);
	});

	it('mixed storms of start, stop and restart end consistent whatever the order: one gateway tracked, or none', async () => {
		const started = Date.now();
		const storms: string[][] = [
			['restart', 'stop', 'start', 'restart', 'stop', 'start'],
			['stop', 'restart', 'start', 'stop', 'restart', 'stop'],
		];
		for (const storm of storms) {
			const results = await Promise.all(storm.map(async (action) => main('gateway', action)));
			results.forEach((result, index) => assert.equal(result.exitCode, 0, `${storm[index]}: ${result.stdout}\n${result.stderr}`));
			await consistentState();
		}

		// Whatever the storms left, stop leaves nothing behind.
		assert.equal((await main('gateway', 'stop')).exitCode, 0);
		assert.equal(await consistentState(), undefined);
		assert.ok(Date.now() - started < 150_000, `took ${Date.now() - started} ms`);
	});
});
