// trusted-proxy mode (issue 11 part 4): `gateway.auth.mode: "trusted-proxy"` lets in the user a proxy listed in
// `gateway.trustedProxies` names in `gateway.auth.trustedProxy.userHeader` (auth.method "trusted-proxy"). From any
// other peer the header is a claim anyone can make: refused. Loopback only: the "proxy" is a socket bound to
// 127.0.0.2 (a listed proxy) or 127.0.0.3 (not listed); the gateway listens on 127.0.0.1.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {trustedProxyIdentity} from '../gateway/auth-identity.js';
import type {AuthSettings} from '../gateway/auth.js';
import {forwardedClientIp, parseProxyEntry, proxyList} from '../gateway/proxy-trust.js';
import {resolveGateway, StartError} from '../gateway/run.js';
import {configSchema} from '../source/protocol/config/schema.js';
import {freePort, RawSocket, startTestGateway, tempDir, type TestGateway} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig} from './helpers/gateway-process.js';

const settings: AuthSettings = {
	mode: 'trusted-proxy',
	password: 'local-password-42',
	trustedProxies: ['127.0.0.2', '10.0.0.0/8'],
	trustedProxy: {
		userHeader: 'X-Forwarded-User',
		requiredHeaders: ['x-forwarded-proto'],
		allowUsers: ['alice@example.com', 'bob@example.com'],
		allowLoopback: true,
	},
};

const proxied = {'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https', 'X-Forwarded-User': 'alice@example.com'};

let gw: TestGateway;
before(async () => {
	gw = await startTestGateway({auth: settings});
});
after(async () => gw.stop());

async function connectFrom(localAddress: string, headers: Record<string, string>, params: Record<string, unknown> = {auth: {}}) {
	const socket = new RawSocket(gw.url, {headers, localAddress});
	return {socket, res: await socket.connect(params)};
}

function refusedWith(res: any, code: string, authReason: string): void {
	assert.equal(res.ok, false, 'refused');
	assert.equal(res.error.code, 'INVALID_REQUEST');
	assert.equal(res.error.details.code, code);
	assert.equal(res.error.details.authReason, authReason);
	assert.match(res.error.message, /^unauthorized/);
}

describe('trusted-proxy mode (real sockets)', () => {
	test('from a listed proxy: the named user is let in, auth.method "trusted-proxy"', async () => {
		const {socket, res} = await connectFrom('127.0.0.2', proxied);
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.equal(res.payload.auth.method, 'trusted-proxy');
		assert.deepEqual(res.payload.auth.scopes, []);
		socket.close();
	});

	test('from a peer not in gateway.trustedProxies the same headers are refused (AUTH_UNAUTHORIZED), close 1008', async () => {
		const {socket, res} = await connectFrom('127.0.0.3', proxied);
		refusedWith(res, 'AUTH_UNAUTHORIZED', 'trusted_proxy_untrusted_source');
		assert.equal((await socket.closedWith()).code, 1008);
	});

	test('a required header missing: AUTH_IDENTITY_HEADER_REQUIRED', async () => {
		const {'X-Forwarded-Proto': _proto, ...rest} = proxied;
		refusedWith((await connectFrom('127.0.0.2', rest)).res, 'AUTH_IDENTITY_HEADER_REQUIRED', 'trusted_proxy_missing_header_x-forwarded-proto');
	});

	test('no user header, a user not in allowUsers, no forwarded client: each refused with its reason', async () => {
		const {'X-Forwarded-User': _user, ...noUser} = proxied;
		refusedWith((await connectFrom('127.0.0.2', noUser)).res, 'AUTH_UNAUTHORIZED', 'trusted_proxy_user_missing');
		refusedWith((await connectFrom('127.0.0.2', {...proxied, 'X-Forwarded-User': 'mallory@example.com'})).res, 'AUTH_UNAUTHORIZED', 'trusted_proxy_user_not_allowed');
		const {'X-Forwarded-For': _for, ...noFor} = proxied;
		const unattributed = (await connectFrom('127.0.0.2', noFor)).res;
		refusedWith(unattributed, 'AUTH_UNAUTHORIZED', 'proxy_attribution_required');
		assert.match(unattributed.error.message, /proxy client attribution is required/);
	});

	test('a loopback proxy counts only with trustedProxy.allowLoopback', async () => {
		const before = gw.server.auth;
		gw.server.auth = {...settings, trustedProxy: {...settings.trustedProxy!, allowLoopback: false}};
		try {
			refusedWith((await connectFrom('127.0.0.2', proxied)).res, 'AUTH_UNAUTHORIZED', 'trusted_proxy_loopback_source');
		} finally {
			gw.server.auth = before;
		}
	});

	test('a direct local client may use the password; a token is no way in', async () => {
		const right = await connectFrom('127.0.0.1', {}, {auth: {password: 'local-password-42'}});
		assert.equal(right.res.payload.auth.method, 'password');
		right.socket.close();
		refusedWith((await connectFrom('127.0.0.1', {}, {auth: {password: 'wrong'}})).res, 'AUTH_PASSWORD_MISMATCH', 'password_mismatch');
		refusedWith((await connectFrom('127.0.0.1', {}, {auth: {token: 'anything'}})).res, 'AUTH_UNAUTHORIZED', 'trusted_proxy_untrusted_source');
		// Through a proxy that is not listed the password does not help: it is for clients on this host.
		refusedWith((await connectFrom('127.0.0.3', proxied, {auth: {password: 'local-password-42'}})).res, 'AUTH_UNAUTHORIZED', 'trusted_proxy_untrusted_source');
	});
});

