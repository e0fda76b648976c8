// Per-client budgets against a hostile local process or web page, on a real gateway: browser-origin auth attempts
// are limited even on loopback, failed HTTP bearers share the WebSocket budget and get 429 + Retry-After, guesses
// (WebSocket, HTTP, hooks) and idle sockets no longer lock the right token holder out, and `health` says which
// budget is exhausted, since when and how much it refused.
import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import {AgentService} from '../gateway/agents/service.js';
import {HooksService} from '../gateway/http-routes/hooks.js';
import {ResponsesService} from '../gateway/http-routes/responses.js';
import {Logger} from '../gateway/logger.js';
import {authedSocket, RawSocket, startTestGateway, testToken, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const wrongToken = 'wrong-token-guess';
const hookToken = 'hook-secret-token-555';

/** A POST from a chosen loopback address (each address is its own client IP for the budgets). */
function post(
	gw: TestGateway,
	path: string,
	headers: Record<string, string>,
	body: unknown,
	localAddress = '127.0.0.1',
): Promise<{status: number; headers: http.IncomingHttpHeaders; body: any}> {
	return new Promise((resolve, reject) => {
		const text = JSON.stringify(body);
		const request = http.request(
			{host: '127.0.0.1', port: gw.port, path, method: 'POST', localAddress, headers: {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers}},
			(response) => {
				let data = '';
				response.on('data', (chunk) => (data += chunk));
				response.on('end', () => {
					resolve({status: response.statusCode ?? 0, headers: response.headers, body: data ? JSON.parse(data) : undefined});
				});
			},
		);
		request.on('error', reject);
		request.end(text);
	});
}

async function startBudgetGateway(config: Record<string, unknown>, extra: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
	const logger = new Logger({level: 'silent'});
	const agents = new AgentService(logger);
	return startTestGateway({
		config: loadedConfig({
			gateway: {http: {endpoints: {responses: {enabled: true}}}},
			hooks: {enabled: true, token: hookToken},
			...config,
		}),
		services: [agents, new ResponsesService(agents, logger), new HooksService(agents, logger)],
		...extra,
	});
}

async function budgets(gw: TestGateway): Promise<Record<string, any>> {
	const reader = await authedSocket(gw.url);
	const health = await reader.call('health');
	reader.close();
	return health.payload.budgets;
}

describe('browser-origin auth attempts on loopback (exemptLoopback on, as by default)', () => {
	let gw: TestGateway;
	before(async () => {
		gw = await startBudgetGateway({gateway: {http: {endpoints: {responses: {enabled: true}}}, auth: {rateLimit: {maxAttempts: 5}}}});
	});
	after(async () => gw.stop());

	test('WebSocket: a page guessing tokens is locked out, then even the right token is refused; the CLI is unaffected', async () => {
		const origin = `http://127.0.0.1:${gw.port}`;
		for (let attempt = 0; attempt < 5; attempt++) {
			const page = new RawSocket(gw.url, {origin});
			assert.equal((await page.connect({auth: {token: wrongToken}})).error.details.code, 'AUTH_TOKEN_MISMATCH', `guess ${attempt}`);
			await page.closedWith();
		}

		const guess = new RawSocket(gw.url, {origin});
		const limited = await guess.connect({auth: {token: wrongToken}});
		assert.equal(limited.error.code, 'INVALID_REQUEST');
		assert.equal(limited.error.details.code, 'AUTH_RATE_LIMITED');
		assert.equal(limited.error.message, 'unauthorized: too many failed authentication attempts (retry later)');
		assert.equal(limited.error.retryable, true);
		assert.ok(limited.error.retryAfterMs > 250_000 && limited.error.retryAfterMs <= 300_000, `retryAfterMs ${limited.error.retryAfterMs}`);
		assert.equal((await guess.closedWith()).code, 1008);

		const rightFromPage = new RawSocket(gw.url, {origin});
		assert.equal((await rightFromPage.connect()).error?.details.code, 'AUTH_RATE_LIMITED', 'the right token from a page, while locked out');
		await rightFromPage.closedWith();

		// A non-browser loopback client keeps its exemption: its guesses are answered as mismatches, never limited,
		// and the right token gets in.
		for (let attempt = 0; attempt < 7; attempt++) {
			const cli = new RawSocket(gw.url);
			assert.equal((await cli.connect({auth: {token: wrongToken}})).error.details.code, 'AUTH_TOKEN_MISMATCH');
			await cli.closedWith();
		}

		const operator = await authedSocket(gw.url);
		operator.close();
		const report = (await budgets(gw)).authFailures;
		assert.equal(report.exhausted, true);
		assert.equal(report.clients, 1);
		assert.equal(report.refused, 2);
		assert.equal(typeof report.since, 'number');
		assert.match(report.limit, /^5 failed attempts per 60 s per IP, then locked out for 300 s/);
	});

	test('HTTP: bearer guesses with an Origin get 429 + Retry-After, then the right token too; without Origin they stay exempt', async () => {
		const from = '127.0.0.2';
		const input = {model: 'openclaw', input: 'hi'};
		const origin = {Origin: `http://127.0.0.1:${gw.port}`};
		for (let attempt = 0; attempt < 5; attempt++) {
			assert.equal((await post(gw, '/v1/responses', {...origin, Authorization: `Bearer ${wrongToken}`}, input, from)).status, 401);
		}

		for (const token of [wrongToken, testToken]) {
			const limited = await post(gw, '/v1/responses', {...origin, Authorization: `Bearer ${token}`}, input, from);
			assert.equal(limited.status, 429, token);
			assert.equal(limited.body.error.type, 'rate_limited');
			const retryAfter = Number(limited.headers['retry-after']);
			assert.ok(retryAfter > 250 && retryAfter <= 300, `Retry-After ${retryAfter}`);
		}

		for (let attempt = 0; attempt < 7; attempt++) {
			assert.equal((await post(gw, '/v1/responses', {Authorization: `Bearer ${wrongToken}`}, input, from)).status, 401);
		}

		assert.equal((await post(gw, '/v1/responses', {Authorization: `Bearer ${testToken}`}, input, from)).status, 200);
	});
	test('requests relayed by a local reverse proxy (X-Forwarded-For, Forwarded) count as remote: limited, and locked out for the right token too', async () => {
		const input = {model: 'openclaw', input: 'hi'};
		const proxied = {'X-Forwarded-For': '203.0.113.7'};
		for (let attempt = 0; attempt < 5; attempt++) {
			assert.equal((await post(gw, '/v1/responses', {...proxied, Authorization: `Bearer ${wrongToken}`}, input, '127.0.0.4')).status, 401);
		}

		assert.equal((await post(gw, '/v1/responses', {...proxied, Authorization: `Bearer ${testToken}`}, input, '127.0.0.4')).status, 429);

		const headers = {Forwarded: 'for=203.0.113.8'};
		for (let attempt = 0; attempt < 5; attempt++) {
			const relayed = new RawSocket(gw.url, {headers, localAddress: '127.0.0.5'});
			assert.equal((await relayed.connect({auth: {token: wrongToken}})).error.details.code, 'AUTH_TOKEN_MISMATCH');
			await relayed.closedWith();
		}

		const relayed = new RawSocket(gw.url, {headers, localAddress: '127.0.0.5'});
		assert.equal((await relayed.connect()).error?.details.code, 'AUTH_RATE_LIMITED');
		await relayed.closedWith();
	});
});

describe('a local process guessing secrets (exemptLoopback off)', () => {
	let gw: TestGateway;
	before(async () => {
		gw = await startBudgetGateway({
			gateway: {http: {endpoints: {responses: {enabled: true}}}, auth: {rateLimit: {exemptLoopback: false, maxAttempts: 3, lockoutMs: 60_000}}},
		});
	});
	after(async () => gw.stop());

	test('failed /v1/responses bearers and connects share one budget: wrong guesses get 429 / AUTH_RATE_LIMITED, the right token still gets in', async () => {
		const input = {model: 'openclaw', input: 'hi'};
		assert.equal((await post(gw, '/v1/responses', {Authorization: `Bearer ${wrongToken}`}, input)).status, 401);
		assert.equal((await post(gw, '/v1/responses', {}, input)).status, 401);
		const third = new RawSocket(gw.url);
		assert.equal((await third.connect({auth: {token: wrongToken}})).error.details.code, 'AUTH_TOKEN_MISMATCH');
		await third.closedWith();

		const limited = await post(gw, '/v1/responses', {Authorization: `Bearer ${wrongToken}`}, input);
		assert.equal(limited.status, 429);
		assert.deepEqual(Object.keys(limited.body.error).sort(), ['message', 'type']);
		assert.equal(limited.body.error.type, 'rate_limited');
		assert.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);
		const guess = new RawSocket(gw.url);
		assert.equal((await guess.connect({auth: {token: wrongToken}})).error.details.code, 'AUTH_RATE_LIMITED');
		await guess.closedWith();

		// The lockout attack: the right token holder on loopback is not locked out, over HTTP nor WebSocket.
		const answered = await post(gw, '/v1/responses', {Authorization: `Bearer ${testToken}`}, input);
		assert.equal(answered.status, 200);
		assert.equal(answered.body.status, 'completed');
		const operator = new RawSocket(gw.url);
		assert.equal((await operator.connect()).ok, true);
		const report = (await operator.call('health')).payload.budgets.authFailures;
		operator.close();
		assert.equal(report.exhausted, true);
		assert.equal(report.clients, 1);
		assert.equal(report.refused, 2, 'the two guesses made while locked out');

		// And its success did not lift the lockout for the guesser.
		assert.equal((await post(gw, '/v1/responses', {Authorization: `Bearer ${wrongToken}`}, input)).status, 429);
	});

	test('20 bad hook tokens: wrong ones then get 429 + Retry-After, the right hook token still works; health says so', async () => {
		const wake = {text: 'x', mode: 'next-heartbeat'};
		const from = '127.0.0.3';
		for (let attempt = 0; attempt < 20; attempt++) {
			assert.equal((await post(gw, '/hooks/wake', {Authorization: 'Bearer nope'}, wake, from)).status, 401);
		}

		const limited = await post(gw, '/hooks/wake', {'x-openclaw-token': 'nope'}, wake, from);
		assert.equal(limited.status, 429);
		assert.ok(Number(limited.headers['retry-after']) > 0);
		assert.equal((await post(gw, '/hooks/wake', {Authorization: `Bearer ${hookToken}`}, wake, from)).status, 200);
		const report = (await budgets(gw)).hookAuth;
		assert.equal(report.exhausted, true);
		assert.equal(report.refused, 1);
		assert.equal(report.clients, 1);
	});
});

