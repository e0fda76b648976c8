// A console with nothing configured runs a throwaway gateway in a temporary state dir (issue 10: "in temp-dir mode
// the header or `?` shows the port and the token file so another terminal can reach it"). In a real terminal: `?`
// names the token file and a command; that command, copied from the screen and run by another process with its own
// HOME, reaches the gateway.
import assert from 'node:assert/strict';
import {chmod, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv} from './helpers/gateway-process.js';

test('temp-dir mode: ? shows the token file and a command that another terminal runs to reach the gateway', {timeout: 90_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-temp-dir-');
	// An empty HOME: no profile config, so the console makes a state dir of its own.
	const consoleHome = path.join(dir, 'console-home');
	await mkdir(consoleHome, {recursive: true});
	const term = await startTmuxConsole({
		command: [process.execPath, cliPath, 'console'],
		env: isolatedEnv(consoleHome, {TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH}),
	});
	try {
		// The Runtime pane is too narrow for the whole dir: it says only that there is one.
		const pid = await term.waitFor(
			(screen) => screen.includes('link     connected') && screen.includes('target   local, state /') && /pid {6}(\d+)/.exec(screen)?.[1],
			'a connected throwaway gateway',
			30_000,
		);
		await term.keys('?');
		const help = await term.waitFor((screen) => screen.includes('From another terminal:') && screen, 'the help with the way in', 10_000);
		const [command, stateDir, portText] = /OPENCLAW_STATE_DIR=(\S+) openclaw status --port (\d+)/.exec(help) ?? [];
		assert.ok(command && stateDir && portText, help);
		assert.ok(help.includes(`Token file: ${stateDir}/gateway.token`), help);
		const port = Number(portText);
		assert.match(help, new RegExp(`port ${port}\\b`));

		// Another terminal: a HOME of its own (nothing there to find a token in) and `openclaw` on its PATH.
		const otherHome = path.join(dir, 'other-home');
		const bin = path.join(otherHome, 'bin');
		await mkdir(bin, {recursive: true});
		await writeFile(path.join(bin, 'openclaw'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`);
		await chmod(path.join(bin, 'openclaw'), 0o755);
		const other = await execa('sh', ['-c', command], {
			env: isolatedEnv(otherHome, {PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1'}),
			extendEnv: false,
			reject: false,
			timeout: 30_000,
		});
		assert.equal(other.exitCode, 0, `${other.stdout}\n${other.stderr}`);
		// The console's own child answers: its pid, on the port the help named.
		assert.match(other.stdout, new RegExp(`^Gateway: ws://127\\.0\\.0\\.1:${port} reachable .*; pid ${pid}\\b`, 'm'));
		// The same command without the state dir finds no token: the dir is what lets it in.
		const without = await execa('sh', ['-c', command.replace(/^OPENCLAW_STATE_DIR=\S+ /, '')], {
			env: isolatedEnv(otherHome, {PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1'}),
			extendEnv: false,
			reject: false,
			timeout: 30_000,
		});
		assert.notEqual(without.exitCode, 0, without.stdout);
		await term.keys('Escape');
		await term.waitFor((screen) => !screen.includes('From another terminal:') && screen.includes('Runtime'), 'the help closed');
	} finally {
		await term.kill();
		await cleanup();
	}
});