describe('trusted-proxy decisions (pure)', () => {
	test('a non-loopback proxy in the list needs no allowLoopback; the client is the rightmost untrusted hop', () => {
		const result = trustedProxyIdentity(
			{...settings, trustedProxy: {...settings.trustedProxy!, allowLoopback: false}},
			{peer: '::ffff:10.1.2.3', headers: {'x-forwarded-for': '198.51.100.1, 203.0.113.9, 10.9.9.9', 'x-forwarded-proto': 'https', 'x-forwarded-user': 'bob@example.com'}},
		);
		assert.deepEqual(result, {ok: true, user: 'bob@example.com', clientIp: '203.0.113.9'});
	});

	test('proxy list entries: IPs and CIDRs, v4 and v6; anything else is not an entry', () => {
		assert.deepEqual(parseProxyEntry('10.0.0.0/8'), {address: '10.0.0.0', prefix: 8, family: 'ipv4'});
		assert.deepEqual(parseProxyEntry('::1'), {address: '::1', prefix: 128, family: 'ipv6'});
		for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/1', '10.0.0.0/x', '']) {
			assert.equal(parseProxyEntry(bad), undefined, bad);
		}

		assert.equal(forwardedClientIp({'x-forwarded-for': '203.0.113.9, garbage'}, proxyList(['10.0.0.0/8'])), undefined);
		assert.equal(forwardedClientIp({}, proxyList(['10.0.0.0/8'])), undefined);
	});

	test('the config schema knows the keys and names the bad value', () => {
		const good = configSchema.safeParse({
			gateway: {auth: {mode: 'trusted-proxy', allowTailscale: true, trustedProxy: {userHeader: 'x-user', allowUsers: ['a']}}, trustedProxies: ['10.0.0.0/8', '::1'], tailscale: {mode: 'serve'}},
		});
		assert.equal(good.success, true);
		const bad = configSchema.safeParse({gateway: {auth: {trustedProxy: {userHeader: ''}}, trustedProxies: ['10.0.0.0/33'], tailscale: {mode: 'on'}}});
		assert.equal(bad.success, false);
		const paths = bad.error!.issues.map((issue) => issue.path.join('.')).sort();
		assert.deepEqual(paths, ['gateway.auth.trustedProxy.userHeader', 'gateway.tailscale.mode', 'gateway.trustedProxies.0']);
	});
});

describe('trusted-proxy at start-up (resolveGateway, and a real gateway process)', () => {
	let dir: string;
	let cleanup: () => Promise<void>;
	before(async () => {
		({dir, cleanup} = await tempDir('openclaw-trusted-proxy-'));
	});
	after(async () => cleanup());

	async function resolveWith(config: string) {
		const configPath = path.join(dir, 'openclaw.json');
		await writeConfig(configPath, config);
		return resolveGateway({env: {OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: dir, OPENCLAW_HOME: dir}});
	}

	test('off loopback trusted-proxy counts as auth; a half-configured one, or one beside a token, does not start', async () => {
		const lan = await resolveWith(`{gateway: {mode: 'local', bind: 'lan', auth: {mode: 'trusted-proxy', trustedProxy: {userHeader: 'x-user'}}, trustedProxies: ['10.0.0.1']}}`);
		assert.equal(lan.auth.mode, 'trusted-proxy');
		assert.deepEqual(lan.auth.trustedProxies, ['10.0.0.1']);
		const refused = (pattern: RegExp) => (error: StartError) => error instanceof StartError && error.exitCode === 78 && pattern.test(error.message);
		await assert.rejects(resolveWith(`{gateway: {mode: 'local', auth: {mode: 'trusted-proxy', trustedProxy: {userHeader: 'x-user'}}}}`), refused(/gateway\.trustedProxies is empty/));
		await assert.rejects(
			resolveWith(`{gateway: {mode: 'local', auth: {mode: 'trusted-proxy', token: 'also', trustedProxy: {userHeader: 'x-user'}}, trustedProxies: ['10.0.0.1']}}`),
			refused(/mutually exclusive/),
		);
		await assert.rejects(resolveWith(`{gateway: {mode: 'local', bind: 'lan', auth: {mode: 'none'}}}`), refused(/without auth/));
	});

	test('a gateway process started from the config lets the listed proxy\'s user in', async () => {
		const stateDir = path.join(dir, 'process');
		const configPath = path.join(stateDir, 'openclaw.json');
		await writeConfig(
			configPath,
			`{gateway: {mode: 'local', auth: {mode: 'trusted-proxy', trustedProxy: {userHeader: 'x-forwarded-user', allowLoopback: true}}, trustedProxies: ['127.0.0.2']}}`,
		);
		const port = await freePort();
		const gateway = spawnGateway(['gateway', '--port', String(port)], isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}));
		try {
			await gateway.waitFor(/listening on/, 15_000);
			assert.match(gateway.output(), /auth trusted-proxy/);
			const socket = new RawSocket(`ws://127.0.0.1:${port}`, {headers: proxied, localAddress: '127.0.0.2'});
			const res = await socket.connect({auth: {}});
			assert.equal(res.payload?.auth.method, 'trusted-proxy', JSON.stringify(res.error));
			socket.close();
			const outsider = new RawSocket(`ws://127.0.0.1:${port}`, {headers: proxied, localAddress: '127.0.0.3'});
			refusedWith(await outsider.connect({auth: {}}), 'AUTH_UNAUTHORIZED', 'trusted_proxy_untrusted_source');
		} finally {
			gateway.kill('SIGKILL');
			await gateway.exited;
		}
	});
});
