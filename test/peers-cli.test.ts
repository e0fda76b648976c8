// The operator commands against both gateways they will meet: ours, and the reference OpenClaw gateway (npm
// `openclaw` at the pinned version, see helpers/reference-gateway.ts). The same checks run on each, so a command
// that reads a field only our gateway fills (status's sessions, event loop and reload facts; uptime; version) fails
// here rather than in front of an operator. Each peer is one process for the whole file (the reference one takes
// 8-20 s to start and ~800 MiB).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {authFix} from '../source/client/auth-fix.js';
import {makeInstance, openclaw, startGatewayProcess, type Instance} from './helpers/cli-process.js';
import {freePort} from './helpers/gateway.js';
import {referenceVersion, startReferenceGateway, type ReferenceGateway} from './helpers/reference-gateway.js';

type Peer = {name: string; url: string; token: string; version: string | RegExp; env: Record<string, string>; stop(): Promise<void>};

async function ourGateway(): Promise<Peer> {
	const instance: Instance = await makeInstance({port: await freePort()});
	const gateway = await startGatewayProcess(instance);
	return {
		name: 'our gateway',
		url: `ws://127.0.0.1:${instance.port}`,
		token: instance.token,
		version: /^\d+\.\d+\.\d+/,
		env: instance.env,
		async stop() {
			await gateway.stop();
			await instance.cleanup();
		},
	};
}

async function referenceGateway(): Promise<Peer & {reference: ReferenceGateway}> {
	const reference = await startReferenceGateway();
	return {
		name: `OpenClaw ${referenceVersion}`,
		url: reference.url,
		token: reference.token,
		version: referenceVersion,
		// The reference's own state dir and config: a command that falls back to local facts finds its token there.
		env: reference.clientEnv,
		reference,
		stop: reference.stop,
	};
}

function json(stdout: string): Record<string, any> {
	try {
		return JSON.parse(stdout) as Record<string, any>;
	} catch {
		throw new Error(`not JSON:\n${stdout}`);
	}
}

