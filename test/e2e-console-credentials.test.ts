// Credentials that change under a running console (issue 10), in a real terminal: the console must get back in
// without being quit. A child it started whose profile token was changed (the child restarts itself in-process on
// the new one) is reconnected with the profile's new token; an attached gateway that refused the token and came
// back with the right one is retried until it lets the console in; `r` reconnects at once.
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv, spawnGateway, writeConfig} from './helpers/gateway-process.js';

test('a console-started gateway whose profile token changes: the console reconnects with the new token', {timeout: 90_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-credentials-');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	const port = await freePort();
	await writeConfig(configPath, JSON.stringify({gateway: {mode: 'local', port, reload: {mode: 'hybrid'}, auth: {mode: 'token', token: 'first-token-0123456789'}}}, null, 2));
	const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH});
	const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console'], env});
	try {
		const first = await term.waitFor((screen) => screen.includes('link     connected') && /pid {6}(\d+)/.exec(screen)?.[1], 'connected to the child', 30_000);
		// The operator changes the token in the profile: the child (hybrid) restarts in-process on it.
		const config = JSON.parse(await readFile(configPath, 'utf8')) as {gateway: {auth: {token: string}}};
		config.gateway.auth.token = 'second-token-9876543210';
		await writeFile(configPath, JSON.stringify(config, null, 2));
		// Back in without a key press: the refusal made the console read the profile again.
		await term.waitFor(
			(screen) => screen.includes('link     connected') && screen.includes(`pid      ${first}`) && /probe {4}ok/.test(screen) && screen.includes('found new ones'),
			'reconnected with the new token',
			30_000,
		);
		assert.ok(await term.alive());
	} finally {
		await term.kill();
		await cleanup();
	}
});

test('attached: a gateway that refused the token is retried and let in once it is back with the right one; r retries at once', {timeout: 90_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-credentials-attach-');
	const stateDir = path.join(dir, 'state');
	await writeConfig(path.join(stateDir, 'openclaw.json'), JSON.stringify({gateway: {mode: 'local'}}, null, 2));
	const port = await freePort();
	const token = 'attach-right-token-0123456789';
	const gatewayEnv = (gatewayToken: string) => isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: gatewayToken});
	let gateway = spawnGateway(['gateway', '--port', String(port)], gatewayEnv('some-other-token-000000000'));
	const term = await startTmuxConsole({
		command: [process.execPath, cliPath, 'console', '--url', `ws://127.0.0.1:${port}`, '--token', token],
		env: isolatedEnv(dir, {TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH}),
	});
	try {
		await gateway.waitFor(/listening on ws:\/\//, 20_000);
		const refused = await term.waitFor((screen) => /link {5}auth failed, retrying in \d+ s/.test(screen) && screen, 'auth failed with a retry countdown', 20_000);
		assert.match(refused, /r retries now; fix: pass --token[\s\S]*or set OPENCLAW_GATEWAY_TOKEN/);
		assert.match(refused, /gateway {2}unreachable (since \d\d:\d\d:\d\d )?\(auth failed\)/);

		// The gateway comes back with the token the console holds: the next retry gets in, no key needed.
		gateway.kill('SIGTERM');
		await gateway.exited;
		gateway = spawnGateway(['gateway', '--port', String(port)], gatewayEnv(token));
		await gateway.waitFor(/listening on ws:\/\//, 20_000);
		const pid = gateway.child.pid!;
		await term.waitFor((screen) => screen.includes('link     connected') && screen.includes(`pid      ${pid}`), 'let in after the gateway came back with the right token', 40_000);

		// Refused again, then `r`: an immediate attempt.
		gateway.kill('SIGTERM');
		await gateway.exited;
		gateway = spawnGateway(['gateway', '--port', String(port)], gatewayEnv('some-other-token-000000000'));
		await gateway.waitFor(/listening on ws:\/\//, 20_000);
		// Wait until the retries have slowed to 10 s: then only `r` can explain a reconnect within 4 s.
		await term.waitFor((screen) => /link {5}auth failed, retrying in (8|9|10) s/.test(screen), 'refused again, next retry 10 s away', 40_000);
		gateway.kill('SIGTERM');
		await gateway.exited;
		gateway = spawnGateway(['gateway', '--port', String(port)], gatewayEnv(token));
		await gateway.waitFor(/listening on ws:\/\//, 20_000);
		const pressedAt = Date.now();
		await term.keys('r');
		await term.waitFor((screen) => screen.includes('link     connected') && screen.includes(`pid      ${gateway.child.pid!}`), 'connected after r', 20_000);
		assert.ok(Date.now() - pressedAt < 4000, `connected ${Date.now() - pressedAt} ms after r`);
	} finally {
		await term.kill();
		gateway.kill('SIGTERM');
		await gateway.exited;
		await cleanup();
	}
});
