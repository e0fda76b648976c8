// `openclaw doctor [--fix]` through the built CLI: config validity, permissions, token, stale pid file, port
// conflicts and service drift, each with its verdict and fix, and the repairs --fix makes.
import assert from 'node:assert/strict';
import {chmod, mkdir, stat, writeFile} from 'node:fs/promises';
import {existsSync, readFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess} from './helpers/cli-process.js';
import {signature, type SignatureId} from '../source/protocol/signatures.js';

type Check = {id: string; verdict: string; message: string; fix?: string; fixed?: string};

async function doctorJson(env: Record<string, string>, ...args: string[]): Promise<{exitCode: number; checks: Map<string, Check>}> {
	const result = await openclaw(['doctor', '--json', ...args], env);
	const report = JSON.parse(result.stdout) as {ok: boolean; checks: Check[]};
	assert.equal(report.ok, result.exitCode === 0);
	return {exitCode: result.exitCode, checks: new Map(report.checks.map((check) => [check.id, check]))};
}

describe('openclaw doctor', () => {
	it('a healthy setup: every check ok, exit 0, one line per check', async () => {
		const instance = await makeInstance({port: await freePort()});
		try {
			const result = await openclaw(['doctor'], instance.env);
			assert.equal(result.exitCode, 0, result.stdout);
			for (const id of ['config', 'config-keys', 'state-dir', 'config-mode', 'token', 'service', 'port', 'pid-file', 'log']) {
				assert.match(result.stdout, new RegExp(`^\\[ok\\] ${id}: `, 'm'));
			}

			assert.match(result.stdout, /^0 failed, 0 warnings, 9 ok$/m);
		} finally {
			await instance.cleanup();
		}
	});

	it('an invalid config fails, naming the key; exit 1', async () => {
		const instance = await makeInstance({port: await freePort(), config: {gateway: {mode: 'local', port: 'eighty'}}});
		try {
			const {exitCode, checks} = await doctorJson(instance.env);
			assert.equal(exitCode, 1);
			assert.equal(checks.get('config')?.verdict, 'fail');
			assert.match(checks.get('config')!.message, /gateway\.port: expected number/);
		} finally {
			await instance.cleanup();
		}
	});

	it('an unknown config key (a typo the gateway would silently ignore) is a warning naming it; exit 0', async () => {
		const port = await freePort();
		const token = 'doctor-unknown-keys-token';
		const instance = await makeInstance({port, token, config: {gateway: {mode: 'local', port, prot: 1234, auth: {mode: 'token', token}}}});
		try {
			const {exitCode, checks} = await doctorJson(instance.env);
			assert.equal(exitCode, 0, 'a warning, not a failure: the gateway starts with it');
			assert.equal(checks.get('config')?.verdict, 'ok');
			assert.equal(checks.get('config-keys')?.verdict, 'warn');
			assert.match(checks.get('config-keys')!.message, /unknown key gateway\.prot \(did you mean "port"\?\); the gateway ignores them/);
			const text = await openclaw(['doctor'], instance.env);
			assert.match(text.stdout, /^\[warn\] config-keys: config .*openclaw\.json has unknown key gateway\.prot \(did you mean "port"\?\)/m);
			assert.match(text.stdout, /^0 failed, 1 warnings, /m);
		} finally {
			await instance.cleanup();
		}
	});

	it('loose permissions and a stale pid file are warned about, and --fix repairs them', async () => {
		const instance = await makeInstance({port: await freePort()});
		try {
			const tokenFile = path.join(instance.stateDir, 'gateway.token');
			const pidFile = path.join(instance.stateDir, 'service', 'gateway.pid');
			await writeFile(tokenFile, 'generated-token\n', {mode: 0o644});
			await mkdir(path.dirname(pidFile), {recursive: true});
			await writeFile(pidFile, '999999\n');
			await chmod(instance.stateDir, 0o755);
			await chmod(instance.configPath, 0o644);
			await chmod(tokenFile, 0o644);

			const before = await openclaw(['doctor'], instance.env);
			assert.equal(before.exitCode, 0, 'warnings alone do not fail');
			assert.match(before.stdout, /\[warn\] state-dir: .* has mode 0755; others can read it\n +fix: chmod 700 .* \(or openclaw doctor --fix\)/);
			assert.match(before.stdout, /\[warn\] config-mode: .* has mode 0644/);
			assert.match(before.stdout, /\[warn\] token-file-mode: .* has mode 0644/);
			assert.match(before.stdout, /\[warn\] pid-file: stale pid file .*: pid 999999 is gone/);

			const fixed = await openclaw(['doctor', '--fix'], instance.env);
			assert.equal(fixed.exitCode, 0, fixed.stdout);
			assert.equal((await stat(instance.stateDir)).mode & 0o777, 0o700);
			assert.equal((await stat(instance.configPath)).mode & 0o777, 0o600);
			assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
			assert.equal(existsSync(pidFile), false);
			assert.match(fixed.stdout, /\[fixed\] state-dir: /);

			const after = await doctorJson(instance.env);
			assert.ok([...after.checks.values()].every((check) => check.verdict === 'ok'), JSON.stringify([...after.checks.values()]));
		} finally {
			await instance.cleanup();
		}
	});

	it('no token anywhere is a warning with the fix', async () => {
		const instance = await makeInstance({port: await freePort(), config: {gateway: {mode: 'local'}}});
		try {
			const {checks} = await doctorJson(instance.env);
			assert.equal(checks.get('token')?.verdict, 'warn');
			assert.match(checks.get('token')!.fix!, /openclaw setup/);
		} finally {
			await instance.cleanup();
		}
	});

	it('something else listening on the gateway port fails the port check', async () => {
		const instance = await makeInstance({port: await freePort()});
		const squatter = net.createServer((socket) => socket.destroy());
		await new Promise<void>((resolve) => squatter.listen(instance.port, '127.0.0.1', resolve));
		try {
			const {exitCode, checks} = await doctorJson(instance.env);
			assert.equal(exitCode, 1);
			assert.equal(checks.get('port')?.verdict, 'fail');
			assert.match(checks.get('port')!.message, new RegExp(`port ${instance.port} is taken by something that is not a gateway: pid ${process.pid}`));
		} finally {
			await new Promise((resolve) => squatter.close(resolve));
			await instance.cleanup();
		}
	});

	it('service drift against the current config is found, and --fix rewrites the definition', async () => {
		const instance = await makeInstance({port: await freePort()});
		const definitionFile = path.join(instance.stateDir, 'service', 'detached.json');
		try {
			assert.equal((await openclaw(['gateway', 'install'], instance.env)).exitCode, 0);
			const newPort = await freePort();
			await writeFile(instance.configPath, JSON.stringify({gateway: {mode: 'local', port: newPort, auth: {mode: 'token', token: instance.token}}}));

			const drifted = await doctorJson(instance.env);
			const service = drifted.checks.get('service')!;
			assert.equal(service.verdict, 'warn');
			assert.match(service.message, new RegExp(`OPENCLAW_GATEWAY_PORT ${instance.port} -> ${newPort}`));
			assert.match(service.message, /command .* -> /);

			const fixed = await doctorJson(instance.env, '--fix');
			assert.match(fixed.checks.get('service')!.fixed!, /rewrote .*detached\.json/);
			assert.equal(JSON.parse(readFileSync(definitionFile, 'utf8')).port, newPort);
			assert.equal((await doctorJson(instance.env)).checks.get('service')?.verdict, 'ok');
			const status = JSON.parse((await openclaw(['gateway', 'status', '--json'], instance.env)).stdout);
			assert.equal(status.runtime.port, newPort, 'the gateway now runs on the new port');
		} finally {
			await openclaw(['gateway', 'uninstall'], instance.env);
			await instance.cleanup();
		}
	});
});

