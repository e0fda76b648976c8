// The Control UI's server side, without a browser: the headers every answer carries (a strict CSP with no inline
// script, no framing), the page holding no secret, gateway.controlUi.enabled and basePath, and the refusals.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {configSchema} from '../source/protocol/config/schema.js';
import {hashConfigText} from '../source/protocol/config/load.js';
import {controlUiEnabled, normalizeBasePath} from '../gateway/http-routes/control-ui.js';
import {RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

function withConfig(config: Record<string, unknown>) {
	return {config: {path: '/nonexistent/openclaw.json', exists: true, raw: JSON.stringify(config), config, hash: hashConfigText(JSON.stringify(config))}};
}

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway();
});
after(async () => {
	await gw.stop();
});

const get = async (target: TestGateway, pathname: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${target.port}${pathname}`, {headers});

describe('the Control UI page and files', () => {
	test('the page: a strict CSP, no framing, one served script, no inline script, no secret', async () => {
		const res = await get(gw, '/');
		assert.equal(res.status, 200);
		const csp = res.headers.get('content-security-policy') ?? '';
		assert.match(csp, /default-src 'none'/);
		assert.match(csp, /script-src 'self'(;|$)/);
		assert.match(csp, /frame-ancestors 'none'/);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
		assert.equal(res.headers.get('x-frame-options'), 'DENY');
		assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
		const html = await res.text();
		assert.match(html, /<script type="module" src="\/control-ui\.js"><\/script>/);
		assert.equal(html.match(/<script/g)?.length, 1);
		assert.ok(!html.includes(gw.token));
	});

	test('the script and stylesheet: same headers, a small bundle', async () => {
		const script = await get(gw, '/control-ui.js');
		assert.equal(script.status, 200);
		assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
		assert.equal(script.headers.get('x-frame-options'), 'DENY');
		const bytes = (await script.arrayBuffer()).byteLength;
		assert.ok(bytes < 96 * 1024, `control-ui.js is ${bytes} bytes`);
		const style = await get(gw, '/control-ui.css');
		assert.equal(style.status, 200);
		assert.match(style.headers.get('content-type') ?? '', /^text\/css/);
	});

	test('a foreign Origin gets neither the script nor the socket', async () => {
		assert.equal((await get(gw, '/control-ui.js', {Origin: 'http://evil.example'})).status, 403);
		const socket = new RawSocket(gw.url, {headers: {Origin: 'http://evil.example'}});
		await assert.rejects(socket.opened, /HTTP 403/);
	});

	test('only GET and HEAD', async () => {
		const res = await fetch(`http://127.0.0.1:${gw.port}/`, {method: 'POST'});
		assert.equal(res.status, 405);
		assert.equal(res.headers.get('x-frame-options'), 'DENY');
	});
});

describe('gateway.controlUi', () => {
	test('basePath moves the page and its files (for a reverse proxy)', async () => {
		const proxied = await startTestGateway(withConfig({gateway: {controlUi: {basePath: '/ops/openclaw/'}}}));
		try {
			const page = await get(proxied, '/ops/openclaw/');
			assert.equal(page.status, 200);
			assert.match(await page.text(), /src="\/ops\/openclaw\/control-ui\.js"/);
			// Without the slash the page would resolve its socket to `/ops/`: it is sent to `/ops/openclaw/` instead.
			const bare = await fetch(`http://127.0.0.1:${proxied.port}/ops/openclaw`, {redirect: 'manual'});
			assert.equal(bare.status, 302);
			assert.equal(new URL(bare.headers.get('location')!, bare.url).pathname, '/ops/openclaw/');
			assert.equal((await get(proxied, '/ops/openclaw/control-ui.js')).status, 200);
			assert.equal((await get(proxied, '/')).status, 404);
			assert.equal((await get(proxied, '/control-ui.js')).status, 404);
		} finally {
			await proxied.stop();
		}
	});

	test('enabled: false takes the page away; the probes stay', async () => {
		const off = await startTestGateway(withConfig({gateway: {controlUi: {enabled: false}}}));
		try {
			assert.equal((await get(off, '/')).status, 404);
			assert.equal((await get(off, '/control-ui.js')).status, 404);
			assert.equal((await get(off, '/healthz')).status, 200);
		} finally {
			await off.stop();
		}
	});

	test('on by default for loopback binds only', () => {
		assert.equal(controlUiEnabled({}, '127.0.0.1'), true);
		assert.equal(controlUiEnabled({}, '::1'), true);
		assert.equal(controlUiEnabled({}, '0.0.0.0'), false);
		assert.equal(controlUiEnabled({}, '100.64.0.7'), false);
		assert.equal(controlUiEnabled({gateway: {controlUi: {enabled: true}}}, '0.0.0.0'), true);
		assert.equal(controlUiEnabled({gateway: {controlUi: {enabled: false}}}, '127.0.0.1'), false);
	});

	test('basePath: normalized, and only plain path characters (it is written into the page)', () => {
		assert.equal(normalizeBasePath(undefined), '');
		assert.equal(normalizeBasePath('/'), '');
		assert.equal(normalizeBasePath('ops/'), '/ops');
		assert.equal(normalizeBasePath('/a/b//'), '/a/b');
		for (const good of ['/', '/ops', 'ops/openclaw/', '/a.b~c-d_e']) {
			assert.equal(configSchema.safeParse({gateway: {controlUi: {basePath: good}}}).success, true, good);
		}

		for (const bad of ['"><script>alert(1)</script>', '/a b', '//evil.example', '/a?x=1', '/a#b']) {
			assert.equal(configSchema.safeParse({gateway: {controlUi: {basePath: bad}}}).success, false, bad);
		}
	});
});
