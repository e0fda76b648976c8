// Tailscale Serve identity (issue 11 part 4): with `gateway.auth.allowTailscale` and `gateway.tailscale.mode: serve`,
// a request Serve proxied from this host (loopback peer, Tailscale-User-Login, X-Forwarded-For/Proto/Host) gets in
// without the token once `tailscale whois --json <forwarded ip>` names the same login (auth.method "tailscale").
// A fake `tailscale` executable on PATH stands in for tailscaled: a real subprocess, no network.
import assert from 'node:assert/strict';
import {chmod, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {tailscaleServeClaim} from '../gateway/auth-identity.js';
import {execTailscaleWhois, parseWhois} from '../gateway/tailscale-whois.js';
import {connectParams, RawSocket, startTestGateway, tempDir, testToken, type TestGateway} from './helpers/gateway.js';

let gw: TestGateway;
let binDir: string;
let cleanupBin: () => Promise<void>;
const originalPath = process.env.PATH;

const fakeTailscale = (dir: string) => `#!/bin/sh
# A stand-in for tailscale: records its arguments, answers whois for a few tailnet addresses.
echo "$*" >> '${dir}/calls.log'
[ "$1" = whois ] && [ "$2" = --json ] || exit 2
case "$3" in
  100.64.0.1) echo '{"Node":{"Name":"laptop"},"UserProfile":{"LoginName":"alice@example.com","DisplayName":"Alice"}}' ;;
  100.64.0.2) echo '{"UserProfile":{"LoginName":"bob@example.com"}}' ;;
  100.64.0.4) sleep 3 ;;
  *) echo "no peer $3" >&2; exit 1 ;;
esac
`;

before(async () => {
	({dir: binDir, cleanup: cleanupBin} = await tempDir('openclaw-fake-tailscale-'));
	await writeFile(path.join(binDir, 'tailscale'), fakeTailscale(binDir));
	await chmod(path.join(binDir, 'tailscale'), 0o755);
	process.env.PATH = `${binDir}:${originalPath}`;
	gw = await startTestGateway({auth: {mode: 'token', token: testToken, allowTailscale: true, tailscaleMode: 'serve'}});
});
after(async () => {
	process.env.PATH = originalPath;
	await gw.stop();
	await cleanupBin();
});

/** What Serve adds to a request it proxies for `login` from tailnet address `ip`. */
function serveHeaders(login: string, ip: string): Record<string, string> {
	return {
		'Tailscale-User-Login': login,
		'Tailscale-User-Name': 'Alice',
		'Tailscale-User-Profile-Pic': 'https://example.com/alice.png',
		'X-Forwarded-For': ip,
		'X-Forwarded-Proto': 'https',
		'X-Forwarded-Host': 'gateway.tailnet-1234.ts.net',
	};
}

async function connectVia(headers: Record<string, string>, params: Record<string, unknown> = {auth: {}}) {
	const socket = new RawSocket(gw.url, {headers});
	const res = await socket.connect(params);
	return {socket, res};
}

async function calls(): Promise<string> {
	return readFile(path.join(binDir, 'calls.log'), 'utf8').catch(() => '');
}

describe('Tailscale Serve identity', () => {
	test('whois confirms the login: in without the token, auth.method "tailscale"; frames sent meanwhile are answered', async () => {
		const socket = new RawSocket(gw.url, {headers: serveHeaders('Alice@Example.com', '100.64.0.1')});
		await socket.opened;
		// connect and a request in one burst: the request waits behind the whois and is answered after hello-ok.
		socket.send({type: 'req', id: 'c1', method: 'connect', params: connectParams({auth: {}})});
		socket.send({type: 'req', id: 'h1', method: 'health'});
		const res = await socket.response('c1');
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.equal(res.payload.auth.method, 'tailscale');
		assert.deepEqual(res.payload.auth.scopes, [], 'no device identity: scopes cleared, as for any device-less remote client');
		assert.equal((await socket.response('h1')).ok, true);
		assert.match(await calls(), /^whois --json 100\.64\.0\.1$/m);
		socket.close();
	});

	test('more than 15 frames behind a connect still being decided: close 1008 "too many pending handshake frames"', async () => {
		const socket = new RawSocket(gw.url, {headers: serveHeaders('alice@example.com', '100.64.0.4')});
		await socket.opened;
		socket.send({type: 'req', id: 'c1', method: 'connect', params: connectParams({auth: {}})});
		for (let index = 0; index < 16; index++) {
			socket.send({type: 'req', id: `h${index}`, method: 'health'});
		}

		assert.deepEqual(await socket.closedWith(), {code: 1008, reason: 'too many pending handshake frames'});
		assert.equal(socket.frames.some((frame) => frame.type === 'res'), false);
	});

	test('whois names someone else: AUTH_TAILSCALE_IDENTITY_MISMATCH, close 1008', async () => {
		const {socket, res} = await connectVia(serveHeaders('alice@example.com', '100.64.0.2'));
		assert.equal(res.ok, false);
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.equal(res.error.details.code, 'AUTH_TAILSCALE_IDENTITY_MISMATCH');
		assert.equal(res.error.details.authReason, 'tailscale_user_mismatch');
		assert.match(res.error.message, /^unauthorized: tailscale identity mismatch/);
		assert.equal((await socket.closedWith()).code, 1008);
	});

	test('whois fails (unknown peer): AUTH_TAILSCALE_WHOIS_FAILED', async () => {
		const {res} = await connectVia(serveHeaders('alice@example.com', '100.64.0.3'));
		assert.equal(res.error.details.code, 'AUTH_TAILSCALE_WHOIS_FAILED');
		assert.match(res.error.message, /^unauthorized: tailscale identity check failed/);
	});

	test('no tailscale binary on PATH: AUTH_TAILSCALE_WHOIS_FAILED', async () => {
		process.env.PATH = '/nonexistent-bin';
		try {
			const {res} = await connectVia(serveHeaders('alice@example.com', '100.64.0.1'));
			assert.equal(res.error.details.code, 'AUTH_TAILSCALE_WHOIS_FAILED');
		} finally {
			process.env.PATH = `${binDir}:${originalPath}`;
		}
	});

	test('identity header without Serve\'s forwarding headers: AUTH_TAILSCALE_PROXY_MISSING, tailscaled not asked', async () => {
		const before = await calls();
		const {'X-Forwarded-Proto': _proto, 'X-Forwarded-Host': _host, ...partial} = serveHeaders('alice@example.com', '100.64.0.1');
		const {res} = await connectVia(partial);
		assert.equal(res.error.details.code, 'AUTH_TAILSCALE_PROXY_MISSING');
		const loopbackOnly = await connectVia(serveHeaders('alice@example.com', '127.0.0.1'));
		assert.equal(loopbackOnly.res.error.details.code, 'AUTH_TAILSCALE_PROXY_MISSING');
		assert.equal(await calls(), before);
	});

	test('a shared secret sent with the headers is checked instead of them', async () => {
		const before = await calls();
		const right = await connectVia(serveHeaders('alice@example.com', '100.64.0.2'), {auth: {token: testToken}});
		assert.equal(right.res.payload.auth.method, 'token');
		const wrong = await connectVia(serveHeaders('alice@example.com', '100.64.0.1'), {auth: {token: 'wrong'}});
		assert.equal(wrong.res.error.details.code, 'AUTH_TOKEN_MISMATCH');
		assert.equal(await calls(), before);
		right.socket.close();
	});

	test('with allowTailscale off, tailscale.mode not serve, or a Funnel request, the headers are ignored: token required', async () => {
		const settings = gw.server.auth;
		try {
			for (const change of [{allowTailscale: false}, {tailscaleMode: 'off' as const}, {tailscaleMode: 'funnel' as const}]) {
				gw.server.auth = {...settings, ...change};
				const {res} = await connectVia(serveHeaders('alice@example.com', '100.64.0.1'));
				assert.equal(res.error.details.code, 'AUTH_TOKEN_MISSING', JSON.stringify(change));
			}

			gw.server.auth = settings;
			const funnel = await connectVia({...serveHeaders('alice@example.com', '100.64.0.1'), 'Tailscale-Funnel-Request': '?1'});
			assert.equal(funnel.res.error.details.code, 'AUTH_TOKEN_MISSING');
		} finally {
			gw.server.auth = settings;
		}
	});
});

describe('which requests are Serve requests (tailscaleServeClaim)', () => {
	const settings = {mode: 'token' as const, allowTailscale: true, tailscaleMode: 'serve' as const};
	const headers = {
		'tailscale-user-login': 'alice@example.com',
		'x-forwarded-for': '100.64.0.1',
		'x-forwarded-proto': 'https',
		'x-forwarded-host': 'gw.ts.net',
	};

	test('from a non-loopback peer the headers are ignored (anyone on the network can send them)', () => {
		assert.equal(tailscaleServeClaim(settings, {peer: '100.64.0.9', headers}), undefined);
		assert.equal(tailscaleServeClaim(settings, {peer: '192.0.2.1', headers}), undefined);
	});

	test('from loopback the claim names the rightmost non-loopback forwarded address', () => {
		const claim = tailscaleServeClaim(settings, {peer: '::ffff:127.0.0.1', headers: {...headers, 'x-forwarded-for': '100.64.0.7, 100.64.0.1, 127.0.0.1'}});
		assert.deepEqual(claim, {ok: true, claim: {login: 'alice@example.com', clientIp: '100.64.0.1'}});
		assert.equal(tailscaleServeClaim(settings, {peer: '127.0.0.1', headers: {...headers, 'x-forwarded-for': 'not-an-ip'}})?.ok, false);
	});
});

describe('the tailscale whois runner (real subprocess)', () => {
	test('reads the login, and says why when it cannot', async () => {
		const binary = path.join(binDir, 'tailscale');
		assert.deepEqual(await execTailscaleWhois({binary})('100.64.0.1'), {ok: true, identity: {login: 'alice@example.com', name: 'Alice'}});
		assert.match((await execTailscaleWhois({binary})('100.64.0.3') as {reason: string}).reason, /whois failed \(exit 1\)/);
		assert.match((await execTailscaleWhois({binary, timeoutMs: 200})('100.64.0.4') as {reason: string}).reason, /timed out after 200 ms/);
		assert.match((await execTailscaleWhois({binary: path.join(binDir, 'missing')})('100.64.0.1') as {reason: string}).reason, /not found/);
	});

	test('parseWhois takes the login from UserProfile, User, or the top level; nothing else', () => {
		assert.deepEqual(parseWhois('{"UserProfile":{"LoginName":"a@b"}}'), {login: 'a@b'});
		assert.deepEqual(parseWhois('{"User":{"Login":"c@d","DisplayName":"C"}}'), {login: 'c@d', name: 'C'});
		assert.equal(parseWhois('{"UserProfile":{"LoginName":"  "}}'), undefined);
		assert.equal(parseWhois('not json'), undefined);
		assert.equal(parseWhois('[]'), undefined);
	});
});
