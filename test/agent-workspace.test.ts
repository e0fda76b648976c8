// Agent workspaces (agents.defaults.workspace, agents.list[].workspace): the schema knows them, each agent's directory
// resolves as OpenClaw resolves it, and a real gateway creates it owner-only on first use, runs there, records it in
// the session and reports it in agents.list.
import assert from 'node:assert/strict';
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {configSchema, formatIssues} from '../source/protocol/config/schema.js';
import {unknownConfigKeys} from '../source/protocol/config/unknown-keys.js';
import {agentWorkspaces, expandUserPath, resolveAgentWorkspace} from '../source/protocol/config/workspace.js';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {authedSocket, freePort} from './helpers/gateway.js';

describe('agent workspace: config', () => {
	test('agents.defaults.workspace and agents.list[].workspace are known keys with a checked type', () => {
		const config = {agents: {defaults: {workspace: '~/work'}, list: [{id: 'ops', workspace: '/srv/ops'}]}};
		assert.equal(configSchema.safeParse(config).success, true);
		assert.deepEqual(unknownConfigKeys(config), []);
		const bad = configSchema.safeParse({agents: {defaults: {workspace: 42}, list: [{id: 'ops', workspace: ''}]}});
		assert.equal(bad.success, false);
		const issues = bad.success ? [] : formatIssues(bad.error);
		assert.ok(issues.some((line) => line.startsWith('agents.defaults.workspace: expected string')), issues.join('\n'));
		assert.ok(issues.some((line) => line.startsWith('agents.list.0.workspace: ')), issues.join('\n'));
	});

	test('defaults as OpenClaw has them: main in <stateDir>/workspace, others in <stateDir>/workspace-<id>', () => {
		const stateDir = '/s/.openclaw-a';
		const env = {HOME: '/h'};
		assert.deepEqual(resolveAgentWorkspace({}, 'main', {stateDir, env}), {agentId: 'main', dir: '/s/.openclaw-a/workspace', source: 'state-dir'});
		assert.equal(resolveAgentWorkspace({}, 'ops', {stateDir, env}).dir, '/s/.openclaw-a/workspace-ops');
		assert.equal(resolveAgentWorkspace({}, 'main', {stateDir, env: {OPENCLAW_WORKSPACE_DIR: '/env/ws'}}).dir, '/env/ws');
	});

	test('configured: ~ is home, other agents nest under the defaults, an agent entry wins', () => {
		const env = {OPENCLAW_HOME: '/home/op'};
		const config = {agents: {defaults: {workspace: '~/ws'}, list: [{id: 'ops'}, {id: 'own', workspace: '~'}]}};
		const all = agentWorkspaces(config, {stateDir: '/s', env});
		assert.deepEqual(
			all.map(({agentId, dir, key}) => ({agentId, dir, key})),
			[
				{agentId: 'main', dir: '/home/op/ws', key: 'agents.defaults.workspace'},
				{agentId: 'ops', dir: '/home/op/ws/ops', key: 'agents.defaults.workspace'},
				{agentId: 'own', dir: '/home/op', key: 'agents.list[1].workspace'},
			],
		);
		assert.equal(expandUserPath('~/x/../y', env), '/home/op/y');
	});
});

describe('agent workspace: a gateway process', {timeout: 60_000}, () => {
	let instance: Instance;
	let gateway: GatewayProcess;

	before(async () => {
		const port = await freePort();
		instance = await makeInstance({port});
		const config = {gateway: {mode: 'local', port, auth: {mode: 'token', token: instance.token}}, agents: {list: [{id: 'ops', workspace: '~/ops-work'}]}};
		const {writeFile} = await import('node:fs/promises');
		await writeFile(instance.configPath, JSON.stringify(config), {mode: 0o600});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	test('a run creates its workspace 0700 inside the state dir, and its session records it', async () => {
		const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.admin'], auth: {token: instance.token}});
		const workspace = path.join(instance.stateDir, 'workspace');
		assert.throws(() => statSync(workspace), 'not there before the first run');
		for (const [agentId, key] of [['main', 'ws-main'], ['ops', 'ws-ops']]) {
			const id = `req-${key}`;
			socket.send({type: 'req', id, method: 'agent', params: {message: 'hello', agentId, idempotencyKey: key}});
			const first = await socket.response(id, 10_000);
			assert.equal(first.payload?.status, 'accepted', JSON.stringify(first));
			const final = await socket.frame((frame) => frame.type === 'res' && frame.id === id && frame !== first, 10_000);
			assert.equal(final.payload.status, 'ok', JSON.stringify(final));
		}

		assert.equal(statSync(workspace).mode & 0o777, 0o700);
		const opsWorkspace = path.join(instance.home, 'ops-work');
		assert.equal(statSync(opsWorkspace).mode & 0o777, 0o700, '~ is the gateway HOME');

		const list = await socket.call('sessions.list', {});
		const main = list.payload.sessions.find((row: any) => row.key === 'agent:main:main');
		assert.equal(main.workspaceDir, workspace);
		const transcript = readFileSync(path.join(instance.stateDir, 'agents', 'main', 'sessions', `${main.sessionId}.jsonl`), 'utf8');
		assert.equal(JSON.parse(transcript.split('\n')[0]).cwd, workspace);

		const agents = await socket.call('agents.list', {});
		assert.deepEqual(
			agents.payload.agents.map((agent: any) => [agent.id, agent.workspace]),
			[
				['main', workspace],
				['ops', opsWorkspace],
			],
		);
		socket.close();
	});
});
