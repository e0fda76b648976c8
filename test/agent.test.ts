// `agent` runs against a real gateway: the two-stage answer, streamed `agent` events, idempotency, abort, wait,
// the offline echo model and an OpenAI-compatible provider (a loopback fake of the streaming API).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AgentService} from '../gateway/agents/service.js';
import {Logger} from '../gateway/logger.js';
import {openAiKey, startFakeOpenAi, type FakeServer} from './helpers/fake-apis.js';
import {authedSocket, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const writer = {scopes: ['operator.read', 'operator.write']};

function agentEvents(socket: RawSocket, runId: string): any[] {
	return socket.frames.filter((frame) => frame.type === 'event' && frame.event === 'agent' && frame.payload.runId === runId);
}

/** Send `agent` and return its accepted and final responses (same request id). */
async function runAgent(socket: RawSocket, params: Record<string, unknown>, id = `a-${Math.random().toString(36).slice(2)}`) {
	socket.send({type: 'req', id, method: 'agent', params});
	const first = await socket.response(id, 10_000);
	const final = await socket.frame((frame) => frame.type === 'res' && frame.id === id && frame !== first, 10_000).catch(() => undefined);
	return {first, final};
}

let fakeOpenAi: FakeServer;
let slowOpenAi: FakeServer;
let gw: TestGateway;
let logLines: string[];

before(async () => {
	fakeOpenAi = await startFakeOpenAi({reply: 'The quick brown fox jumps.', chunks: 4});
	slowOpenAi = await startFakeOpenAi({reply: 'x'.repeat(200), chunks: 100, chunkDelayMs: 50});
	logLines = [];
	const logger = new Logger({level: 'debug', sinks: [(line) => logLines.push(line)]});
	gw = await startTestGateway({
		logger,
		config: loadedConfig({
			agents: {list: [{id: 'main'}, {id: 'ops'}]},
			models: {
				providers: {
					fake: {baseUrl: `${fakeOpenAi.url}/v1`, apiKey: openAiKey, model: 'fake-small'},
					slow: {baseUrl: `${slowOpenAi.url}/v1`, apiKey: openAiKey, model: 'slow-model'},
					badkey: {baseUrl: `${fakeOpenAi.url}/v1`, apiKey: 'sk-wrong-secret-key-42', model: 'fake-small'},
					down: {baseUrl: 'http://127.0.0.1:9/v1', apiKey: openAiKey, model: 'x'},
				},
			},
		}),
	});
});

after(async () => {
	await gw.stop();
	await fakeOpenAi.close();
	await slowOpenAi.close();
});

describe('agent with the echo model', () => {
	test('answers accepted at once, streams lifecycle/assistant events, then the final outcome', async () => {
		const socket = await authedSocket(gw.url, writer);
		const message = 'hello there from the agent test';
		const {first, final} = await runAgent(socket, {message, idempotencyKey: 'run-echo-1'});
		assert.equal(first.ok, true);
		assert.equal(first.payload.status, 'accepted');
		assert.equal(first.payload.runId, 'run-echo-1');
		assert.equal(first.payload.agentId, 'main');
		assert.equal(first.payload.sessionKey, 'agent:main:main');
		assert.equal(typeof first.payload.acceptedAt, 'number');
		assert.equal(final.ok, true);
		assert.deepEqual({runId: final.payload.runId, status: final.payload.status, summary: final.payload.summary}, {
			runId: 'run-echo-1',
			status: 'ok',
			summary: 'completed',
		});
		assert.deepEqual(final.payload.result.payloads, [{text: message}]);

		const events = agentEvents(socket, 'run-echo-1');
		assert.deepEqual(events.map((frame) => frame.payload.seq), events.map((_frame, index) => index + 1));
		assert.equal(events[0].payload.stream, 'lifecycle');
		assert.equal(events[0].payload.data.phase, 'start');
		assert.equal(events.at(-1).payload.stream, 'lifecycle');
		assert.equal(events.at(-1).payload.data.phase, 'end');
		const assistant = events.filter((frame) => frame.payload.stream === 'assistant');
		assert.ok(assistant.length >= 2, `expected a few deltas, got ${assistant.length}`);
		assert.equal(assistant.map((frame) => frame.payload.data.delta).join(''), message);
		assert.equal(assistant.at(-1).payload.data.text, message);
		for (const frame of events) {
			assert.equal(typeof frame.payload.ts, 'number');
			assert.equal(frame.payload.sessionKey, 'agent:main:main');
		}

		// The final res comes after the lifecycle end event.
		const endIndex = socket.frames.indexOf(events.at(-1));
		assert.ok(socket.frames.indexOf(final) > endIndex);
		socket.close();
	});

	test('operator.read clients see the run events; clients without scopes do not', async () => {
		const reader = await authedSocket(gw.url, {scopes: ['operator.read']});
		const blind = await authedSocket(gw.url, {scopes: []});
		const socket = await authedSocket(gw.url, writer);
		await runAgent(socket, {message: 'watch me', idempotencyKey: 'run-watched'});
		await reader.frame((frame) => frame.event === 'agent' && frame.payload.runId === 'run-watched' && frame.payload.data.phase === 'end');
		assert.equal(agentEvents(blind, 'run-watched').length, 0);
		for (const item of [reader, blind, socket]) {
			item.close();
		}
	});

	test('a repeated idempotency key does not start a second run', async () => {
		const socket = await authedSocket(gw.url, writer);
		const one = await runAgent(socket, {message: 'only once', idempotencyKey: 'run-dup'}, 'dup-1');
		// The run has ended: the repeat gets the cached outcome straight away, as its only answer.
		const two = await socket.call('agent', {message: 'only once', idempotencyKey: 'run-dup'}, 'dup-2');
		assert.equal(one.final.payload.runId, 'run-dup');
		assert.deepEqual(two.payload, one.final.payload);
		const starts = agentEvents(socket, 'run-dup').filter((frame) => frame.payload.data.phase === 'start');
		assert.equal(starts.length, 1);

		// Concurrent duplicates join the run in flight.
		socket.send({type: 'req', id: 'c-1', method: 'agent', params: {message: 'x y z w', idempotencyKey: 'run-concurrent'}});
		socket.send({type: 'req', id: 'c-2', method: 'agent', params: {message: 'x y z w', idempotencyKey: 'run-concurrent'}});
		const finals = await Promise.all(
			['c-1', 'c-2'].map(async (id) => socket.frame((frame) => frame.type === 'res' && frame.id === id && frame.payload?.status !== 'accepted')),
		);
		assert.deepEqual(finals[0].payload, finals[1].payload);
		const concurrentStarts = agentEvents(socket, 'run-concurrent').filter((frame) => frame.payload.data.phase === 'start');
		assert.equal(concurrentStarts.length, 1);
		socket.close();
	});

	test('params are checked: idempotencyKey required, unknown keys and agents refused, write scope needed', async () => {
		const socket = await authedSocket(gw.url, writer);
		const missing = await socket.call('agent', {message: 'hi'});
		assert.equal(missing.error.code, 'INVALID_REQUEST');
		assert.match(missing.error.message, /^invalid agent params/);
		const extra = await socket.call('agent', {message: 'hi', idempotencyKey: 'k-extra', bogus: true});
		assert.match(extra.error.message, /^invalid agent params/);
		const unknown = await socket.call('agent', {message: 'hi', idempotencyKey: 'k-unknown', agentId: 'nobody'});
		assert.equal(unknown.error.details.code, 'UNKNOWN_AGENT_ID');
		socket.close();
		const reader = await authedSocket(gw.url, {scopes: ['operator.read']});
		const denied = await reader.call('agent', {message: 'hi', idempotencyKey: 'k-denied'});
		assert.equal(denied.error.code, 'FORBIDDEN');
		reader.close();
	});

	test('a configured agent id runs under its own session key', async () => {
		const socket = await authedSocket(gw.url, writer);
		const {first, final} = await runAgent(socket, {message: 'ops here', idempotencyKey: 'run-ops', agentId: 'ops'});
		assert.equal(first.payload.agentId, 'ops');
		assert.equal(first.payload.sessionKey, 'agent:ops:main');
		assert.equal(final.payload.status, 'ok');
		socket.close();
	});
});

describe('agent with an OpenAI-compatible provider', () => {
	test('streams the provider answer (SSE) with the key, model and messages it was given', async () => {
		const socket = await authedSocket(gw.url, writer);
		// A session of its own: the model's messages are the system prompt and this message, no earlier turns.
		const {final} = await runAgent(socket, {message: 'say the fox line', idempotencyKey: 'run-openai', model: 'fake/fake-small', extraSystemPrompt: 'Be brief.', sessionKey: 'fox'});
		assert.equal(final.payload.status, 'ok');
		assert.equal(final.payload.result.payloads[0].text, 'The quick brown fox jumps.');
		assert.equal(final.payload.result.meta.model, 'fake/fake-small');
		const deltas = agentEvents(socket, 'run-openai').filter((frame) => frame.payload.stream === 'assistant');
		assert.equal(deltas.length, 4);
		const request = fakeOpenAi.requests.at(-1)!;
		assert.equal(request.headers.authorization, `Bearer ${openAiKey}`);
		const body = JSON.parse(request.body);
		assert.equal(body.model, 'fake-small');
		assert.equal(body.stream, true);
		assert.deepEqual(body.messages, [
			{role: 'system', content: 'Be brief.'},
			{role: 'user', content: 'say the fox line'},
		]);
		socket.close();
	});

	test('a second run on the same session gives the model the earlier turns as context', async () => {
		const socket = await authedSocket(gw.url, writer);
		await runAgent(socket, {message: 'my name is Ada', idempotencyKey: 'run-context-1', model: 'fake/fake-small', sessionKey: 'context'});
		await runAgent(socket, {message: 'what is my name?', idempotencyKey: 'run-context-2', model: 'fake/fake-small', sessionKey: 'context'});
		assert.deepEqual(JSON.parse(fakeOpenAi.requests.at(-1)!.body).messages, [
			{role: 'user', content: 'my name is Ada'},
			{role: 'assistant', content: 'The quick brown fox jumps.'},
			{role: 'user', content: 'what is my name?'},
		]);
		socket.close();
	});

	test('provider/model params select the provider too', async () => {
		const socket = await authedSocket(gw.url, writer);
		const {final} = await runAgent(socket, {message: 'hi', idempotencyKey: 'run-provider-param', provider: 'fake', model: 'fake-large'});
		assert.equal(final.payload.result.meta.model, 'fake/fake-large');
		assert.equal(JSON.parse(fakeOpenAi.requests.at(-1)!.body).model, 'fake-large');
		socket.close();
	});

	test('a provider failure ends the run with status error, a lifecycle error event, and no key in the text', async () => {
		const socket = await authedSocket(gw.url, writer);
		const {final} = await runAgent(socket, {message: 'hi', idempotencyKey: 'run-badkey', model: 'badkey'});
		assert.equal(final.ok, true);
		assert.equal(final.payload.status, 'error');
		assert.equal(final.payload.summary, 'failed');
		assert.match(final.payload.error, /HTTP 401/);
		assert.ok(!final.payload.error.includes('sk-wrong-secret-key-42'), final.payload.error);
		const events = agentEvents(socket, 'run-badkey');
		assert.equal(events.at(-1).payload.data.phase, 'error');
		assert.ok(!logLines.some((line) => line.includes('sk-wrong-secret-key-42')), 'API key leaked into the log');

		const down = await runAgent(socket, {message: 'hi', idempotencyKey: 'run-down', model: 'down/x'});
		assert.equal(down.final.payload.status, 'error');
		assert.match(down.final.payload.error, /unreachable/);
		const unknown = await runAgent(socket, {message: 'hi', idempotencyKey: 'run-unknown-provider', model: 'nope/model'});
		assert.match(unknown.final.payload.error, /unknown model provider "nope"/);
		socket.close();
	});

	test('chat.abort stops a running run: final summary aborted, lifecycle end', async () => {
		const socket = await authedSocket(gw.url, writer);
		socket.send({type: 'req', id: 'slow-1', method: 'agent', params: {message: 'long', idempotencyKey: 'run-slow', model: 'slow', sessionKey: 'abort-session'}});
		await socket.frame((frame) => frame.event === 'agent' && frame.payload.runId === 'run-slow' && frame.payload.stream === 'assistant', 10_000);
		const abort = await socket.call('chat.abort', {sessionKey: 'abort-session'});
		assert.deepEqual(abort.payload, {ok: true, aborted: true, runIds: ['run-slow']});
		const final = await socket.frame((frame) => frame.type === 'res' && frame.id === 'slow-1' && frame.payload?.status !== 'accepted', 10_000);
		assert.equal(final.payload.status, 'ok');
		assert.equal(final.payload.summary, 'aborted');
		assert.equal(final.payload.result.meta.aborted, true);
		assert.ok(final.payload.result.payloads[0].text.length < 200);
		const last = agentEvents(socket, 'run-slow').at(-1);
		assert.equal(last.payload.data.phase, 'end');
		const again = await socket.call('chat.abort', {sessionKey: 'abort-session'});
		assert.equal(again.payload.aborted, false);
		socket.close();
	});

	test('agent.abort by run id, and agent.wait before/after the end', async () => {
		const socket = await authedSocket(gw.url, writer);
		socket.send({type: 'req', id: 'slow-2', method: 'agent', params: {message: 'long', idempotencyKey: 'run-slow-2', model: 'slow'}});
		await socket.response('slow-2');
		const pending = await socket.call('agent.wait', {runId: 'run-slow-2', timeoutMs: 50});
		assert.deepEqual(pending.payload, {runId: 'run-slow-2', status: 'timeout'});
		const waiting = socket.call('agent.wait', {runId: 'run-slow-2', timeoutMs: 10_000});
		const abort = await socket.call('agent.abort', {runId: 'run-slow-2'});
		assert.equal(abort.payload.aborted, true);
		const waited = await waiting;
		assert.equal(waited.payload.status, 'ok');
		assert.equal(waited.payload.summary, 'aborted');
		assert.equal(waited.payload.stopReason, 'aborted');
		assert.ok(waited.payload.endedAt >= waited.payload.startedAt);
		const unknown = await socket.call('agent.wait', {runId: 'never-started', timeoutMs: 20});
		assert.equal(unknown.payload.status, 'timeout');
		socket.close();
	});

	test('a run over its timeout ends with status timeout', async () => {
		const socket = await authedSocket(gw.url, writer);
		const {final} = await runAgent(socket, {message: 'long', idempotencyKey: 'run-timeout', model: 'slow', timeout: 0.3});
		assert.equal(final.payload.status, 'timeout');
		assert.equal(final.payload.summary, 'aborted');
		socket.close();
	});
});

describe('agent settings on hot reload', () => {
	test('applyConfig switches the default model for new runs', async () => {
		const agents = new AgentService(new Logger({level: 'silent'}));
		const local = await startTestGateway({services: [agents]});
		try {
			const socket = await authedSocket(local.url, writer);
			const echo = await runAgent(socket, {message: 'first', idempotencyKey: 'hot-1'});
			assert.equal(echo.final.payload.result.meta.model, 'echo');
			await agents.applyConfig(
				loadedConfig({agents: {defaults: {model: 'fake'}}, models: {providers: {fake: {baseUrl: `${fakeOpenAi.url}/v1`, apiKey: openAiKey, model: 'fake-small'}}}}),
			);
			const provider = await runAgent(socket, {message: 'second', idempotencyKey: 'hot-2'});
			assert.equal(provider.final.payload.result.meta.model, 'fake/fake-small');
			assert.equal(provider.final.payload.result.payloads[0].text, 'The quick brown fox jumps.');
			socket.close();
		} finally {
			await local.stop();
		}
	});
});
