// What `openclaw console --ssh --once` says when the SSH path is wrong on our side or the remote gateway is not
// running: the real CLI, a real throwaway sshd on 127.0.0.1, no gateway behind it.
import assert from 'node:assert/strict';
import {chmod, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {freePort} from './helpers/gateway.js';
import {cliPath, isolatedEnv} from './helpers/gateway-process.js';
import {startTestSshd, type TestSshd} from './helpers/sshd.js';

let sshd: TestSshd;
let env: Record<string, string | undefined>;

before(async () => {
	sshd = await startTestSshd();
	// An `ssh` first on PATH that pins the test's known_hosts and ignores ~/.ssh/config (first option wins in ssh).
	const bin = path.join(sshd.dir, 'messages-bin');
	await mkdir(bin, {recursive: true});
	const options = sshd.tunnelOptions();
	await writeFile(
		path.join(bin, 'ssh'),
		`#!/bin/sh\nexec /usr/bin/ssh -F ${options.configFile} -o UserKnownHostsFile=${options.knownHostsFile} -o StrictHostKeyChecking=yes "$@"\n`,
	);
	await chmod(path.join(bin, 'ssh'), 0o755);
	env = isolatedEnv(sshd.dir, {PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1'});
});

after(async () => {
	await sshd?.stop();
});

async function consoleOnce(args: string[]) {
	const result = await execa('node', [cliPath, 'console', '--ssh', sshd.target, '--token', 'any-token', '--once', ...args], {
		env,
		extendEnv: false,
		reject: false,
		stdin: 'ignore',
		timeout: 30_000,
	});
	return {exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr)};
}

describe('console --ssh --once: messages about the SSH path', () => {
	test('a missing --identity file is named as such, not as Permission denied (publickey)', async () => {
		const missing = path.join(sshd.dir, 'no-such-key');
		const result = await consoleOnce(['--identity', missing]);
		assert.equal(result.exitCode, 1);
		assert.match(result.stderr, new RegExp(`identity file ${missing.replaceAll('.', '\\.')} not found\\. Fix: pass --identity`));
		assert.doesNotMatch(result.stderr, /Permission denied/);
	});

	test('tunnel up, nothing on the remote port: the remote host:port is named, with starting the gateway there', async () => {
		const remotePort = await freePort();
		const result = await consoleOnce(['--identity', sshd.identity, '--remote-port', String(remotePort)]);
		assert.equal(result.exitCode, 1, result.stdout + result.stderr);
		assert.match(result.stderr, new RegExp(`nothing answers on 127\\.0\\.0\\.1:${remotePort} on the remote side`));
		assert.match(result.stderr, new RegExp(`start the gateway there \\(ssh -p ${sshd.port} \\S+@127\\.0\\.0\\.1 openclaw gateway\\)`));
		assert.doesNotMatch(result.stderr, /Start it with `openclaw gateway`/);
		// The snapshot names the tunnel's local end (as the live console does); the failure must not be put on it.
		const tunnelPort = new RegExp(`target {4}ssh ${sshd.target.replaceAll('.', '\\.')} via 127\\.0\\.0\\.1:(\\d+)`).exec(result.stdout)?.[1];
		assert.ok(tunnelPort, `the tunnel's local port is on the target line:\n${result.stdout}`);
		assert.notEqual(Number(tunnelPort), remotePort);
		assert.doesNotMatch(result.stderr, new RegExp(`127\\.0\\.0\\.1:${tunnelPort}\\b`), 'the error names the remote port, not the local end of the tunnel');
	});
});
