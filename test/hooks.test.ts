// Hooks on the gateway port: off unless enabled with a token; header auth only; 401/400/404/405/413/429 as the
// reference; /hooks/wake queues (or coalesces) and wakes, /hooks/agent and mapped hooks start agent runs.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AgentService} from '../gateway/agents/service.js';
import {HooksService} from '../gateway/http-routes/hooks.js';
import {Logger} from '../gateway/logger.js';
import {authedSocket, startTestGateway, type RawSocket, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const hookToken = 'hook-secret-token-777';

const hooksConfig = {
	hooks: {
		enabled: true,
		token: hookToken,
		mappings: [
			{match: {path: 'github'}, action: 'agent', name: 'GitHub', messageTemplate: 'PR {{pull_request.title}} by {{sender.login}} ({{headers.x-github-event}})'},
			{match: {path: 'mail', source: 'gmail'}, action: 'wake', textTemplate: 'New mail from {{messages[0].from}}'},
		],
	},
};

let gw: TestGateway;
let hooks: HooksService;

function hook(target: TestGateway, path: string, body: unknown, headers: Record<string, string> = {Authorization: `Bearer ${hookToken}`}, method = 'POST') {
	return fetch(`http://127.0.0.1:${target.port}${path}`, {
		method,
		headers: {'Content-Type': 'application/json', ...headers},
		...(method === 'GET' ? {} : {body: typeof body === 'string' ? body : JSON.stringify(body)}),
	});
}

async function runText(socket: RawSocket, runId: string): Promise<string> {
	const end = await socket.frame((frame) => frame.event === 'agent' && frame.payload.runId === runId && frame.payload.data.phase === 'end', 10_000);
	assert.ok(end);
	const assistant = socket.frames.filter((frame) => frame.event === 'agent' && frame.payload.runId === runId && frame.payload.stream === 'assistant');
	return assistant.at(-1)?.payload.data.text ?? '';
}

before(async () => {
	const logger = new Logger({level: 'silent'});
	const agents = new AgentService(logger);
	hooks = new HooksService(agents, logger);
	gw = await startTestGateway({config: loadedConfig(hooksConfig), services: [agents, hooks]});
});

after(async () => {
	await gw.stop();
});

describe('hooks auth and routing', () => {
	test('off unless hooks.enabled and hooks.token: 404', async () => {
		const plain = await startTestGateway({config: loadedConfig({hooks: {enabled: true}})});
		try {
			const response = await hook(plain, '/hooks/wake', {text: 'x'});
			assert.equal(response.status, 404);
		} finally {
			await plain.stop();
		}
	});

	test('token in the query string: 400; missing or wrong: 401', async () => {
		const query = await hook(gw, `/hooks/wake?token=${hookToken}`, {text: 'x'}, {});
		assert.equal(query.status, 400);
		assert.match((await query.json()).error, /query string/);
		for (const headers of [{}, {Authorization: 'Bearer nope'}, {'x-openclaw-token': 'nope'}] as Array<Record<string, string>>) {
			const response = await hook(gw, '/hooks/wake', {text: 'x'}, headers);
			assert.equal(response.status, 401);
			assert.deepEqual(await response.json(), {ok: false, error: 'Unauthorized'});
		}
	});

	test('unknown hook 404, wrong method 405, bad payload 400, oversized body 413', async () => {
		assert.equal((await hook(gw, '/hooks/nothing-here', {})).status, 404);
		const get = await hook(gw, '/hooks/wake', undefined, {Authorization: `Bearer ${hookToken}`}, 'GET');
		assert.equal(get.status, 405);
		assert.equal(get.headers.get('allow'), 'POST');
		assert.equal((await hook(gw, '/hooks/wake', {mode: 'now'})).status, 400);
		assert.equal((await hook(gw, '/hooks/wake', {text: 'x', mode: 'later'})).status, 400);
		assert.equal((await hook(gw, '/hooks/agent', {})).status, 400);
		assert.equal((await hook(gw, '/hooks/agent', '{broken')).status, 400);
		const big = await hook(gw, '/hooks/agent', {message: 'x'.repeat(300 * 1024)});
		assert.equal(big.status, 413);
	});
});

describe('hook actions', () => {
	test('/hooks/wake queues a system event and wakes the main session now', async () => {
		const socket = await authedSocket(gw.url, {scopes: ['operator.read']});
		const response = await hook(gw, '/hooks/wake', {text: 'New email received'}, {'x-openclaw-token': hookToken});
		assert.equal(response.status, 200);
		assert.deepEqual(await response.json(), {ok: true, mode: 'now', eventOutcome: 'queued'});
		const start = await socket.frame((frame) => frame.event === 'agent' && frame.payload.sessionKey === 'agent:main:main' && frame.payload.data.phase === 'start');
		assert.equal(await runText(socket, start.payload.runId), 'System: New email received');
		socket.close();
	});

	test('/hooks/wake next-heartbeat: a repeat of the pending text is coalesced', async () => {
		const first = await (await hook(gw, '/hooks/wake', {text: 'disk almost full', mode: 'next-heartbeat', sessionKey: 'ops:disk'})).json();
		const second = await (await hook(gw, '/hooks/wake', {text: 'disk almost full', mode: 'next-heartbeat', sessionKey: 'ops:disk'})).json();
		assert.deepEqual(first, {ok: true, mode: 'next-heartbeat', eventOutcome: 'queued'});
		assert.deepEqual(second, {ok: true, mode: 'next-heartbeat', eventOutcome: 'coalesced'});
	});

	test('/hooks/agent starts a run through the agent runner: {ok, runId}, events carry the runId', async () => {
		const socket = await authedSocket(gw.url, {scopes: ['operator.read']});
		const response = await hook(gw, '/hooks/agent', {message: 'Summarize inbox', name: 'Email'});
		assert.equal(response.status, 200);
		const body = await response.json();
		assert.equal(body.ok, true);
		assert.equal(typeof body.runId, 'string');
		assert.equal(await runText(socket, body.runId), '[Email] Summarize inbox');
		socket.close();

		const waited = await (await hook(gw, '/hooks/agent', {message: 'wait for me', waitForCompletion: true})).json();
		assert.equal(waited.ok, true);
		assert.deepEqual(waited.completion, {status: 'ok', summary: 'completed', text: 'wait for me'});
	});

	test('mapped hooks render their templates from the payload and headers', async () => {
		const socket = await authedSocket(gw.url, {scopes: ['operator.read']});
		const response = await hook(
			gw,
			'/hooks/github',
			{pull_request: {title: 'Fix probes'}, sender: {login: 'ada'}},
			{Authorization: `Bearer ${hookToken}`, 'x-github-event': 'pull_request'},
		);
		assert.equal(response.status, 200);
		const {runId} = await response.json();
		assert.equal(await runText(socket, runId), '[GitHub] PR Fix probes by ada (pull_request)');
		socket.close();

		const wake = await hook(gw, '/hooks/mail', {source: 'gmail', messages: [{from: 'Ada'}]});
		assert.deepEqual(await wake.json(), {ok: true, mode: 'now', eventOutcome: 'queued'});
		const skipped = await hook(gw, '/hooks/mail', {source: 'imap', messages: []});
		assert.equal(skipped.status, 204);
	});

	test('a hot config change takes the new token at once', async () => {
		await hooks.applyConfig(loadedConfig({hooks: {...hooksConfig.hooks, token: 'rotated-hook-token'}}));
		try {
			assert.equal((await hook(gw, '/hooks/wake', {text: 'x', mode: 'next-heartbeat'})).status, 401);
			assert.equal((await hook(gw, '/hooks/wake', {text: 'x', mode: 'next-heartbeat'}, {Authorization: 'Bearer rotated-hook-token'})).status, 200);
		} finally {
			await hooks.applyConfig(loadedConfig(hooksConfig));
		}
	});
});

describe('hook auth rate limit', () => {
	test('20 failures in 60 s from one client: 429 with Retry-After (for the right token too when a web page sends it)', async () => {
		const limited = await startTestGateway({config: loadedConfig(hooksConfig)});
		try {
			for (let attempt = 0; attempt < 20; attempt++) {
				assert.equal((await hook(limited, '/hooks/wake', {text: 'x'}, {Authorization: 'Bearer wrong'})).status, 401);
			}

			const blocked = await hook(limited, '/hooks/wake', {text: 'x'}, {Authorization: 'Bearer wrong'});
			assert.equal(blocked.status, 429);
			const retryAfter = Number(blocked.headers.get('retry-after'));
			assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);

			const origin = {Origin: `http://127.0.0.1:${limited.port}`};
			for (let attempt = 0; attempt < 20; attempt++) {
				assert.equal((await hook(limited, '/hooks/wake', {text: 'x'}, {...origin, Authorization: 'Bearer wrong'})).status, 401);
			}

			assert.equal((await hook(limited, '/hooks/wake', {text: 'x'}, {...origin, Authorization: `Bearer ${hookToken}`})).status, 429);
		} finally {
			await limited.stop();
		}
	});
});
