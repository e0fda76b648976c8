// No secret ever leaves the gateway: not in hello-ok, status, health, presence, config.get, error messages, the log
// file, stdio (even --verbose), `--json` output of the CLI, nor the command line of a child gateway.
import assert from 'node:assert/strict';
import {readFile, readdir} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {hashConfigText} from '../source/protocol/config/load.js';
import {parseConfigText} from '../source/protocol/config/load.js';
import {Logger} from '../gateway/logger.js';
import {commands} from '../source/commands/registry.js';
import {LocalGateway} from '../source/supervisor/local-gateway.js';
import {authedSocket, freePort, RawSocket, startTestGateway, tempDir, type TestGateway} from './helpers/gateway.js';
import {isolatedEnv, runCli, spawnGateway, writeConfig} from './helpers/gateway-process.js';

const gatewayToken = 'gw-token-5ecret-aa11bb22cc33';
const gatewayPassword = 'gw-passw0rd-5ecret-dd44';
const botToken = 'bot-5ecret-123456:ABCDEF';
const apiKey = 'sk-5ecret-provider-key-ee55ff66';
const wrongToken = 'wrong-5ecret-guess-7788';
const secrets = [gatewayToken, gatewayPassword, botToken, apiKey, wrongToken];

const configText = `{
  gateway: {mode: 'local', auth: {mode: 'token', token: '${gatewayToken}', password: '${gatewayPassword}'}},
  channels: {telegram: {enabled: false, botToken: '${botToken}'}},
  models: {providers: {openai: {baseUrl: 'http://127.0.0.1:9/v1', apiKey: '${apiKey}'}}},
}
`;

function assertNoSecret(text: string, where: string): void {
	for (const secret of secrets) {
		assert.equal(text.includes(secret), false, `${where} contains a secret (${secret.slice(0, 8)}...)`);
	}
}

let dir: string;
let cleanup: () => Promise<void>;
before(async () => {
	({dir, cleanup} = await tempDir('openclaw-secrets-'));
});
after(async () => cleanup());

describe('in-process gateway answers', () => {
	let gw: TestGateway;
	let logFile: string;
	before(async () => {
		logFile = path.join(dir, 'inproc', 'gateway.log');
		const configPath = path.join(dir, 'inproc', 'openclaw.json');
		await writeConfig(configPath, configText);
		gw = await startTestGateway({
			auth: {mode: 'token', token: gatewayToken},
			configPath,
			config: {path: configPath, exists: true, raw: configText, hash: hashConfigText(configText), config: parseConfigText(configText, configPath)},
			logger: new Logger({level: 'trace', file: logFile}),
		});
	});
	after(async () => gw.stop());

	test('hello-ok, status, health, system-presence and config.get (admin) carry no secret', async () => {
		const admin = new RawSocket(gw.url);
		const hello = await admin.connect({auth: {token: gatewayToken}, scopes: ['operator.read', 'operator.admin']});
		assert.equal(hello.ok, true);
		const answers = [hello];
		for (const method of ['status', 'health', 'system-presence', 'config.get', 'channels.status', 'config.schema']) {
			if (gw.server.methods.has(method)) {
				const res = await admin.call(method, {});
				assert.equal(res.ok, true, `${method}: ${JSON.stringify(res.error)}`);
				answers.push(res);
			}
		}

		for (const answer of answers) {
			assertNoSecret(JSON.stringify(answer), `answer ${JSON.stringify(answer).slice(0, 60)}`);
		}

		admin.close();
	});

	test('auth error messages name the problem, not the secret', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({auth: {token: wrongToken}});
		assert.equal(res.ok, false);
		assertNoSecret(JSON.stringify(res), 'the auth error');
		assertNoSecret((await socket.closedWith()).reason, 'the close reason');
		const password = new RawSocket(gw.url);
		const pwRes = await password.connect({auth: {password: wrongToken}});
		assertNoSecret(JSON.stringify(pwRes), 'the password error');
	});

	test('the log file (at trace level) has none of it', async () => {
		const reader = await authedSocket(gw.url, {auth: {token: gatewayToken}});
		await reader.call('health');
		reader.close();
		assertNoSecret(await readFile(logFile, 'utf8'), 'the log file');
	});
});

describe('the gateway process and the CLI', () => {
	test('--verbose stdio, the log files and `--json` outputs carry no secret', async () => {
		const stateDir = path.join(dir, 'proc');
		await writeConfig(path.join(stateDir, 'openclaw.json'), configText);
		const port = await freePort();
		const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir});
		const gateway = spawnGateway(['gateway', '--port', String(port), '--verbose'], env);
		try {
			await gateway.waitFor(/listening on/);
			const url = `ws://127.0.0.1:${port}`;
			const wrong = new RawSocket(url);
			await wrong.connect({auth: {token: wrongToken}});
			(await authedSocket(url, {auth: {token: gatewayToken}, scopes: ['operator.read', 'operator.admin']})).close();

			const probes = [['health'], ['status'], ['gateway', 'status'], ['gateway', 'health'], ['config', 'get'], ['channels', 'status'], ['logs'], ['doctor']];
			const present = probes.filter((words) => commands.some((spec) => spec.words.join(' ') === words.join(' ') && 'json' in spec.flags));
			assert.ok(present.length >= 3, `only ${present.length} --json commands found`);
			for (const words of present) {
				// The CLI finds the token in the same config (as an operator's would); its output must not echo any secret.
				const result = await runCli([...words, '--json', '--port', String(port)], env, 15_000);
				assert.ok(result.output.length > 0, `openclaw ${words.join(' ')} --json printed nothing`);
				assertNoSecret(result.output, `openclaw ${words.join(' ')} --json`);
			}

			console.log(`no secret in --json output of: ${present.map((words) => words.join(' ')).join(', ')}`);

			assertNoSecret(gateway.output(), 'gateway stdio');
		} finally {
			gateway.kill();
			await gateway.exited;
		}

		assertNoSecret(gateway.output(), 'gateway stdio');
		const logsDir = path.join(stateDir, 'logs');
		for (const name of await readdir(logsDir)) {
			assertNoSecret(await readFile(path.join(logsDir, name), 'utf8'), `log ${name}`);
		}
	});

	test("a child gateway gets its token by env, never on its command line", async () => {
		const stateDir = path.join(dir, 'child');
		await writeConfig(path.join(stateDir, 'openclaw.json'), `{gateway: {mode: 'local'}}`);
		const local = new LocalGateway({
			token: gatewayToken,
			env: isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir}),
			port: await freePort(),
		});
		try {
			await local.start();
			const pid = local.pid!;
			const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
			assert.ok(cmdline.trim().length > 0);
			assertNoSecret(cmdline, 'the child command line');
			const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
			assert.ok(environ.includes(gatewayToken), 'the token reaches the child by env');
			(await authedSocket(local.url!, {auth: {token: gatewayToken}})).close();
		} finally {
			await local.dispose();
		}
	});
});
