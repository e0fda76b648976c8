// Lifecycle commands of one profile take turns: four `openclaw --profile main gateway restart` at once (detached
// service, no systemd) leave exactly one gateway, recorded in the pid file, shown running by `gateway status` and
// `doctor`, and `gateway stop` then stops it. Through the built CLI, with real processes.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {openclaw} from './helpers/cli-process.js';

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
});
