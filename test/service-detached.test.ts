// The detached supervisor for real (no systemd here): install, status, restart in-process, stop, start, uninstall,
// with the pid file and log file in the state dir, driven through the built CLI.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, type Instance} from './helpers/cli-process.js';
import {detectManager} from '../source/supervisor/service.js';

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('gateway service lifecycle, detached mode', () => {
	let instance: Instance;
	let pidFile: string;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
		pidFile = path.join(instance.stateDir, 'service', 'gateway.pid');
	});

	after(async () => {
		await openclaw(['gateway', 'uninstall'], instance.env);
		const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
		if (pid && isAlive(pid)) {
			process.kill(pid, 'SIGKILL');
		}

		await instance?.cleanup();
	});

	const readPid = () => Number(readFileSync(pidFile, 'utf8').trim());

	it('install records the definition, starts the gateway and says it is the fallback', async () => {
		// Let detection choose where it would choose the fallback (containers, CI); on a host with a systemd user
		// session keep the forced detached mode, so the test never installs a real unit.
		const detected = detectManager({...process.env, OPENCLAW_SERVICE_MANAGER: ''});
		const env = detected.kind === 'detached' ? {...instance.env, OPENCLAW_SERVICE_MANAGER: ''} : instance.env;
		const result = await openclaw(['gateway', 'install'], env);
		assert.equal(result.exitCode, 0, result.stderr);
		if (detected.kind === 'detached') {
			assert.match(result.stderr, /Note: .*detached process/);
		}
		assert.match(result.stdout, /Installed openclaw-gateway: .*detached\.json/);
		assert.match(result.stdout, new RegExp(`Started gateway \\(pid \\d+, detached\\) on port ${instance.port}`));
		const definition = JSON.parse(readFileSync(path.join(instance.stateDir, 'service', 'detached.json'), 'utf8'));
		assert.equal(definition.env.OPENCLAW_STATE_DIR, instance.stateDir);
		assert.equal(definition.env.OPENCLAW_CONFIG_PATH, instance.configPath);
		assert.equal(definition.port, instance.port);
		assert.ok(isAlive(readPid()));
	});

	it('gateway status shows the service running and the runtime on the same pid', async () => {
		const pid = readPid();
		const result = await openclaw(['gateway', 'status'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`Service: openclaw-gateway \\(detached; running \\(pid ${pid}\\)\\)`));
		assert.match(result.stdout, new RegExp(`Runtime: running \\(pid ${pid},`));
		assert.match(result.stdout, /Service log: .*service\/gateway\.log/);
	});

	it('start when running is a no-op; restart is in-process (same pid)', async () => {
		const pid = readPid();
		const again = await openclaw(['gateway', 'start'], instance.env);
		assert.equal(again.exitCode, 0);
		assert.match(again.stdout, new RegExp(`already running \\(pid ${pid}`));
		const restart = await openclaw(['gateway', 'restart'], instance.env);
		assert.equal(restart.exitCode, 0, restart.stderr);
		assert.match(restart.stdout, new RegExp(`Restarted gateway in-process \\(pid ${pid}\\)`));
		const status = JSON.parse((await openclaw(['gateway', 'status', '--json'], instance.env)).stdout);
		assert.equal(status.runtime.pid, pid);
	});

	it('stop ends the process and removes the pid file; status then fails with the reason', async () => {
		const pid = readPid();
		const stop = await openclaw(['gateway', 'stop'], instance.env);
		assert.equal(stop.exitCode, 0, stop.stderr);
		assert.match(stop.stdout, new RegExp(`Stopped gateway \\(pid ${pid}\\)`));
		assert.equal(isAlive(pid), false);
		assert.equal(existsSync(pidFile), false);
		const status = await openclaw(['gateway', 'status'], instance.env);
		assert.equal(status.exitCode, 1);
		assert.match(status.stdout, /Service: openclaw-gateway \(detached; stopped\)/);
		assert.match(status.stdout, /Runtime: unknown \(gateway not reachable\)/);
		const stopAgain = await openclaw(['gateway', 'stop'], instance.env);
		assert.equal(stopAgain.exitCode, 0);
		assert.match(stopAgain.stdout, /not running/);
	});

	it('restart of a stopped gateway starts it; a stale pid file is recognised and replaced', async () => {
		await writeFile(pidFile, '999999\n');
		const status = await openclaw(['gateway', 'status', '--json'], instance.env);
		assert.match(JSON.parse(status.stdout).service.detail, /stale pid file: pid 999999 is gone/);
		const restart = await openclaw(['gateway', 'restart'], instance.env);
		assert.equal(restart.exitCode, 0, restart.stderr);
		assert.match(restart.stdout, /removed stale pid file \(pid 999999\)/);
		assert.match(restart.stdout, /Started gateway \(pid \d+, detached\)/);
		assert.notEqual(readPid(), 999_999);
		assert.equal((await openclaw(['health'], instance.env)).exitCode, 0);
	});

	it('a gateway that exits 78 at start-up (its config stops it) is reported with its log, exit 78', async () => {
		const broken = await makeInstance({port: await freePort(), config: {gateway: {mode: 'remote'}}});
		try {
			const result = await openclaw(['gateway', 'start'], broken.env);
			assert.equal(result.exitCode, 78, result.stderr);
			assert.match(result.stderr, /gateway start failed: gateway exited with code 78 during start-up/);
			assert.match(result.stderr, /set gateway\.mode=local/);
		} finally {
			await broken.cleanup();
		}
	});

	it('uninstall stops it and removes the definition', async () => {
		const pid = readPid();
		const result = await openclaw(['gateway', 'uninstall', '--json'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.equal(report.ok, true);
		assert.equal(report.service.installed, false);
		assert.equal(report.service.running, false);
		assert.equal(isAlive(pid), false);
		assert.equal(existsSync(path.join(instance.stateDir, 'service', 'detached.json')), false);
	});
});

