// `openclaw fleet status` against real gateways of ours: two profiles on this host (found under HOME), one fleet-file
// URL entry, and two ssh entries on one host through a real sshd on 127.0.0.1 (sharing one ssh connection). All rows
// right; a stopped gateway, a host that is down and a wrong token each show on their own row with exit 1.
import assert from 'node:assert/strict';
import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance, makeProfileInstance} from './helpers/cli-process.js';
import {startTestSshd, type TestSshd} from './helpers/sshd.js';

let dir: string;
let home: string;
let env: Record<string, string>;
let fleetFile: string;
let tokenFile: string;
let sshd: TestSshd;
const instances: Instance[] = [];
const gateways = new Map<string, GatewayProcess>();

/** A profile state dir under the shared HOME, as `openclaw --profile NAME setup` would leave it. */
async function profileInstance(name: string): Promise<Instance> {
	return makeProfileInstance(home, name, await freePort());
}

type Row = {name: string; where: string; ok: boolean; state: string; stateText: string; why?: string; version?: string; latencyMs?: number; trend: number[]; sessions?: number; reloadMode?: string; channels?: {ready: number; total: number}};

async function fleetStatus(extra: string[] = []) {
	const result = await openclaw(['fleet', 'status', '--fleet', fleetFile, '--json', '--timeout', '8000', ...extra], env, 60_000);
	const document = result.stdout ? (JSON.parse(result.stdout) as {ok: boolean; rows: Row[]; warnings: string[]}) : undefined;
	return {...result, document, row: (name: string) => document?.rows.find((row) => row.name === name)};
}

function acceptedSessions(): number {
	return (sshd.log().match(/Accepted publickey/g) ?? []).length;
}

