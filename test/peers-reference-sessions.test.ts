// OpenClaw's own clients against our sessions and chat: the pinned reference CLI reads the sessions our gateway
// recorded (`gateway call sessions.list`, `health --verbose`), the real `openclaw tui`, driven in a terminal, sends a
// message to our gateway and shows the echo model's reply, `openclaw agent --session-id` lands in its session, and
// `openclaw agent --channel telegram --to <id> --deliver` has our gateway send the answer to that Telegram peer.
//
// Not tested here, because it cannot be: `openclaw sessions` (the list command) never asks the gateway. It opens the
// SQLite agent database under its own state dir (`agents/<id>/agent/openclaw-agent.sqlite`) read-only, so it lists the
// sessions of an OpenClaw gateway on the same host only.
import assert from 'node:assert/strict';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {startTmuxConsole, tmuxAvailable, type TmuxConsole} from './helpers/console-tmux.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, freePort} from './helpers/gateway.js';
import {ensureReferenceInstalled, guardEntries, referenceVersion, runReferenceCli, unexpectedEscapes} from './helpers/reference-gateway.js';

const guardPath = fileURLToPath(new URL('reference/loopback-guard.cjs', import.meta.url));

describe(`OpenClaw ${referenceVersion}'s CLI and TUI against our sessions and chat`, {timeout: 240_000}, () => {
	let instance: Instance;
	let gateway: GatewayProcess;
	let env: Record<string, string>;
	let home: string;
	let apis: FakeChannelApis;

	before(async () => {
		apis = await startFakeChannelApis();
		const port = await freePort();
		const token = `token-${Math.random().toString(36).slice(2)}`;
		instance = await makeInstance({
			port,
			token,
			config: {
				gateway: {mode: 'local', port, auth: {mode: 'token', token}},
				// No inbound traffic here: the channel is only the way out for `agent --deliver`.
				channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1}},
			},
		});
		gateway = await startGatewayProcess(instance);
		home = path.join(instance.dir, 'reference-home');
		await mkdir(path.join(home, 'tmp'), {recursive: true});
		env = {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: home,
			OPENCLAW_STATE_DIR: path.join(home, '.openclaw'),
			OPENCLAW_GATEWAY_PORT: String(instance.port),
			OPENCLAW_GATEWAY_TOKEN: instance.token,
		};
		const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.admin'], auth: {token: instance.token}});
		for (const [key, sessionKey] of [['ref-run-1', undefined], ['ref-run-2', 'scratch']] as const) {
			const id = `req-${key}`;
			socket.send({type: 'req', id, method: 'agent', params: {message: `turn ${key}`, idempotencyKey: key, ...(sessionKey ? {sessionKey} : {})}});
			const first = await socket.response(id, 10_000);
			await socket.frame((frame) => frame.type === 'res' && frame.id === id && frame !== first, 10_000);
		}

		socket.close();
	});

	after(async () => {
		await gateway?.stop();
		await apis?.close();
		await instance?.cleanup();
	});

	async function run(args: string[]) {
		const result = await runReferenceCli(args, env);
		assert.deepEqual(result.guard, [], 'the reference CLI stayed on loopback');
		assert.equal(result.exitCode, 0, `openclaw ${args.join(' ')} exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
		assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /undefined|unknown method|missing scope/, `openclaw ${args.join(' ')}`);
		return result;
	}

	test('gateway call sessions.list lists the two agent runs with their message counts', async () => {
		const list = JSON.parse((await run(['gateway', 'call', 'sessions.list', '--params', '{}', '--json'])).stdout) as {count: number; sessions: Array<{key: string; messageCount: number}>};
		assert.equal(list.count, 2);
		assert.deepEqual(list.sessions.map((row) => [row.key, row.messageCount]).sort(), [
			['agent:main:main', 2],
			['agent:main:scratch', 2],
		]);
	});

	test('health --verbose counts our session store', async () => {
		const {stdout} = await run(['health', '--verbose']);
		assert.match(stdout, /Session store \(main\): \S+sessions\.json \(2 entries\)/);
		assert.match(stdout, /- agent:main:(main|scratch) \(/);
	});

	test('openclaw tui: connects, sends a message, shows the echo reply', {timeout: 120_000}, async (t) => {
		if (!(await tmuxAvailable())) {
			t.skip('tmux is not installed');
			return;
		}

		const install = await ensureReferenceInstalled();
		const guardLog = path.join(home, 'tmp', 'tui-guard.log');
		await writeFile(guardLog, '');
		let tui: TmuxConsole | undefined;
		try {
			tui = await startTmuxConsole({
				command: [install.node, '--require', guardPath, install.entry, 'tui'],
				env: {
					...env,
					TERM: 'xterm-256color',
					TMPDIR: path.join(home, 'tmp'),
					OPENCLAW_NO_AUTO_UPDATE: '1',
					OPENCLAW_DISABLE_BONJOUR: '1',
					OPENCLAW_CLAWHUB_URL: 'http://127.0.0.1:9',
					// Its editor would download `fd` from GitHub for file completion; offline mode skips that.
					OPENCLAW_OFFLINE: '1',
					OPENCLAW_LOOPBACK_GUARD_LOG: guardLog,
					NO_COLOR: '1',
				},
				columns: 120,
				rows: 40,
			});
			const console = tui;
			// Connected and subscribed: it loaded the main session's history (the agent run above is in it).
			await console.waitFor((screen) => /gateway connected|session agent:main:main/.test(screen) && screen.includes('turn ref-run-1'), 'the TUI to connect and load the main session', 60_000);
			const message = 'hello from the real tui';
			await console.keys('-l', message);
			await console.waitFor((screen) => screen.includes(message), 'the typed message in the editor', 10_000);
			await console.keys('Enter');
			// Once as the user's line, once as the echo model's reply.
			const screen = await console.waitFor((text) => text.split(message).length - 1 >= 2 && text, 'the echo reply on screen', 30_000);
			assert.doesNotMatch(screen, /subscribe failed|unknown method|missing scope|history failed|startup failed/);

			const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.read'], auth: {token: instance.token}});
			const history = await socket.call('chat.history', {sessionKey: 'main'});
			const texts = history.payload.messages.map((entry: any) => [entry.role, entry.content[0].text]);
			assert.deepEqual(texts.slice(-2), [
				['user', message],
				['assistant', message],
			]);
			socket.close();
		} finally {
			await tui?.kill();
		}

		assert.deepEqual(unexpectedEscapes(guardEntries(await readFile(guardLog, 'utf8'))), [], 'the TUI stayed on loopback');
	});

	// Its CLI names the session by id (and, reading its own empty store, by the key `agent:main:explicit:<id>` it
	// derives): both turns must land in that one session, listed under the id, as on OpenClaw's gateway.
	test('agent --session-id: two turns land in one session that sessions.list shows under that id', async () => {
		for (const message of ['first by id', 'second by id']) {
			const result = await runReferenceCli(['agent', '--session-id', 'ref-thread', '--message', message, '--json'], env, 90_000);
			assert.deepEqual(result.guard, [], 'the reference CLI stayed on loopback');
			assert.equal(result.exitCode, 0, `openclaw agent exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
		}

		const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.read'], auth: {token: instance.token}});
		const list = await socket.call('sessions.list', {});
		socket.close();
		const rows = list.payload.sessions.map((row: any) => [row.key, row.sessionId, row.messageCount]);
		assert.deepEqual(
			rows.filter((row: unknown[]) => row[1] === 'ref-thread' || String(row[0]).includes('explicit')),
			[['agent:main:explicit:ref-thread', 'ref-thread', 4]],
		);
	});

	// Its CLI sends `agentId: "main"` (the gateway's sole agent), `channel`, `to` and `deliver: true`, and leaves the
	// session to the gateway: the peer's own, where Telegram's messages from 4242 land too (our dmScope default).
	test('agent --channel telegram --to <id> --deliver: the echo answer reaches the peer through sendMessage', async () => {
		const message = 'delivered by the reference cli';
		const result = await runReferenceCli(['agent', '--channel', 'telegram', '--to', '4242', '--deliver', '--message', message, '--json'], env, 90_000);
		assert.deepEqual(result.guard, [], 'the reference CLI stayed on loopback');
		assert.equal(result.exitCode, 0, `openclaw agent exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
		assert.deepEqual(
			apis.telegram.sent.map((sent) => [sent.chat_id, sent.text]),
			[[4242, message]],
		);
		const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.read'], auth: {token: instance.token}});
		const history = await socket.call('chat.history', {sessionKey: 'agent:main:telegram:direct:4242'});
		socket.close();
		assert.deepEqual(
			history.payload.messages.map((entry: any) => [entry.role, entry.content[0].text]),
			[
				['user', message],
				['assistant', message],
			],
		);
	});
});
