// End to end, attached: the real `openclaw console --url --token` in tmux against a real `openclaw gateway` process
// it did not start. R goes through gateway.restart.request (in-process: same pid), m writes the mode on disk, a
// gateway that goes away shows as reconnecting and is picked up again, and q leaves the gateway running.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import JSON5 from 'json5';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv, spawnGateway, writeConfig} from './helpers/gateway-process.js';

test('openclaw console --url: restart via RPC, reload mode on disk, reconnect after the gateway comes back, q leaves it running', {timeout: 90_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-console-attach-');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	const token = 'attach-e2e-token-0123456789';
	await writeConfig(configPath, JSON.stringify({gateway: {mode: 'local', reload: {mode: 'hybrid'}}}, null, 2));
	const port = await freePort();
	const gatewayEnv = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: token});
	let gateway = spawnGateway(['gateway', '--port', String(port)], gatewayEnv);
	const term = await startTmuxConsole({
		command: [process.execPath, cliPath, 'console', '--url', `ws://127.0.0.1:${port}`, '--token', token],
		env: isolatedEnv(dir, {TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH}),
	});
	try {
		await gateway.waitFor(/listening on ws:\/\//, 20_000);
		const pid = gateway.child.pid!;
		await term.waitFor((screen) => screen.includes('link     connected') && screen.includes(`pid      ${pid}`) && screen.includes('mode     hybrid'), 'connected to the gateway', 20_000);
		assert.match(await term.screen(), /target {3}attached ws:\/\/127\.0\.0\.1:\d+/);

		// A smaller window: the layout follows, the frame stays below the terminal height.
		await term.resize(90, 24);
		const small = await term.waitFor((screen) => {
			const lines = screen.split('\n');
			// A whole bottom border of the new width: a stale 120-wide frame that tmux re-wraps also starts a 90-wide
			// line with '╚', but that line does not end with '╝'.
			return lines.some((line) => line.startsWith('╚') && line.endsWith('╝') && line.length === 90) && screen;
		}, 'the layout at 90x24');
		assert.ok(small.trimEnd().split('\n').length <= 23, small);
		assert.match(small, /Runtime[\s\S]*Logs/);
		await term.resize(120, 40);
		await term.waitFor((screen) => screen.split('\n').some((line) => line.startsWith('╚') && line.endsWith('╝') && line.length === 120), 'the layout back at 120x40');

		await term.keys('R');
		await term.waitFor((screen) => screen.includes('Restart the attached gateway?'), 'the restart question');
		await term.keys('y');
		await term.waitFor((screen) => screen.includes(`in-process, pid ${pid}`) && screen.includes('link     connected'), 'the in-process restart result', 20_000);

		await term.keys('m');
		await term.waitFor((screen) => /mode {5}off\s/.test(screen), 'mode off in the Reload pane');
		const mode = (JSON5.parse(await readFile(configPath, 'utf8')) as {gateway?: {reload?: {mode?: string}}}).gateway?.reload?.mode;
		assert.equal(mode, 'off');

		// The gateway goes away: the console says so and keeps trying; a new one on the same port is picked up.
		gateway.kill('SIGTERM');
		await gateway.exited;
		await term.waitFor((screen) => /link {5}(reconnecting|disconnected)/.test(screen), 'reconnecting after the gateway stopped', 15_000);
		gateway = spawnGateway(['gateway', '--port', String(port)], gatewayEnv);
		await gateway.waitFor(/listening on ws:\/\//, 20_000);
		const newPid = gateway.child.pid!;
		await term.waitFor((screen) => screen.includes('link     connected') && screen.includes(`pid      ${newPid}`), 'connected to the new gateway', 20_000);

		// Attached: q quits at once and leaves the gateway alone.
		await term.keys('q');
		await term.waitFor((screen) => /\[console exited 0\]/.test(screen), 'the console to exit 0', 15_000);
		process.kill(newPid, 0);
	} finally {
		await term.kill();
		gateway.kill('SIGTERM');
		await gateway.exited;
		await cleanup();
	}
});
