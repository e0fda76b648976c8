// `openclaw console` without a terminal: refuses with the way out; `--once` prints a plain snapshot of a real gateway.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {execa} from 'execa';
import {authedSocket, freePort, startTestGateway, tempDir, type TestGateway} from './helpers/gateway.js';
import {cliPath, isolatedEnv} from './helpers/gateway-process.js';

let gateway: TestGateway;
let home: {dir: string; cleanup: () => Promise<void>};

before(async () => {
	gateway = await startTestGateway();
	home = await tempDir('openclaw-console-once-');
});

after(async () => {
	await gateway.stop();
	await home.cleanup();
});

async function consoleRun(args: string[]) {
	return execa(process.execPath, [cliPath, 'console', ...args], {env: isolatedEnv(home.dir), extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000});
}

test('without a TTY it says it needs one, points at --once, and exits non-zero', async () => {
	const result = await consoleRun([]);
	assert.equal(result.exitCode, 1);
	assert.match(result.stderr, /needs an interactive terminal \(TTY\)/);
	assert.match(result.stderr, /openclaw console --once/);
	assert.equal(result.stdout, '');
});

test('--once prints the panes as plain text from a real gateway and exits 0', async () => {
	const result = await consoleRun(['--once', '--url', gateway.url, '--token', gateway.token]);
	assert.equal(result.exitCode, 0, result.stderr);
	for (const text of ['Runtime', 'Channels', 'Reload', 'Logs (last lines)', 'link      connected', `pid       ${process.pid}`, `:${gateway.port}`]) {
		assert.ok(result.stdout.includes(text), `missing ${text}:\n${result.stdout}`);
	}

	assert.match(result.stdout, /probe {5}ok \d+(\.\d+)? ms/);
	assert.doesNotMatch(result.stdout, /\u001B\[/, 'plain text, no escapes');
});

test('--once with a wrong token says auth failed with the fix, exit 1', async () => {
	const result = await consoleRun(['--once', '--url', gateway.url, '--token', 'wrong-token']);
	assert.equal(result.exitCode, 1);
	assert.match(result.stdout, /link {6}auth failed/);
	assert.match(result.stdout, /--token/);
});

test('--once against a port nobody listens on: not reachable, exit 1', async () => {
	const port = await freePort();
	const result = await consoleRun(['--once', '--url', `ws://127.0.0.1:${port}`, '--token', 'x']);
	assert.equal(result.exitCode, 1);
	assert.match(result.stderr, /not reachable at ws:\/\/127\.0\.0\.1:\d+/i);
});

test('--once has the sessions line: the count, and the session an agent run just used', async () => {
	const count = (stdout: string) => Number(/^ {2}sessions {2}(\d+)/m.exec(stdout)?.[1]);
	const before = await consoleRun(['--once', '--url', gateway.url, '--token', gateway.token]);
	assert.equal(before.exitCode, 0, before.stderr);
	assert.ok(Number.isInteger(count(before.stdout)), `no sessions line:\n${before.stdout}`);
	const socket = await authedSocket(gateway.url, {scopes: ['operator.write']});
	try {
		socket.send({type: 'req', id: 'once-run', method: 'agent', params: {message: 'hello', sessionKey: 'once-test', idempotencyKey: 'once-run'}});
		const accepted = await socket.response('once-run', 10_000);
		await socket.frame((frame) => frame.type === 'res' && frame.id === 'once-run' && frame !== accepted, 10_000);
	} finally {
		socket.close();
	}

	const after = await consoleRun(['--once', '--url', gateway.url, '--token', gateway.token]);
	assert.equal(after.exitCode, 0, after.stderr);
	assert.match(after.stdout, new RegExp(`^ {2}sessions {2}${count(before.stdout) + 1} · last just now \\(agent:main:once-test\\)$`, 'm'));
});
