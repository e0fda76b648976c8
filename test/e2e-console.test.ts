// End to end: the real `openclaw console` (built CLI) in a real pseudo-terminal (tmux), running its own child
// gateway on a config in a temp dir. It must show the panes, restart on R (new pid), write the reload mode on m,
// notice a SIGKILLed child as crashed and bring it back, and stop the child when it quits.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import JSON5 from 'json5';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv, writeConfig} from './helpers/gateway-process.js';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function runtimePid(screen: string): number | undefined {
	const match = /│gateway {2}running[\s\S]*?│pid {6}(\d+)/.exec(screen);
	return match ? Number(match[1]) : undefined;
}

test('openclaw console in a real terminal: panes, R restarts (new pid), m writes the mode, a killed child comes back, q stops it', {timeout: 90_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-console-');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, JSON.stringify({gateway: {mode: 'local', reload: {mode: 'hybrid'}}}, null, 2));
	const port = await freePort();
	const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH});
	const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console', '--port', String(port)], env});
	const pids = new Set<number>();
	try {
		const firstPid = await term.waitFor(
			(screen) => screen.includes('link     connected') && screen.includes('mode     hybrid') && runtimePid(screen),
			'the panes with a running, connected gateway',
			30_000,
		);
		pids.add(firstPid);
		const screen = await term.screen();
		for (const text of ['Runtime', 'Channels', 'Reload', 'Logs', `127.0.0.1:${port}`, '? help']) {
			assert.ok(screen.includes(text), `missing ${text}:\n${screen}`);
		}

		assert.ok(screen.split('\n').length <= 40);

		// R asks (default No); y restarts the child: a new pid, and the pane says so.
		await term.keys('R');
		await term.waitFor((text) => text.includes('Restart the local gateway'), 'the restart question');
		await term.keys('y');
		const secondPid = await term.waitFor((text) => {
			const pid = runtimePid(text);
			return pid !== undefined && pid !== firstPid && text.includes(`pid ${firstPid} -> ${pid}`) && text.includes('link     connected') && pid;
		}, 'a new pid after R');
		pids.add(secondPid);
		assert.equal(alive(firstPid), false, 'the old child is gone');

		// m cycles hybrid -> off, written to the config file through config.patch.
		await term.keys('m');
		await term.waitFor((text) => /mode {5}off\s/.test(text), 'mode off in the Reload pane');
		const deadline = Date.now() + 5000;
		let onDisk: unknown;
		while (Date.now() < deadline) {
			onDisk = (JSON5.parse(await readFile(configPath, 'utf8')) as {gateway?: {reload?: {mode?: string}}}).gateway?.reload?.mode;
			if (onDisk === 'off') {
				break;
			}

			await new Promise((resolve) => {
				setTimeout(resolve, 100);
			});
		}

		assert.equal(onDisk, 'off');

		// SIGKILL the child: "crashed", then a restart with another pid.
		process.kill(secondPid, 'SIGKILL');
		await term.waitFor((text) => /gateway {2}crashed \(signal SIGKILL\)|crashed {2}1x, last signal SIGKILL/.test(text), 'crashed after SIGKILL', 10_000);
		const thirdPid = await term.waitFor((text) => {
			const pid = runtimePid(text);
			return pid !== undefined && pid !== secondPid && text.includes('link     connected') && pid;
		}, 'the supervisor restarting the child', 20_000);
		pids.add(thirdPid);

		// q asks because it would stop the child; y stops it and the console exits 0.
		await term.keys('q');
		await term.waitFor((text) => text.includes('Quit and stop the gateway this console started?'), 'the quit question');
		await term.keys('y');
		await term.waitFor((text) => /\[console exited 0\]/.test(text), 'the console to exit 0', 15_000);
		assert.equal(alive(thirdPid), false, 'quitting stopped the child');
	} finally {
		await term.kill();
		for (const pid of pids) {
			if (alive(pid)) {
				process.kill(pid, 'SIGKILL');
			}
		}

		await cleanup();
	}
});

for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
	test(`${signal} to the console stops its child gateway cleanly and leaves no process behind`, {timeout: 60_000}, async () => {
		const {dir, cleanup} = await tempDir('openclaw-e2e-console-signal-');
		// CI=true as well: Ink draws nothing "in CI" until exit, and the console must draw on a terminal whatever the environment.
		const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: path.join(dir, 'state'), TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH, CI: 'true'});
		const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console'], env});
		let childPid: number | undefined;
		try {
			childPid = await term.waitFor((screen) => screen.includes('link     connected') && runtimePid(screen), 'a running child', 30_000);
			const pane = await term.panePid();
			const consolePid = Number((await execa('pgrep', ['-P', String(pane)])).stdout.split('\n')[0]);
			assert.ok(consolePid > 0);
			process.kill(consolePid, signal);
			const code = signal === 'SIGTERM' ? 143 : 129;
			await term.waitFor((screen) => screen.includes(`[console exited ${code}]`), `the console to exit ${code}`, 15_000);
			assert.equal(alive(childPid), false, 'the child gateway is gone');
			assert.equal(alive(consolePid), false);
		} finally {
			await term.kill();
			if (childPid !== undefined && alive(childPid)) {
				process.kill(childPid, 'SIGKILL');
			}

			await cleanup();
		}
	});
}