before(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-fleet-status-'));
	home = path.join(dir, 'home');
	await mkdir(home);
	sshd = await startTestSshd();
	// An `ssh` first on PATH that pins the test's known_hosts and ignores ~/.ssh/config (first option wins in ssh).
	const bin = path.join(dir, 'bin');
	await mkdir(bin);
	const options = sshd.tunnelOptions();
	await writeFile(path.join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${options.configFile} -o UserKnownHostsFile=${options.knownHostsFile} -o StrictHostKeyChecking=yes "$@"\n`);
	await chmod(path.join(bin, 'ssh'), 0o755);
	env = {PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, XDG_CONFIG_HOME: path.join(dir, 'xdg'), NO_COLOR: '1'};

	const alpha = await profileInstance('alpha');
	const beta = await profileInstance('beta');
	const byUrl = await makeInstance({port: await freePort()});
	const bySsh = await makeInstance({port: await freePort()});
	instances.push(alpha, beta, byUrl, bySsh);
	const started = await Promise.all(instances.map(async (instance) => startGatewayProcess(instance)));
	for (const [index, name] of ['alpha', 'beta', 'url-gw', 'ssh-gw'].entries()) {
		gateways.set(name, started[index]);
	}

	tokenFile = path.join(dir, 'url-gw.token');
	await writeFile(tokenFile, `${byUrl.token}\n`, {mode: 0o600});
	fleetFile = path.join(dir, 'fleet.json5');
	await writeFile(
		fleetFile,
		`// two gateways on one ssh host: one connection
		{
			gateways: [
				{name: "url-gw", url: "ws://127.0.0.1:${byUrl.port}", tokenFile: "url-gw.token"},
				{name: "ssh-gw", ssh: "${sshd.target}", remotePort: ${bySsh.port}, identity: "${sshd.identity}", token: "${bySsh.token}"},
				{name: "ssh-alpha", ssh: "${sshd.target}", remotePort: ${alpha.port}, identity: "${sshd.identity}", token: "${alpha.token}"},
			],
		}`,
		{mode: 0o600},
	);
});

after(async () => {
	await Promise.all([...gateways.values()].map(async (gateway) => gateway.stop()));
	await Promise.all(instances.map(async (instance) => instance.cleanup()));
	await sshd?.stop();
	await rm(dir, {recursive: true, force: true});
});

describe('openclaw fleet status', () => {
	test('every gateway answers: one row each, right, and exit 0; ssh gateways on one host share one connection', async () => {
		const before = acceptedSessions();
		const result = await fleetStatus();
		assert.equal(result.exitCode, 0, result.stdout + result.stderr);
		assert.equal(result.stderr, '');
		assert.equal(result.document!.ok, true);
		assert.deepEqual(result.document!.rows.map((row) => row.name), ['alpha', 'beta', 'url-gw', 'ssh-gw', 'ssh-alpha']);
		for (const row of result.document!.rows) {
			assert.equal(row.state, 'running', `${row.name}: ${row.stateText}`);
			assert.equal(row.ok, true);
			assert.match(row.version ?? '', /^\d+\.\d+\.\d+/);
			assert.ok(typeof row.latencyMs === 'number' && row.latencyMs >= 0);
			assert.equal(row.trend.length, 1);
			assert.equal(row.sessions, 0);
			assert.equal(row.reloadMode, 'hybrid');
		}

		assert.equal(result.row('alpha')!.where, 'profile alpha');
		assert.equal(result.row('url-gw')!.where, `ws://127.0.0.1:${instances[2].port}`);
		assert.equal(result.row('ssh-gw')!.where, `ssh ${sshd.target} :${instances[3].port}`);
		assert.equal(acceptedSessions() - before, 1, 'one ssh connection for the two gateways on that host');
	});

	test('as text: a table, no colour under NO_COLOR', async () => {
		const result = await openclaw(['fleet', 'status', '--fleet', fleetFile], env, 60_000);
		assert.equal(result.exitCode, 0, result.stderr);
		const lines = result.stdout.trim().split('\n');
		assert.match(lines[0], /^NAME\s+WHERE\s+STATE\s+VERSION\s+PROBE/);
		assert.equal(lines.length, 6);
		assert.match(lines[1], /^alpha\s+profile alpha\s+running\s+\S+\s+[\d.]+ ms/);
		assert.doesNotMatch(result.stdout, /\u001B/);
	});

	test('a fleet file with a bad entry is a usage error (exit 2) naming the entry and key', async () => {
		const bad = path.join(dir, 'bad.json5');
		await writeFile(bad, '{gateways: [{name: "vps", ssh: "ops@host", remotePort: "x"}]}');
		const result = await openclaw(['fleet', 'status', '--fleet', bad], env);
		assert.equal(result.exitCode, 2);
		assert.match(result.stderr, /fleet file .*bad\.json5: gateways\[0\] "vps": remotePort: expected number, received string/);
		const missing = await openclaw(['fleet', 'status', '--fleet', path.join(dir, 'nope.json5')], env);
		assert.equal(missing.exitCode, 2);
		assert.match(missing.stderr, /no such file/);
	});

	test('an ssh host that is down marks only its own gateways unreachable', async () => {
		await sshd.stopListener();
		sshd.killSessions();
		try {
			const result = await fleetStatus();
			assert.equal(result.exitCode, 1);
			for (const name of ['ssh-gw', 'ssh-alpha']) {
				assert.equal(result.row(name)!.state, 'unreachable');
				assert.match(result.row(name)!.why ?? '', /ssh to .* failed: Connection refused/);
			}

			for (const name of ['alpha', 'beta', 'url-gw']) {
				assert.equal(result.row(name)!.state, 'running', name);
			}
		} finally {
			await sshd.startListener();
		}
	});

	test('a wrong token shows as auth failed on that row (exit 1)', async () => {
		await writeFile(tokenFile, 'not-the-token\n', {mode: 0o600});
		try {
			const result = await fleetStatus();
			assert.equal(result.exitCode, 1);
			const row = result.row('url-gw')!;
			assert.equal(row.state, 'auth-failed');
			assert.match(row.stateText, /^auth failed \(unauthorized: gateway token mismatch/);
			assert.equal(result.row('alpha')!.state, 'running');
		} finally {
			await writeFile(tokenFile, `${instances[2].token}\n`, {mode: 0o600});
		}
	});

	test('a stopped gateway: exit 1, its row unreachable and why, the others still running', async () => {
		await gateways.get('beta')!.stop();
		const result = await fleetStatus();
		assert.equal(result.exitCode, 1);
		assert.equal(result.document!.ok, false);
		const beta = result.row('beta')!;
		assert.equal(beta.state, 'unreachable');
		assert.equal(beta.ok, false);
		assert.match(beta.stateText, /^unreachable since \d\d:\d\d \(connection refused\)$/);
		for (const name of ['alpha', 'url-gw', 'ssh-gw', 'ssh-alpha']) {
			assert.equal(result.row(name)!.state, 'running', name);
		}
	});
});