describe('unauthenticated socket budget', () => {
	test('a process holding every pre-auth slot no longer locks others out: the oldest idle socket is closed instead', async () => {
		const gw = await startBudgetGateway({}, {maxPreAuthSocketsPerIp: 8});
		const held: RawSocket[] = [];
		try {
			for (let index = 0; index < 8; index++) {
				const socket = new RawSocket(gw.url);
				await socket.event('connect.challenge');
				held.push(socket);
			}

			const operator = await authedSocket(gw.url);
			const evicted = await held[0].closedWith();
			assert.deepEqual(evicted, {code: 1013, reason: 'Too many unauthenticated sockets'});
			assert.equal(held[1].closed, undefined, 'only the oldest went');

			// The attacker keeps opening idle sockets; clients that send connect at once still get in every time.
			for (let round = 0; round < 5; round++) {
				for (let index = 0; index < 6; index++) {
					const socket = new RawSocket(gw.url);
					await socket.event('connect.challenge');
					held.push(socket);
				}

				(await authedSocket(gw.url)).close();
			}

			const stillPending = held.filter((socket) => socket.closed === undefined && socket.ws.readyState === socket.ws.OPEN);
			assert.ok(stillPending.length <= 8, `${stillPending.length} unauthenticated sockets still open`);
			const report = (await operator.call('health')).payload.budgets.preAuthSockets;
			assert.equal(report.exhausted, true);
			assert.equal(report.clients, 1);
			assert.ok(report.refused >= 30 - 8, `refused ${report.refused}`);
			assert.equal(typeof report.since, 'number');
			assert.match(report.limit, /^8 unauthenticated sockets per IP/);
			operator.close();
		} finally {
			for (const socket of held) {
				socket.close();
			}

			await gw.stop();
		}
	});
});
