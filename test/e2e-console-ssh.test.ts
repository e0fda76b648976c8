// End to end over SSH: the real `openclaw console --ssh` in tmux, through a real throwaway sshd on 127.0.0.1 to a
// real gateway. The tunnel state is on screen; killing the SSH session shows it down and the console comes back.
import assert from 'node:assert/strict';
import {chmod, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {startTestGateway, type TestGateway} from './helpers/gateway.js';
import {cliPath, isolatedEnv} from './helpers/gateway-process.js';
import {startTestSshd, type TestSshd} from './helpers/sshd.js';

let sshd: TestSshd;
let gateway: TestGateway;

before(async () => {
	// sshd first: when it cannot start, no gateway is left running to keep the file alive until its timeout.
	sshd = await startTestSshd();
	gateway = await startTestGateway();
});

after(async () => {
	await Promise.allSettled([sshd?.stop(), gateway?.stop()]);
});

test('openclaw console --ssh: connects through the tunnel, shows it down when the session dies, reopens it', {timeout: 90_000}, async () => {
	// An `ssh` first on PATH that pins the test's known_hosts and ignores ~/.ssh/config (first option wins in ssh).
	const bin = path.join(sshd.dir, 'console-bin');
	await mkdir(bin, {recursive: true});
	const options = sshd.tunnelOptions();
	await writeFile(
		path.join(bin, 'ssh'),
		`#!/bin/sh\nexec /usr/bin/ssh -F ${options.configFile} -o UserKnownHostsFile=${options.knownHostsFile} -o StrictHostKeyChecking=yes "$@"\n`,
	);
	await chmod(path.join(bin, 'ssh'), 0o755);
	const term = await startTmuxConsole({
		command: [process.execPath, cliPath, 'console', '--ssh', sshd.target, '--remote-port', String(gateway.port), '--identity', sshd.identity, '--token', gateway.token],
		env: isolatedEnv(sshd.dir, {TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: `${bin}:${process.env.PATH}`}),
		// Wide enough for the whole Runtime line while the tunnel is down.
		columns: 160,
	});
	try {
		await term.waitFor((screen) => screen.includes('link     connected') && screen.includes(`pid      ${process.pid}`), 'connected through the tunnel', 30_000);
		const screen = await term.screen();
		assert.ok(screen.includes(`target   ssh ${sshd.target} via`), screen);
		assert.ok(sshd.killSessions() > 0);
		// While it is gone, Runtime says so and keeps nothing stale: no pid, no uptime, no probe; and names the key out.
		const gone = await term.waitFor(
			(text) => /│gateway {2}unreachable since \d\d:\d\d:\d\d \(tunnel (down|reopening)\)/.test(text) && text,
			'Runtime: unreachable since, why',
			15_000,
		);
		// Placeholders (`pid -`) may give their rows to the reason: what must not be there is a pid or a probe figure.
		assert.doesNotMatch(gone, /│pid {6}\d/);
		assert.doesNotMatch(gone, /│probe {4}(ok|last ok|\d)/);
		assert.doesNotMatch(gone, / up (<1m|\d+m)/);
		assert.match(gone, /│ {9}r reopens the tunnel now/);
		await term.waitFor((text) => text.includes('link     connected') && !/tunnel (down|reopening)/.test(text), 'back through a reopened tunnel', 30_000);
		await term.keys('q');
		await term.waitFor((text) => /\[console exited 0\]/.test(text), 'the console to exit 0', 15_000);
	} finally {
		await term.kill();
	}
});
