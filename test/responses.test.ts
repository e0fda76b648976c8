// `POST /v1/responses` (OpenResponses) on the gateway port: off by default, Bearer auth, JSON and SSE answers with
// the reference's event names, errors in the {error:{message,type}} shape, and a client that leaves aborts its run.
import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import {SseParser} from '../gateway/agents/sse.js';
import {openAiKey, startFakeOpenAi, type FakeServer} from './helpers/fake-apis.js';
import {authedSocket, startTestGateway, testToken, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

let gw: TestGateway;
let off: TestGateway;
let slowOpenAi: FakeServer;

function post(target: TestGateway, body: unknown, headers: Record<string, string> = {Authorization: `Bearer ${testToken}`}) {
	return fetch(`http://127.0.0.1:${target.port}/v1/responses`, {
		method: 'POST',
		headers: {'Content-Type': 'application/json', ...headers},
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

async function sseEvents(response: Response): Promise<Array<{event?: string; data: string}>> {
	const parser = new SseParser();
	return [...parser.push(await response.text()), ...parser.end()];
}

before(async () => {
	slowOpenAi = await startFakeOpenAi({reply: 'y'.repeat(400), chunks: 200, chunkDelayMs: 30});
	gw = await startTestGateway({
		config: loadedConfig({
			gateway: {http: {endpoints: {responses: {enabled: true}}}},
			agents: {list: [{id: 'main'}, {id: 'ops'}]},
			models: {providers: {slow: {baseUrl: `${slowOpenAi.url}/v1`, apiKey: openAiKey, model: 'slow-model'}}},
		}),
	});
	off = await startTestGateway();
});

after(async () => {
	await gw.stop();
	await off.stop();
	await slowOpenAi.close();
});

describe('POST /v1/responses', () => {
	test('is off by default: 404', async () => {
		const response = await post(off, {model: 'openclaw', input: 'hi'});
		assert.equal(response.status, 404);
		const body = await response.json();
		assert.equal(typeof body.error.message, 'string');
	});

	test('needs the gateway token as a Bearer: 401 in the error shape otherwise', async () => {
		for (const headers of [{}, {Authorization: 'Bearer wrong-token'}, {Authorization: testToken}] as Array<Record<string, string>>) {
			const response = await post(gw, {model: 'openclaw', input: 'hi'}, headers);
			assert.equal(response.status, 401);
			const body = await response.json();
			assert.equal(typeof body.error.message, 'string');
			assert.equal(body.error.type, 'unauthorized');
		}
	});

	test('JSON answer: a completed response whose output text is the echo model answer', async () => {
		const response = await post(gw, {model: 'openclaw', input: 'hello responses world'});
		assert.equal(response.status, 200);
		assert.match(response.headers.get('content-type') ?? '', /application\/json/);
		const body = await response.json();
		assert.match(body.id, /^resp_/);
		assert.equal(body.object, 'response');
		assert.equal(body.status, 'completed');
		assert.equal(body.model, 'openclaw');
		assert.equal(body.output[0].type, 'message');
		assert.equal(body.output[0].role, 'assistant');
		assert.deepEqual(body.output[0].content[0], {type: 'output_text', text: 'hello responses world', annotations: []});
		assert.equal(body.error, null);
		assert.ok(body.usage.total_tokens > 0);
	});

	test('input items: instructions and system turns, earlier turns, the last user message answered', async () => {
		const response = await post(gw, {
			model: 'openclaw/ops',
			instructions: 'be terse',
			input: [
				{type: 'message', role: 'user', content: 'first'},
				{type: 'message', role: 'assistant', content: [{type: 'output_text', text: 'ok'}]},
				{role: 'user', content: [{type: 'input_text', text: 'second question'}]},
			],
		});
		assert.equal(response.status, 200);
		const body = await response.json();
		assert.equal(body.output[0].content[0].text, 'second question');
	});

	test('SSE: the reference event sequence, deltas that add up, then [DONE]', async () => {
		const response = await post(gw, {model: 'openclaw', input: 'stream these few words please', stream: true});
		assert.equal(response.status, 200);
		assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
		const events = await sseEvents(response);
		assert.equal(events.at(-1)?.data, '[DONE]');
		const named = events.slice(0, -1);
		const names = named.map((event) => event.event);
		const deltas = named.filter((event) => event.event === 'response.output_text.delta');
		assert.ok(deltas.length >= 2);
		assert.deepEqual(names, [
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.content_part.added',
			...deltas.map(() => 'response.output_text.delta'),
			'response.output_text.done',
			'response.content_part.done',
			'response.output_item.done',
			'response.completed',
		]);
		const data = named.map((event) => JSON.parse(event.data));
		assert.deepEqual(data.map((item) => item.type), names);
		assert.deepEqual(data.map((item) => item.sequence_number), data.map((_item, index) => index));
		assert.equal(deltas.map((event) => JSON.parse(event.data).delta).join(''), 'stream these few words please');
		const completed = data.at(-1);
		assert.equal(completed.response.status, 'completed');
		assert.equal(completed.response.output[0].content[0].text, 'stream these few words please');
		assert.equal(data[0].response.status, 'in_progress');
	});

	test('SSE failure: response.failed then [DONE]', async () => {
		const response = await post(gw, {model: 'openclaw', input: 'hi', stream: true}, {Authorization: `Bearer ${testToken}`, 'x-openclaw-model': 'nope/model'});
		const events = await sseEvents(response);
		assert.deepEqual(events.slice(-2).map((event) => event.event ?? event.data), ['response.failed', '[DONE]']);
		const failed = JSON.parse(events.at(-2)!.data);
		assert.equal(failed.response.status, 'failed');
		assert.match(failed.response.error.message, /unknown model provider/);
	});

	test('errors: bad input 400, bad JSON 400, unknown agent target 400, GET 405, model failure 502', async () => {
		const cases: Array<[unknown, number, RegExp]> = [
			[{model: 'openclaw'}, 400, /input/],
			['{not json', 400, /not valid JSON/],
			[{model: 'gpt-4o', input: 'hi'}, 400, /agent target/],
			[{model: 'openclaw/ghost', input: 'hi'}, 400, /unknown agent id: ghost/],
			[{input: [{role: 'assistant', content: 'only me'}]}, 400, /user message/],
		];
		for (const [body, status, message] of cases) {
			const response = await post(gw, body);
			assert.equal(response.status, status, JSON.stringify(body));
			const json = await response.json();
			assert.match(json.error.message, message);
			assert.equal(json.error.type, 'invalid_request_error');
		}

		const get = await fetch(`http://127.0.0.1:${gw.port}/v1/responses`, {headers: {Authorization: `Bearer ${testToken}`}});
		assert.equal(get.status, 405);
		assert.equal(get.headers.get('allow'), 'POST');
		const failed = await post(gw, {input: 'hi'}, {Authorization: `Bearer ${testToken}`, 'x-openclaw-model': 'nope/model'});
		assert.equal(failed.status, 502);
		assert.equal((await failed.json()).error.type, 'api_error');
	});

	test('a client that disconnects mid-stream aborts its run', async () => {
		const created = await new Promise<string>((resolve, reject) => {
			const request = http.request(
				{
					host: '127.0.0.1',
					port: gw.port,
					path: '/v1/responses',
					method: 'POST',
					headers: {'Content-Type': 'application/json', Authorization: `Bearer ${testToken}`, 'x-openclaw-model': 'slow'},
				},
				(response) => {
					const parser = new SseParser();
					let id: string | undefined;
					response.setEncoding('utf8');
					response.on('data', (chunk: string) => {
						for (const event of parser.push(chunk)) {
							if (event.event === 'response.created') {
								id = JSON.parse(event.data).response.id;
							}

							if (event.event === 'response.output_text.delta' && id) {
								request.destroy();
								resolve(id);
							}
						}
					});
				},
			);
			request.on('error', () => {});
			request.setTimeout(10_000, () => reject(new Error('no delta within 10 s')));
			request.end(JSON.stringify({model: 'openclaw', input: 'long answer please', stream: true}));
		});
		const socket = await authedSocket(gw.url, {scopes: ['operator.write']});
		const waited = await socket.call('agent.wait', {runId: created, timeoutMs: 10_000});
		socket.close();
		assert.equal(waited.payload.status, 'ok');
		assert.equal(waited.payload.summary, 'aborted');
		assert.equal(waited.payload.stopReason, 'client-disconnected');
	});

	test('a body over the limit is refused with 413 before it is read', async () => {
		const status = await new Promise<number>((resolve, reject) => {
			const request = http.request(
				{
					host: '127.0.0.1',
					port: gw.port,
					path: '/v1/responses',
					method: 'POST',
					headers: {'Content-Type': 'application/json', Authorization: `Bearer ${testToken}`, 'Content-Length': String(21 * 1024 * 1024)},
				},
				(response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
					request.destroy();
				},
			);
			request.on('error', () => {});
			request.setTimeout(10_000, () => reject(new Error('no answer within 10 s')));
			// Send only the start of the declared 21 MB: the declared length alone must be enough to refuse it.
			request.write('{"input":"');
		});
		assert.equal(status, 413);
	});
});
