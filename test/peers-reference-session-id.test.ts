// OpenClaw's own `openclaw agent --session-id` against our gateway: its CLI names the session by id (and, reading its
// own empty store, by the key `agent:main:explicit:<id>` it derives), and both turns must land in that one session,
// listed under the id, as they would on OpenClaw's gateway.
import assert from 'node:assert/strict';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {authedSocket, freePort} from './helpers/gateway.js';
import {referenceVersion, runReferenceCli} from './helpers/reference-gateway.js';

describe(`OpenClaw ${referenceVersion}'s agent --session-id against our gateway`, {timeout: 180_000}, () => {
	let instance: Instance;
	let gateway: GatewayProcess;
	let env: Record<string, string>;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
		gateway = await startGatewayProcess(instance);
		const home = path.join(instance.dir, 'reference-home');
		await mkdir(home, {recursive: true});
		env = {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: home,
			OPENCLAW_STATE_DIR: path.join(home, '.openclaw'),
			OPENCLAW_GATEWAY_PORT: String(instance.port),
			OPENCLAW_GATEWAY_TOKEN: instance.token,
		};
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	test('two turns with one --session-id land in one session that sessions.list shows under that id', async () => {
		for (const message of ['first by id', 'second by id']) {
			const result = await runReferenceCli(['agent', '--session-id', 'ref-thread', '--message', message, '--json'], env, 90_000);
			assert.deepEqual(result.guard, [], 'the reference CLI stayed on loopback');
			assert.equal(result.exitCode, 0, `openclaw agent exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
		}

		const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.read'], auth: {token: instance.token}});
		const list = await socket.call('sessions.list', {});
		socket.close();
		const rows = list.payload.sessions.map((row: any) => [row.key, row.sessionId, row.messageCount]);
		assert.deepEqual(rows, [['agent:main:explicit:ref-thread', 'ref-thread', 4]]);
	});
});
