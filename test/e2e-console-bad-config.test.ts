// A bad config under a console-started gateway (issue 10: "A bad config (e.g. port: 1234567) makes the console's
// child exit 78. After the file is fixed, S starts a gateway the console cannot talk to: link auth failed; R does not
// help; only quitting recovers."). In a real terminal: the pane says the child failed, with exit 78 and the config's
// own words; once the file is fixed, S starts the gateway on the port the file now says, and the console is in.
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv, writeConfig} from './helpers/gateway-process.js';

test('a bad config: the child fails with exit 78 and the error on screen; fixed, S starts a gateway the console talks to', {timeout: 120_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-bad-config-');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	const config = (port: number) => JSON.stringify({gateway: {mode: 'local', port, reload: {mode: 'hybrid'}, auth: {mode: 'token', token: 'bad-config-token-0123456789'}}}, null, 2);
	await writeConfig(configPath, config(1_234_567));
	const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH});
	const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console'], env, columns: 140, rows: 45});
	try {
		const failed = await term.waitFor(
			(screen) => /│gateway {2}failed: gateway exited with code 78/.test(screen) && screen.includes('gateway.port: number') && screen,
			'the child failed on the bad config',
			45_000,
		);
		assert.match(failed, /│link {5}none \(gateway failed\)/, 'no link promised to a gateway that failed to start');
		assert.match(failed, /invalid config \S+openclaw\.json: gateway\.port: number/, 'the config error, in the child’s own words');
		assert.ok(await term.alive(), 'the console stays');

		// The operator fixes the file and presses S: the gateway starts on the port the file says now.
		const port = await freePort();
		await writeFile(configPath, config(port));
		await term.keys('S');
		const running = await term.waitFor(
			(screen) =>
				/│gateway {2}running/.test(screen) &&
				/│link {5}connected/.test(screen) &&
				/│probe {4}ok/.test(screen) &&
				screen.includes(`127.0.0.1:${port}`) &&
				screen,
			`running on port ${port}, connected, probe ok`,
			45_000,
		);
		assert.match(running, new RegExp(`│bind {5}loopback 127\\.0\\.0\\.1:${port}\\b`));
		assert.match(running, new RegExp(`^openclaw console {2}local ws://127\\.0\\.0\\.1:${port} {2}connected`, 'm'));
		assert.doesNotMatch(running, /auth failed/);
	} finally {
		await term.kill();
		await cleanup();
	}
});
