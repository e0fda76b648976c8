// A gateway stop (or in-process restart) while a channel turn is under way: the message was already confirmed to its
// service (here the webhook POST got its 202; Telegram's offset is stored the same way), which will not send it
// again, so the turn must finish and answer before the agents are stopped. The routing soak (bench/soak.ts --routing)
// found such messages lost at every restart: the run was aborted and the answer never sent.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {webhookSignatureHeaders} from '../gateway/channels/webhook-transport.js';
import {openAiKey, startFakeChannelApis, startFakeOpenAi, type FakeChannelApis, type FakeServer} from './helpers/fake-apis.js';
import {tempDir} from './helpers/gateway.js';
import {startGateway, waitFor, type Started} from './helpers/routing.js';

const secret = 'webhook-signing-secret-stop-0123456789';
const answer = 'the whole slow answer, every word of it';
let apis: FakeChannelApis;
let model: FakeServer;
let state: {dir: string; cleanup: () => Promise<void>};
let started: Started | undefined;

before(async () => {
	apis = await startFakeChannelApis();
	// About 600 ms a turn: long enough for the stop to land in the middle of it.
	model = await startFakeOpenAi({reply: answer, chunks: 10, chunkDelayMs: 60});
	state = await tempDir('openclaw-routing-stop-');
});

after(async () => {
	await started?.gw.stop();
	await apis?.close();
	await model?.close();
	await state?.cleanup();
});

test('a turn under way when the gateway stops still sends its whole answer', {timeout: 30_000}, async () => {
	started = await startGateway(state.dir, {
		agents: {defaults: {model: 'slow'}},
		models: {providers: {slow: {baseUrl: `${model.url}/v1`, apiKey: openAiKey, model: 'slow-model'}}},
		channels: {webhook: {url: `${apis.url}/hook/ok`, secret, dmPolicy: 'allowlist', allowFrom: ['alice']}},
	});
	const body = JSON.stringify({from: 'alice', text: 'answer me before you go', id: 'stop-1'});
	const response = await fetch(`http://127.0.0.1:${started.gw.port}/channels/webhook`, {
		method: 'POST',
		headers: {'content-type': 'application/json', ...webhookSignatureHeaders(secret, body)},
		body,
	});
	assert.equal(response.status, 202);
	await waitFor('the model asked', () => model.requests.length > 0 || undefined);
	const stopped = started.gw.stop();
	started = undefined;
	await stopped;
	const replies = apis.requests.filter((request) => request.method === 'POST' && request.path === '/hook/ok').map((request) => JSON.parse(request.body));
	assert.deepEqual(replies, [{to: 'alice', text: answer}]);
});

test('a turn longer than the stop waits sends the part it has, marked as cut, never passed off as whole', {timeout: 30_000}, async () => {
	// About 6 s a turn, past the 2 s a stop waits for turns under way.
	const slow = await startFakeOpenAi({reply: 'one two three four five six seven eight nine ten', chunks: 10, chunkDelayMs: 600});
	const dir = await tempDir('openclaw-routing-stop-cut-');
	let gateway: Started | undefined;
	try {
		gateway = await startGateway(dir.dir, {
			agents: {defaults: {model: 'slow'}},
			models: {providers: {slow: {baseUrl: `${slow.url}/v1`, apiKey: openAiKey, model: 'slow-model'}}},
			channels: {webhook: {url: `${apis.url}/hook/ok`, secret, dmPolicy: 'allowlist', allowFrom: ['bob']}},
		});
		const body = JSON.stringify({from: 'bob', text: 'take your time', id: 'stop-2'});
		const response = await fetch(`http://127.0.0.1:${gateway.gw.port}/channels/webhook`, {
			method: 'POST',
			headers: {'content-type': 'application/json', ...webhookSignatureHeaders(secret, body)},
			body,
		});
		assert.equal(response.status, 202);
		await waitFor('the model asked', () => slow.requests.length > 0 || undefined);
		const {logLines} = gateway;
		await gateway.gw.stop();
		gateway = undefined;
		const replies = apis.requests.filter((request) => request.method === 'POST' && request.path === '/hook/ok').map((request) => JSON.parse(request.body) as {to: string; text: string});
		const toBob = replies.filter((reply) => reply.to === 'bob');
		assert.equal(toBob.length, 1, JSON.stringify(replies));
		assert.match(toBob[0]!.text, /^one\b[\s\S]*\n\n\(cut short: the gateway was stopping\)$/);
		assert.ok(!toBob[0]!.text.includes('ten'), 'only part of the answer was there to send');
		assert.ok(logLines.some((line) => line.includes('channel turn cut short')), 'the log says so too');
	} finally {
		await gateway?.gw.stop();
		await slow.close();
		await dir.cleanup();
	}
});
