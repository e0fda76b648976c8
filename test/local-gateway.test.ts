// LocalGateway: the console's child gateway, as a real `openclaw gateway` process (the built CLI).
import assert from 'node:assert/strict';
import {readFileSync, statSync, existsSync} from 'node:fs';
import {writeFile, mkdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {GatewayClient} from '../source/client/gateway-client.js';
import {LocalGateway, type LocalGatewayLine, type LocalGatewayState} from '../source/supervisor/local-gateway.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cleanEnv, eventually, httpStatus, processGone, waitForState} from './helpers/supervision.js';

let home: {dir: string; cleanup: () => Promise<void>};
const toDispose: Array<{dispose(): Promise<void>}> = [];
const pidsToKill: number[] = [];

before(async () => {
	home = await tempDir('openclaw-local-gateway-');
});

after(async () => {
	await Promise.allSettled(toDispose.map(async (item) => item.dispose()));
	for (const pid of pidsToKill) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {}
	}

	await home.cleanup();
});

function track<T extends {dispose(): Promise<void>}>(item: T): T {
	toDispose.push(item);
	return item;
}

describe('LocalGateway', () => {
	test('with nothing configured: a temporary 0700 state dir, a generated token passed by env, a ready gateway', async () => {
		const gateway = track(new LocalGateway({env: cleanEnv(home.dir)}));
		const states: LocalGatewayState[] = [];
		const lines: LocalGatewayLine[] = [];
		gateway.on('state', (state) => states.push(state));
		gateway.on('line', (line) => lines.push(line));
		await gateway.start();
		assert.equal(gateway.state.status, 'running');
		assert.equal(gateway.profileKind, 'unconfigured');
		assert.ok(gateway.pid && gateway.pid > 0);
		assert.equal(gateway.state.pid, gateway.pid);
		assert.equal(gateway.url, `ws://127.0.0.1:${gateway.port}`);
		assert.deepEqual(
			states.map((state) => state.status).filter((status, index, all) => all.indexOf(status) === index),
			['starting', 'running'],
		);
		assert.equal(statSync(gateway.stateDir!).mode & 0o777, 0o700);
		assert.match(path.basename(gateway.stateDir!), /^openclaw-console-/);
		// Findable from another terminal: the state carries the dir, whose gateway.token (0600) holds the token.
		assert.equal(gateway.state.temporaryStateDir, gateway.stateDir);
		const tokenFile = path.join(gateway.stateDir!, 'gateway.token');
		assert.equal(readFileSync(tokenFile, 'utf8').trim(), gateway.token);
		assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
		assert.equal(await httpStatus(`http://127.0.0.1:${gateway.port}/readyz`), 200);
		assert.ok(lines.some((line) => line.stream === 'stdout' && /listening on ws:\/\/127\.0\.0\.1/.test(line.text) && line.ts > 0));

		// meow renames the process title (so /proc shows "openclaw"); check the argv we gave it as well.
		const cmdline = readFileSync(`/proc/${gateway.pid}/cmdline`, 'utf8');
		assert.ok(cmdline.includes('openclaw'), cmdline);
		assert.ok(!cmdline.includes(gateway.token!), 'the token must not be on the command line');
		assert.deepEqual(gateway.command!.slice(-4), ['gateway', '--port', String(gateway.port), '--allow-unconfigured']);
		assert.ok(!gateway.command!.join(' ').includes(gateway.token!), 'the token must not be in the argv');
		assert.ok(readFileSync(`/proc/${gateway.pid}/environ`, 'utf8').includes(`OPENCLAW_GATEWAY_TOKEN=${gateway.token}`));

		const client = new GatewayClient({url: gateway.url!, token: gateway.token});
		const hello = await client.connect();
		assert.equal(hello.type, 'hello-ok');
		const shutdown = new Promise((resolve) => client.once('shutdown', resolve));
		const pid = gateway.pid!;
		const stateDir = gateway.stateDir!;
		await gateway.stop();
		assert.ok(await Promise.race([shutdown, new Promise((resolve) => setTimeout(() => resolve(undefined), 3000))]), 'clients get `shutdown` first');
		assert.equal(gateway.state.status, 'stopped');
		assert.equal(gateway.state.exitCode, 0, 'SIGTERM is a clean stop');
		assert.equal(gateway.pid, undefined);
		assert.ok(processGone(pid));
		await client.close();
		assert.ok(existsSync(stateDir), 'stop keeps the state dir; dispose removes it');
		await gateway.dispose();
		assert.ok(!existsSync(stateDir));
	});

	test('restart gives a new pid on the same port, and the same token still works', async () => {
		const gateway = track(new LocalGateway({env: cleanEnv(home.dir)}));
		await gateway.start();
		const firstPid = gateway.pid;
		const port = gateway.port;
		const statuses: string[] = [];
		gateway.on('state', (state) => statuses.push(state.status));
		await gateway.restart();
		assert.notEqual(gateway.pid, firstPid);
		assert.equal(gateway.port, port);
		assert.ok(processGone(firstPid!));
		assert.equal(gateway.state.status, 'running');
		assert.equal(gateway.state.restarts, 1);
		assert.ok(statuses.includes('restarting') && !statuses.includes('crashed'), statuses.join(','));
		const client = new GatewayClient({url: gateway.url!, token: gateway.token});
		await client.connect();
		await client.close();
		await gateway.dispose();
	});

	test('stop() during a start: the start fails and no child is left; start() during a stop starts afresh', async () => {
		const gateway = track(new LocalGateway({env: cleanEnv(home.dir)}));
		const pids: number[] = [];
		gateway.on('state', (state) => {
			if (state.pid && !pids.includes(state.pid)) {
				pids.push(state.pid);
			}
		});
		const starting = gateway.start();
		const stopping = gateway.stop();
		await assert.rejects(starting, /stopped before it/);
		await stopping;
		assert.equal(gateway.state.status, 'stopped');
		assert.ok(pids.every((pid) => processGone(pid)), 'nothing left running');

		await gateway.start();
		const firstPid = gateway.pid!;
		const stopped = gateway.stop();
		const restarted = gateway.start();
		await Promise.all([stopped, restarted]);
		assert.equal(gateway.state.status, 'running');
		assert.notEqual(gateway.pid, firstPid);
		assert.ok(processGone(firstPid));
		await gateway.dispose();
	});

	test('a configured profile runs with its own config and its configured token', async () => {
		const profileHome = path.join(home.dir, 'configured');
		const stateDir = path.join(profileHome, '.openclaw-ops');
		await mkdir(stateDir, {recursive: true, mode: 0o700});
		// The profile's own port: the child listens where `openclaw --profile ops gateway status` looks.
		const port = await freePort();
		await writeFile(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: "local", port: ${port}, auth: {token: "configured-token-123"}}}`, {mode: 0o600});
		const gateway = track(new LocalGateway({profile: 'ops', env: cleanEnv(profileHome)}));
		await gateway.start();
		assert.equal(gateway.port, port);
		assert.equal(gateway.profileKind, 'configured');
		assert.equal(gateway.stateDir, stateDir);
		assert.equal(gateway.token, 'configured-token-123');
		assert.deepEqual(gateway.command!.slice(-5), ['--profile', 'ops', 'gateway', '--port', String(gateway.port)]);
		const client = new GatewayClient({url: gateway.url!, token: gateway.token});
		await client.connect();
		await client.close();
		await gateway.dispose();
		assert.ok(existsSync(stateDir), 'the operator\'s state dir is never removed');
	});

	test('a token changed in the profile between starts is the one the next start uses and the console holds', async () => {
		const profileHome = path.join(home.dir, 'rotated');
		const stateDir = path.join(profileHome, '.openclaw');
		const configPath = path.join(stateDir, 'openclaw.json');
		await mkdir(stateDir, {recursive: true, mode: 0o700});
		const port = await freePort();
		await writeFile(configPath, `{gateway: {mode: "local", port: ${port}, auth: {token: "first-token-1234"}}}`, {mode: 0o600});
		const gateway = track(new LocalGateway({env: cleanEnv(profileHome)}));
		await gateway.start();
		assert.equal(gateway.token, 'first-token-1234');
		await gateway.stop();
		await writeFile(configPath, `{gateway: {mode: "local", port: ${port}, auth: {token: "second-token-5678"}}}`, {mode: 0o600});
		await gateway.start();
		assert.equal(gateway.token, 'second-token-5678', 'credentials are read again at each start');
		const client = new GatewayClient({url: gateway.url!, token: gateway.token});
		await client.connect();
		await client.close();
		await gateway.dispose();
	});

	test('a configured profile without a token uses the token the gateway generated', async () => {
		const profileHome = path.join(home.dir, 'generated');
		const stateDir = path.join(profileHome, '.openclaw');
		await mkdir(stateDir, {recursive: true, mode: 0o700});
		await writeFile(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: "local", port: ${await freePort()}}}`, {mode: 0o600});
		const gateway = track(new LocalGateway({env: cleanEnv(profileHome)}));
		await gateway.start();
		assert.equal(gateway.token, readFileSync(path.join(stateDir, 'gateway.token'), 'utf8').trim());
		const client = new GatewayClient({url: gateway.url!, token: gateway.token});
		await client.connect();
		await client.close();
		await gateway.dispose();
	});

	test('a config that blocks the start (no gateway.mode) fails at once with the gateway\'s reason, no restarts', async () => {
		const profileHome = path.join(home.dir, 'blocked');
		const stateDir = path.join(profileHome, '.openclaw');
		await mkdir(stateDir, {recursive: true, mode: 0o700});
		await writeFile(path.join(stateDir, 'openclaw.json'), '{gateway: {port: 1}}', {mode: 0o600});
		const gateway = track(new LocalGateway({env: cleanEnv(profileHome), restartPolicy: {backoff: {initialMs: 50}}}));
		await assert.rejects(gateway.start(), /exited with code 78 before it was ready:\n.*Gateway start blocked: existing config is missing gateway\.mode/);
		const failed = await waitForState(gateway, (state) => state.status === 'failed', 5000);
		assert.match(failed.lastError!, /configuration error\); not restarting.*missing gateway\.mode/);
		assert.equal(failed.restarts, 0);
		await gateway.dispose();
	});

	for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
		test(`${signal} to the parent stops the child: no gateway process left behind`, async () => {
			const fixture = fileURLToPath(new URL('helpers/local-gateway-parent.ts', import.meta.url));
			const parent = execa(process.execPath, ['--import', 'tsx', fixture], {env: cleanEnv(home.dir), reject: false, stdin: 'ignore'});
			pidsToKill.push(parent.pid!);
			const info = await new Promise<{pid: number; childPid: number; stateDir: string}>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('the parent did not report its child within 20 s')), 20_000);
				parent.stdout!.once('data', (chunk: Buffer) => {
					clearTimeout(timer);
					resolve(JSON.parse(chunk.toString()));
				});
			});
			pidsToKill.push(info.childPid);
			assert.ok(!processGone(info.childPid));
			parent.kill(signal);
			const result = await parent;
			assert.equal(result.signal ?? result.exitCode === 128 + (signal === 'SIGTERM' ? 15 : 1), true, `parent ended by ${signal}: ${JSON.stringify({code: result.exitCode, signal: result.signal})}`);
			assert.ok(await eventually(() => processGone(info.childPid), 5000), `gateway ${info.childPid} still runs after the parent got ${signal}`);
			assert.ok(!existsSync(info.stateDir), 'the temporary state dir is removed');
		});
	}
});
