// End to end: the real `openclaw console --fleet FILE` in tmux over five gateways reached five ways: two profiles
// under one HOME, a fleet-file URL entry of ours (tokenFile), one of ours through a real sshd on 127.0.0.1 (an ssh
// entry with identity and tokenFile), and the real OpenClaw gateway (the reference peer, a URL entry with its token).
// Every row running with its version and a probe; the ssh connection killed (and sshd stopped) shows that row
// unreachable within one poll while the others run, and it comes back once sshd is back (the tunnel's backoff
// reopen); a token changed under the fleet shows auth failed on that row, and a right tokenFile brings it back; `a`
// adds a gateway through the form (a refused entry says why under its fields), its row appears and runs, kept in the
// console's 0600 store; `x` says why not on a profile, and on the added row asks and removes it.
// The reference peer must be installed (CI installs it before the suite): without it this test fails, never skips.
import assert from 'node:assert/strict';
import {chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {bin, makeInstance, makeProfileInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {fleetConsoleEnv, startTmuxConsole, type TmuxConsole} from './helpers/console-tmux.js';
import {freePort} from './helpers/gateway.js';
import {referenceVersion, startReferenceGateway, type ReferenceGateway} from './helpers/reference-gateway.js';
import {startTestSshd, type TestSshd} from './helpers/sshd.js';

const pollMs = 1000;
const names = ['alpha', 'beta', 'url-gw', 'ssh-gw', 'ref'];

/** The table line of one gateway (the selected one starts with the marker). */
function rowOf(screen: string, name: string): string | undefined {
	return screen.split('\n').find((line) => new RegExp(`^║[▸ ] ${name.replaceAll('.', '\\.')}\\s`).test(line));
}

function isRunning(screen: string, name: string): boolean {
	return /\brunning\b.*\d+\.\d+\.\d+.*ms/.test(rowOf(screen, name) ?? '');
}

/** An `ssh` first on PATH that pins the test sshd's known_hosts and ignores ~/.ssh/config (first option wins in ssh). */
async function sshWrapper(sshd: TestSshd): Promise<string> {
	const dir = path.join(sshd.dir, 'fleet-bin');
	await mkdir(dir, {recursive: true});
	const options = sshd.tunnelOptions();
	await writeFile(path.join(dir, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${options.configFile} -o UserKnownHostsFile=${options.knownHostsFile} -o StrictHostKeyChecking=yes "$@"\n`);
	await chmod(path.join(dir, 'ssh'), 0o755);
	return dir;
}

test('openclaw console --fleet over profiles, a URL, ssh and the reference gateway: rows, a lost ssh host, a changed token, a and x', {timeout: 240_000}, async () => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-e2e-fleet-remote-'));
	const home = path.join(dir, 'home');
	const xdg = path.join(dir, 'xdg');
	await mkdir(home);
	const instances: Instance[] = [];
	const gateways: GatewayProcess[] = [];
	let sshd: TestSshd | undefined;
	let reference: ReferenceGateway | undefined;
	let term: TmuxConsole | undefined;
	// The reference peer starts while ours do (it takes the longest).
	const referenceStarting = startReferenceGateway();
	try {
		sshd = await startTestSshd();
		const alpha = await makeProfileInstance(home, 'alpha', await freePort());
		const beta = await makeProfileInstance(home, 'beta', await freePort());
		const byUrl = await makeInstance({port: await freePort(), config: undefined});
		const bySsh = await makeInstance({port: await freePort(), config: undefined});
		instances.push(byUrl, bySsh);
		gateways.push(...(await Promise.all([alpha, beta, byUrl, bySsh].map(async (instance) => startGatewayProcess(instance)))));
		reference = await referenceStarting;

		const sshToken = path.join(dir, 'ssh-gw.token');
		await writeFile(path.join(dir, 'url-gw.token'), `${byUrl.token}\n`, {mode: 0o600});
		await writeFile(sshToken, `${bySsh.token}\n`, {mode: 0o600});
		const fleetFile = path.join(dir, 'fleet.json5');
		const entries = [
			{name: 'url-gw', url: `ws://127.0.0.1:${byUrl.port}`, tokenFile: 'url-gw.token'},
			{name: 'ssh-gw', ssh: sshd.target, remotePort: bySsh.port, identity: sshd.identity, tokenFile: 'ssh-gw.token'},
			{name: 'ref', url: reference.url, token: reference.token},
		];
		await writeFile(fleetFile, JSON.stringify({gateways: entries}), {mode: 0o600});
		term = await startTmuxConsole({
			command: [process.execPath, bin, 'console', '--fleet', fleetFile],
			env: fleetConsoleEnv({home, configHome: xdg, pollMs, extra: {NO_COLOR: '1', PATH: `${await sshWrapper(sshd)}:${process.env.PATH}`}}),
			columns: 180,
			rows: 30,
			cwd: dir,
		});

		// Every row filled: running, a version, a probe latency.
		const first = await term.waitFor((screen) => names.every((name) => isRunning(screen, name)) && screen, 'five running rows', 45_000);
		assert.match(rowOf(first, 'ssh-gw')!, new RegExp(`ssh-gw\\s+ssh ${sshd.target.replaceAll('.', '\\.')} :${bySsh.port}\\s+running\\s+\\d+\\.\\d+\\.\\d+\\s+[\\d.]+ ms`));
		assert.match(rowOf(first, 'ref')!, new RegExp(`ref\\s+ws://127\\.0\\.0\\.1:${reference.port}\\s+running\\s+${referenceVersion.replaceAll('.', '\\.')}\\s+[\\d.]+ ms`));
		assert.match(rowOf(first, 'url-gw')!, /running/);
		assert.match(first, /5 running/);

		// The ssh host goes away: its sessions killed and sshd stopped, so the tunnel cannot reopen behind our back.
		assert.ok(sshd.killSessions() > 0, 'the fleet holds an ssh session');
		await sshd.stopListener();
		const lostAt = Date.now();
		const lost = await term.waitFor((screen) => /unreachable since \d\d:\d\d/.test(rowOf(screen, 'ssh-gw') ?? '') && screen, 'ssh-gw unreachable', pollMs + 5000);
		assert.ok(Date.now() - lostAt <= pollMs + 5000);
		assert.match(rowOf(lost, 'ssh-gw')!, /unreachable since \d\d:\d\d \(ssh connection to /, 'the row says it is the ssh connection');
		for (const name of ['alpha', 'beta', 'url-gw', 'ref']) {
			assert.match(rowOf(lost, name)!, /running/, `${name} is not touched by another host's loss`);
		}

		// sshd back: the tunnel's backoff reopen (or the pool's next try) brings the row back without a key pressed.
		await sshd.startListener();
		await term.waitFor((screen) => isRunning(screen, 'ssh-gw'), 'ssh-gw running again through a reopened connection', 30_000);

		// ssh-gw's token changes in its config (it restarts in process with it) while the fleet's tokenFile has the old one.
		const newToken = 'a-new-ssh-token-0123456789';
		await writeFile(bySsh.configPath, JSON.stringify({gateway: {mode: 'local', port: bySsh.port, auth: {mode: 'token', token: newToken}}}), {mode: 0o600});
		await term.waitFor((screen) => /auth failed/.test(rowOf(screen, 'ssh-gw') ?? ''), 'ssh-gw auth failed', 30_000);
		assert.match(rowOf(await term.screen(), 'ref')!, /running/);
		// The tokenFile is read at every connect: the right token in it and the row runs again.
		await writeFile(sshToken, `${newToken}\n`, {mode: 0o600});
		await term.waitFor((screen) => isRunning(screen, 'ssh-gw'), 'ssh-gw running with the new token', 15_000);

		// x on a profile: why not, and where it comes from.
		await term.keys('g', 'x');
		await term.waitFor((screen) => screen.includes("alpha is this host's profile alpha"), 'why x does not remove a profile');

		// a: the form. Enter with nothing filled says what is missing, under the fields.
		await term.keys('a');
		await term.waitFor((screen) => screen.includes('Add a gateway'), 'the add form');
		await term.keys('added');
		await term.keys('Enter');
		await term.waitFor((screen) => screen.includes('empty: a ws:// or wss:// URL') && screen.includes('token: must not be empty'), 'the problems under their fields');
		await term.keys('Tab');
		await term.keys(`ws://127.0.0.1:${byUrl.port}`);
		await term.keys('Tab', 'Tab');
		await term.keys(byUrl.token);
		await term.keys('Enter');
		await term.waitFor((screen) => isRunning(screen, 'added') && /^║▸ added\s/m.test(screen), 'the added row, selected and running', pollMs + 10_000);
		const storePath = path.join(xdg, 'openclaw', 'console.json');
		assert.equal((await stat(storePath)).mode & 0o777, 0o600, 'the store holding a token is 0600');
		assert.equal((await stat(path.dirname(storePath))).mode & 0o777, 0o700);
		const stored = JSON.parse(await readFile(storePath, 'utf8')) as {gateways: unknown[]};
		assert.deepEqual(stored.gateways, [{name: 'added', url: `ws://127.0.0.1:${byUrl.port}`, token: byUrl.token}]);

		// x on it: asked (No by default), then gone from the screen and the store.
		await term.keys('x');
		await term.waitFor((screen) => screen.includes(`Remove gateway added (ws://127.0.0.1:${byUrl.port}) from the console's store?`), 'the remove question');
		await term.keys('y');
		await term.waitFor((screen) => rowOf(screen, 'added') === undefined && screen.includes('added: removed'), 'the row removed');
		assert.deepEqual((JSON.parse(await readFile(storePath, 'utf8')) as {gateways: unknown[]}).gateways, []);

		await term.keys('q');
		await term.waitFor((screen) => /\[console exited 0\]/.test(screen), 'the console to exit 0', 15_000);
	} finally {
		await term?.kill();
		await Promise.allSettled([...gateways.map(async (gateway) => gateway.stop()), sshd?.stop()]);
		await Promise.allSettled(instances.map(async (instance) => instance.cleanup()));
		// Last: its stop() throws if the loopback guard refused anything unexpected, which fails the test.
		reference ??= await referenceStarting.catch(() => undefined);
		await reference?.stop();
		await rm(dir, {recursive: true, force: true});
	}
});