for (const start of [ourGateway, referenceGateway]) {
	describe(`the CLI against ${start === ourGateway ? 'our gateway' : `the reference OpenClaw gateway ${referenceVersion}`}`, {timeout: 240_000}, () => {
		let peer: Peer;
		const target = () => ['--url', peer.url, '--token', peer.token];

		before(async () => {
			peer = await start();
		});

		after(async () => {
			await peer?.stop();
		});

		test('status --json carries the runtime, sessions, event loop and reload facts the gateway reports', async () => {
			const result = await openclaw(['status', ...target(), '--json'], peer.env);
			assert.equal(result.exitCode, 0, result.stderr);
			const report = json(result.stdout);
			assert.equal(report.ok, true);
			assert.equal(report.gateway.reachable, true);
			assert.match(report.gateway.version, peer.version instanceof RegExp ? peer.version : new RegExp(`^${peer.version.replaceAll('.', '\\.')}$`));
			assert.equal(typeof report.gateway.pid, 'number');
			assert.equal(typeof report.gateway.uptimeMs, 'number', 'uptime (OpenClaw gives it in the hello-ok snapshot only)');
			assert.equal(typeof report.sessions?.count, 'number', `sessions: ${JSON.stringify(report.sessions)}`);
			assert.equal(typeof report.eventLoop?.delayP99Ms, 'number', `eventLoop: ${JSON.stringify(report.eventLoop)}`);
			assert.ok(report.configReload && typeof report.configReload === 'object', `configReload: ${JSON.stringify(report.configReload)}`);
			assert.ok(report.agents.some((agent: {id: string}) => agent.id === 'main'), JSON.stringify(report.agents));
		});

		test('health --json and gateway call health answer ok', async () => {
			const health = await openclaw(['health', ...target(), '--json'], peer.env);
			assert.equal(health.exitCode, 0, health.stderr);
			assert.equal(json(health.stdout).ok, true);
			const call = await openclaw(['gateway', 'call', 'health', ...target(), '--json'], peer.env);
			assert.equal(call.exitCode, 0, call.stderr);
			assert.equal(json(call.stdout).ok, true);
		});

		test('config.schema.lookup names the reload modes the gateway allows', async () => {
			const call = await openclaw(['gateway', 'call', 'config.schema.lookup', '--params', '{"path":"gateway.reload.mode"}', ...target(), '--json'], peer.env);
			assert.equal(call.exitCode, 0, call.stderr);
			const text = JSON.stringify(json(call.stdout).schema);
			for (const mode of ['off', 'hybrid']) {
				assert.ok(text.includes(`"${mode}"`), text);
			}
		});

		test('console --once fills every Runtime line: version, uptime, bind and port, probe', async () => {
			const result = await openclaw(['console', '--once', ...target()], peer.env, 60_000);
			assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
			const port = new URL(peer.url).port;
			assert.match(result.stdout, /gateway\s+running/);
			assert.match(result.stdout, /pid\s+\d+\s+up \S+\s+v\d/);
			assert.match(result.stdout, new RegExp(`bind\\s+loopback.*${port}`));
			assert.doesNotMatch(result.stdout, /\?/, 'no question marks for facts the gateway gave');
			assert.match(result.stdout, /probe\s+ok/);
			assert.match(result.stdout, /mode\s+hybrid/);
		});

		test('logs --limit reads the gateway log; channels status --probe answers', async () => {
			const logs = await openclaw(['logs', '--limit', '5', ...target(), '--json'], peer.env);
			assert.equal(logs.exitCode, 0, logs.stderr);
			const records = logs.stdout
				.trim()
				.split('\n')
				.map((line) => json(line))
				.filter((record) => record.type === 'log');
			assert.ok(records.length > 0 && records.length <= 5, logs.stdout);
			assert.ok(records.every((record) => typeof record.message === 'string' && typeof record.level === 'string'), logs.stdout);
			const channels = await openclaw(['channels', 'status', '--probe', ...target(), '--json'], peer.env);
			assert.equal(channels.exitCode, 0, channels.stderr);
		});

		test('gateway probe, gateway status --require-rpc and status --deep answer from the gateway itself', async () => {
			const probe = await openclaw(['gateway', 'probe', ...target(), '--json'], peer.env);
			assert.equal(probe.exitCode, 0, `${probe.stdout}\n${probe.stderr}`);
			assert.match(probe.stdout, peer.version instanceof RegExp ? /"version": "\d+\.\d+\.\d+/ : new RegExp(`"version": "${peer.version.replaceAll('.', '\\.')}"`));
			const rpc = await openclaw(['gateway', 'status', '--require-rpc', ...target(), '--json'], peer.env);
			assert.equal(rpc.exitCode, 0, `${rpc.stdout}\n${rpc.stderr}`);
			const deep = await openclaw(['status', '--deep', ...target(), '--json'], peer.env, 60_000);
			assert.equal(deep.exitCode, 0, `${deep.stdout}\n${deep.stderr}`);
			const report = json(deep.stdout);
			assert.equal(report.health?.ok, true, JSON.stringify(report.health));
			assert.equal(report.channelsProbed, true);
			const refused = await openclaw(['gateway', 'status', '--require-rpc', '--url', peer.url, '--token', 'not-the-token'], peer.env);
			assert.equal(refused.exitCode, 1, refused.stdout);
		});

		test('a wrong token gets the token fix from every command that connects, never the password one', async () => {
			for (const command of [['status'], ['logs'], ['health'], ['channels', 'status'], ['gateway', 'status']]) {
				const result = await openclaw([...command, '--url', peer.url, '--token', 'not-the-token'], peer.env);
				const said = `${result.stdout}\n${result.stderr}`;
				assert.equal(result.exitCode, 1, `${command.join(' ')}: ${said}`);
				assert.ok(said.includes(authFix('token')), `${command.join(' ')}: ${said}`);
				assert.ok(!said.includes(authFix('password')), `${command.join(' ')}: ${said}`);
			}
		});

		test('logs --level warn --limit 5 through logs.tail: the last five lines at warn or above', async () => {
			const warnTail = async () => {
				const result = await openclaw(['logs', '--level', 'warn', '--limit', '5', ...target(), '--json'], peer.env);
				assert.equal(result.exitCode, 0, result.stderr);
				const records = result.stdout
					.trim()
					.split('\n')
					.map((line) => json(line))
					.filter((record) => record.type === 'log');
				return {stdout: result.stdout, records};
			};

			// A refused connect logs a warning on both gateways (ours one, OpenClaw two; OpenClaw also slows each
			// further refusal down): refuse until the log holds at least five, whatever earlier tests left there.
			let tail = await warnTail();
			for (let refused = 0; refused < 5 && tail.records.length < 5; refused++) {
				const result = await openclaw(['gateway', 'probe', '--url', peer.url, '--token', 'not-the-token', '--json'], peer.env);
				assert.equal(result.exitCode, 1, result.stdout);
				tail = await warnTail();
			}

			assert.equal(tail.records.length, 5, tail.stdout);
			assert.ok(tail.records.every((record) => ['warn', 'error', 'fatal'].includes(record.level)), tail.stdout);
			assert.ok(tail.records.some((record) => /unauthorized|token mismatch/.test(String(record.message))), tail.stdout);
			const text = await openclaw(['logs', '--level', 'warn', '--limit', '5', ...target()], peer.env);
			assert.equal(text.exitCode, 0, text.stderr);
			const lines = text.stdout.trim().split('\n');
			assert.equal(lines.length, 5, text.stdout);
			assert.ok(lines.every((line) => /\s(WARN|ERROR|FATAL)\s/.test(line)), text.stdout);
		});

		test('gateway status with the gateway token: admin-capable, not read-only', async () => {
			const result = await openclaw(['gateway', 'status', ...target()], peer.env);
			assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
			assert.match(result.stdout, /^Capability: admin-capable$/m);
			assert.doesNotMatch(result.stdout, /read-only/);
			const report = json((await openclaw(['gateway', 'status', ...target(), '--json'], peer.env)).stdout);
			assert.equal(report.rpc.capability, 'admin-capable');
			assert.ok(report.rpc.auth.scopes.includes('operator.admin'), JSON.stringify(report.rpc.auth));
		});

		test('a wrong token is an auth failure, said as such, exit non-zero', async () => {
			const result = await openclaw(['status', '--url', peer.url, '--token', 'not-the-token', '--json'], peer.env);
			assert.notEqual(result.exitCode, 0);
			const report = json(result.stdout);
			assert.equal(report.ok, false);
			assert.equal(report.gateway.reachable, true, 'it answered: it refused the token');
			assert.match(JSON.stringify(report), /--token or OPENCLAW_GATEWAY_TOKEN/, 'the fix, in the signature table\'s words');
			const text = await openclaw(['status', '--url', peer.url, '--token', 'not-the-token'], peer.env);
			assert.match(text.stdout, /^Gateway: ws:\/\/127\.0\.0\.1:\d+ reachable, but it refused the credentials$/m);
			// The gateway's config is on its own host: the local path is not offered as if it were its file.
			assert.match(text.stdout, /^Config: on the gateway's host \(--url target; \S+ is not its config\)$/m);
			// The console's snapshot names the problem and the fix, and no key (none can be pressed there).
			const once = await openclaw(['console', '--once', '--url', peer.url, '--token', 'not-the-token'], peer.env);
			assert.equal(once.exitCode, 1);
			assert.match(once.stdout, /problem +token refused/);
			assert.match(once.stdout, /fix: pass --token/);
			assert.doesNotMatch(once.stdout, /r retries now/);
		});
	});
}