// Each runbook signature produced for real (the gateway refuses to start, a client is refused), then found by doctor
// in the recent log tail and reported with the signature table's fix.
describe('openclaw doctor: failure signatures in the log', () => {
	async function findsSignature(env: Record<string, string>, id: SignatureId, verdict: 'fail' | 'warn'): Promise<void> {
		const {checks} = await doctorJson(env);
		const check = checks.get(`log:${id}`);
		assert.ok(check, `no log:${id} in ${JSON.stringify([...checks.keys()])}`);
		assert.equal(check.verdict, verdict);
		assert.equal(check.fix, signature(id).fix);
		assert.ok(check.message.startsWith(`${signature(id).title}: ${signature(id).means}.`), check.message);
		const text = await openclaw(['doctor'], env);
		assert.match(text.stdout, new RegExp(`^\\[${verdict}\\] log:${id}: `, 'm'));
		assert.ok(text.stdout.includes(`fix: ${signature(id).fix}`), text.stdout);
	}

	it('a busy port: the failed start is logged, and doctor reports it with the --force fix', async () => {
		const port = await freePort();
		const instance = await makeInstance({port});
		// Drops what connects (doctor asks the port whether it is a gateway), so close() does not wait on it.
		const holder = net.createServer((socket) => socket.destroy());
		await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
		try {
			const start = await openclaw(['gateway', '--port', String(port)], instance.env);
			assert.equal(start.exitCode, 1);
			assert.match(start.stderr, /another gateway instance is already listening .*\(EADDRINUSE\)\. Fix: .*openclaw gateway --force/);
			await findsSignature(instance.env, 'port-in-use', 'fail');
		} finally {
			await new Promise((resolve) => holder.close(resolve));
			await instance.cleanup();
		}
	});

	it('a non-loopback bind without auth (gateway.bind lan, no secret)', async () => {
		const port = await freePort();
		const instance = await makeInstance({port, config: {gateway: {mode: 'local', port, bind: 'lan'}}});
		try {
			const start = await openclaw(['gateway'], instance.env);
			assert.equal(start.exitCode, 78);
			assert.match(start.stderr, /refusing to bind gateway to 0\.0\.0\.0:\d+ without auth\. Fix: give the gateway a token: openclaw setup/);
			await findsSignature(instance.env, 'bind-without-auth', 'fail');
		} finally {
			await instance.cleanup();
		}
	});

	it('gateway.mode remote: the blocked start, with the same fix as the config check', async () => {
		const port = await freePort();
		const instance = await makeInstance({port, config: {gateway: {mode: 'remote', port}}});
		try {
			const start = await openclaw(['gateway'], instance.env);
			assert.equal(start.exitCode, 78);
			assert.match(start.stderr, /Gateway start blocked: set gateway\.mode=local \(current: remote/);
			await findsSignature(instance.env, 'mode-not-local', 'fail');
			assert.equal((await doctorJson(instance.env)).checks.get('config')?.fix, signature('mode-not-local').fix);
		} finally {
			await instance.cleanup();
		}
	});

	it('a wrong token: the refused client is in the running gateway\'s log, a warning with the token fix', async () => {
		const instance = await makeInstance({port: await freePort()});
		const gateway = await startGatewayProcess(instance);
		try {
			const refused = await openclaw(['health', '--token', 'not-the-token'], instance.env);
			assert.equal(refused.exitCode, 1);
			assert.ok(refused.stderr.includes(`unauthorized: gateway token mismatch`), refused.stderr);
			assert.ok(refused.stderr.includes(`Fix: ${signature('auth-token').fix}.`), refused.stderr);
			await findsSignature(instance.env, 'auth-token', 'warn');
		} finally {
			await gateway.stop();
			await instance.cleanup();
		}
	});
});