describe('gateway install on a busy port', () => {
	it('refuses before writing anything: no definition left behind, status says "not installed"', async () => {
		const holder = net.createServer();
		await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
		const {port} = holder.address() as net.AddressInfo;
		const instance = await makeInstance({port});
		try {
			const result = await openclaw(['gateway', 'install'], instance.env);
			assert.equal(result.exitCode, 78, result.stdout);
			assert.match(result.stderr, new RegExp(`gateway install failed: port ${port} is busy \\(pid ${process.pid}`));
			assert.equal(existsSync(path.join(instance.stateDir, 'service', 'detached.json')), false);
			const status = await openclaw(['gateway', 'status'], instance.env);
			assert.match(status.stdout, /Service: openclaw-gateway \(detached; not installed\)/);
		} finally {
			holder.close();
			await instance.cleanup();
		}
	});

	it('a gateway that cannot start leaves no definition behind either', async () => {
		const broken = await makeInstance({port: await freePort(), config: {gateway: {mode: 'remote'}}});
		try {
			const result = await openclaw(['gateway', 'install'], broken.env);
			assert.equal(result.exitCode, 78, result.stderr);
			assert.match(result.stderr, /gateway exited with code 78 during start-up/);
			assert.equal(existsSync(path.join(broken.stateDir, 'service', 'detached.json')), false);
		} finally {
			await broken.cleanup();
		}
	});
});

// Exit 78 (EX_CONFIG) for every failure that is the configuration's, as the gateway itself exits: a script or a
// supervisor learns that retrying cannot help until the config changes. Anything else stays 1.
describe('gateway start|restart|install exit 78 on a configuration failure', () => {
	it('a config file that does not parse: start, restart and install exit 78, nothing started or written', async () => {
		const instance = await makeInstance({port: await freePort()});
		try {
			await writeFile(instance.configPath, '{gateway: {mode: "local", port: ');
			for (const action of ['start', 'restart', 'install']) {
				const result = await openclaw(['gateway', action], instance.env);
				assert.equal(result.exitCode, 78, `${action}: ${result.stdout}\n${result.stderr}`);
				assert.match(result.stderr, /Fix the config first/);
			}

			const json = await openclaw(['gateway', 'start', '--json'], instance.env);
			assert.equal(json.exitCode, 78);
			assert.equal(JSON.parse(json.stdout).error.type, 'config_error');
			assert.equal(existsSync(path.join(instance.stateDir, 'service', 'detached.json')), false);
			assert.equal(existsSync(path.join(instance.stateDir, 'service', 'gateway.pid')), false);
		} finally {
			await instance.cleanup();
		}
	});

	it('a non-loopback bind without a configured secret: the gateway refuses it, start exits 78 and says why', async () => {
		const port = await freePort();
		const instance = await makeInstance({port, config: {gateway: {mode: 'local', port, bind: 'lan'}}});
		try {
			const result = await openclaw(['gateway', 'start'], instance.env);
			assert.equal(result.exitCode, 78, `${result.stdout}\n${result.stderr}`);
			assert.match(result.stderr, /gateway exited with code 78 during start-up/);
			assert.match(result.stderr, /refusing to bind gateway to 0\.0\.0\.0:\d+ without auth/);
		} finally {
			await instance.cleanup();
		}
	});

	it('a busy port: start exits 78 naming the holder', async () => {
		const holder = net.createServer();
		await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
		const {port} = holder.address() as net.AddressInfo;
		const instance = await makeInstance({port});
		try {
			const result = await openclaw(['gateway', 'start', '--json'], instance.env);
			assert.equal(result.exitCode, 78, result.stdout);
			const error = JSON.parse(result.stdout).error;
			assert.equal(error.type, 'config_error');
			assert.match(error.message, new RegExp(`port ${port} is busy \\(pid ${process.pid}`));
		} finally {
			holder.close();
			await instance.cleanup();
		}
	});

	it('the help lists the exit codes', async () => {
		const help = await openclaw(['gateway', 'start', '--help'], {PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1'});
		assert.match(help.stdout, /Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 78 configuration error/);
	});
});
