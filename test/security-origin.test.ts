// Cross-site WebSocket hijacking and cross-site POSTs: a web page the operator visits must not drive the gateway.
// Browser requests (they carry Origin) pass only from loopback pages or gateway.controlUi.allowedOrigins; scripts
// and CLIs (no Origin) are judged by auth alone.
import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import {RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

const allowedOrigin = 'https://console.example.com';
let gw: TestGateway;
before(async () => {
	const config = {path: '/dev/null', exists: true, raw: '', hash: 'h', config: {gateway: {controlUi: {allowedOrigins: [allowedOrigin]}}}};
	gw = await startTestGateway({config});
});
after(async () => gw.stop());

/** Try a WebSocket upgrade with these headers: 'open' or the HTTP status of the refusal. */
async function upgradeWith(headers: Record<string, string>): Promise<'open' | number> {
	const socket = new RawSocket(gw.url, {headers});
	try {
		await socket.opened;
		socket.close();
		return 'open';
	} catch (error) {
		const match = /HTTP (\d+)/.exec(String(error));
		if (!match) {
			throw error;
		}

		return Number(match[1]);
	}
}

function post(pathname: string, headers: Record<string, string>, body = '{}'): Promise<{status: number; body: string}> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			{host: '127.0.0.1', port: gw.port, path: pathname, method: 'POST', headers: {'Content-Type': 'application/json', ...headers}},
			(response) => {
				let text = '';
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({status: response.statusCode ?? 0, body: text}));
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

describe('WebSocket upgrade Origin check', () => {
	test('a foreign Origin is refused with 403', async () => {
		assert.equal(await upgradeWith({Origin: 'http://evil.example'}), 403);
		assert.equal(await upgradeWith({Origin: 'null'}), 403, 'sandboxed pages send Origin: null');
		assert.equal(await upgradeWith({Origin: `${allowedOrigin}.evil.example`}), 403, 'no suffix tricks');
	});

	test('names that only look like loopback are refused: 127.evil.example, 127.0.0.1.nip.io, localhost.evil.example', async () => {
		for (const origin of ['http://127.evil.com', 'http://127.0.0.1.nip.io', `http://127.0.0.1.nip.io:${gw.port}`, 'http://localhost.evil.example', 'http://[::2]', 'http://128.0.0.1']) {
			assert.equal(await upgradeWith({Origin: origin}), 403, origin);
		}

		for (const pathname of ['/v1/responses', '/hooks/wake']) {
			const res = await post(pathname, {Origin: 'http://127.evil.com', Authorization: `Bearer ${gw.token}`});
			assert.equal(res.status, 403, pathname);
		}
	});

	test('every spelling of a real loopback address passes: 127.x, 127.1, IPv4-mapped ::1, a trailing-dot localhost', async () => {
		for (const origin of ['http://127.9.8.7', 'http://127.1', 'http://[::ffff:127.0.0.1]', 'http://LOCALHOST:3000', 'http://localhost.:3000']) {
			assert.equal(await upgradeWith({Origin: origin}), 'open', origin);
		}
	});

	test('a DNS-rebound name with a matching Host header is refused', async () => {
		const host = `rebind.example:${gw.port}`;
		assert.equal(await upgradeWith({Origin: `http://${host}`, Host: host}), 403);
	});

	test('loopback pages, allowedOrigins and clients without Origin pass', async () => {
		assert.equal(await upgradeWith({Origin: `http://127.0.0.1:${gw.port}`}), 'open');
		assert.equal(await upgradeWith({Origin: 'http://localhost:5173'}), 'open');
		assert.equal(await upgradeWith({Origin: 'http://[::1]:8080'}), 'open');
		assert.equal(await upgradeWith({Origin: allowedOrigin}), 'open');
		assert.equal(await upgradeWith({}), 'open');
	});

	test('a socket admitted through an allowed origin still has to authenticate', async () => {
		const socket = new RawSocket(gw.url, {headers: {Origin: allowedOrigin}});
		const res = await socket.connect({auth: {token: 'not-the-token'}});
		assert.equal(res.ok, false);
		assert.equal((await socket.closedWith()).code, 1008);
	});
});

describe('HTTP POST Origin check', () => {
	for (const pathname of ['/v1/responses', '/hooks/wake', '/']) {
		test(`POST ${pathname} with a foreign Origin: 403 before any handler runs`, async () => {
			const res = await post(pathname, {Origin: 'http://evil.example', Authorization: `Bearer ${gw.token}`});
			assert.equal(res.status, 403);
			assert.match(res.body, /origin not allowed/);
		});
	}

	test('a loopback or allowed Origin (or none) reaches the route', async () => {
		for (const origin of [`http://127.0.0.1:${gw.port}`, allowedOrigin, undefined]) {
			const res = await post('/v1/responses', origin ? {Origin: origin} : {});
			assert.notEqual(res.status, 403, `origin ${origin}`);
		}
	});
});
