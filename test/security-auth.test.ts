// Auth hardening: failed auth is rate-limited per client IP with a clear retryAfterMs, secrets are compared in
// constant time, failures are logged without the secret, and scopes keep read-only clients away from admin methods.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {checkBearer, secretsEqual} from '../gateway/auth.js';
import {AuthRateLimiter} from '../gateway/auth-rate-limit.js';
import {Logger} from '../gateway/logger.js';
import {grantScopes} from '../gateway/scopes.js';
import {authedSocket, RawSocket, startTestGateway, tempDir, testToken, type TestGateway} from './helpers/gateway.js';

describe('secretsEqual', () => {
	test('true only for identical secrets', () => {
		assert.equal(secretsEqual('s3cret-token', 's3cret-token'), true);
		assert.equal(secretsEqual('', ''), true);
		assert.equal(secretsEqual('pässwörd-✓', 'pässwörd-✓'), true);
		assert.equal(secretsEqual('s3cret-token', 's3cret-tokeN'), false, 'differs in the last character');
		assert.equal(secretsEqual('s3cret-token', 'X3cret-token'), false, 'differs in the first character');
		assert.equal(secretsEqual('s3cret', 's3cret-token'), false, 'a prefix is not a match');
		assert.equal(secretsEqual('s3cret-token-and-more', 's3cret-token'), false, 'an extension is not a match');
		assert.equal(secretsEqual('', 's3cret'), false);
	});

	test('compares fixed-size digests, so the work does not depend on where or whether lengths differ', () => {
		// The compare hashes both sides and uses timingSafeEqual on 32-byte digests; a 1-byte and a 1 MiB guess
		// both end in the same fixed-size comparison (no early return on length).
		assert.equal(secretsEqual('a'.repeat(1 << 20), 'a'), false);
		assert.equal(secretsEqual('a', 'a'.repeat(1 << 20)), false);
	});

	test('HTTP bearer auth uses the same compare', () => {
		const settings = {mode: 'token' as const, token: 'bearer-secret'};
		assert.equal(checkBearer(settings, 'Bearer bearer-secret'), true);
		assert.equal(checkBearer(settings, 'Bearer bearer-secreT'), false);
		assert.equal(checkBearer(settings, 'Basic bearer-secret'), false);
		assert.equal(checkBearer(settings, undefined), false);
	});
});

describe('AuthRateLimiter', () => {
	const remote = {ip: '10.0.0.9', loopback: false, browser: false};
	const right = () => 'ok';
	const wrong = () => {
		throw new Error('mismatch');
	};

	test('locks an IP out after maxAttempts failures in the window, with a retryAfterMs that counts down', () => {
		let now = 1_000_000;
		const limiter = new AuthRateLimiter({maxAttempts: 3, windowMs: 10_000, lockoutMs: 5000, exemptLoopback: true}, () => now);
		for (let index = 0; index < 3; index++) {
			assert.deepEqual(limiter.attempt(remote, wrong), {ok: false, rateLimited: false, error: new Error('mismatch')});
		}

		assert.deepEqual(limiter.attempt(remote, right), {ok: false, rateLimited: true, retryAfterMs: 5000}, 'even the right secret');
		assert.equal(limiter.attempt({...remote, ip: '10.0.0.8'}, right).ok, true, 'other IPs are not affected');
		now += 2000;
		assert.deepEqual(limiter.attempt(remote, wrong), {ok: false, rateLimited: true, retryAfterMs: 3000});
		now += 3001;
		assert.deepEqual(limiter.attempt(remote, right), {ok: true, value: 'ok'});
	});

	test('a remote or browser attempt while locked out is refused without looking at the secret', () => {
		const limiter = new AuthRateLimiter({maxAttempts: 1, windowMs: 10_000, lockoutMs: 5000, exemptLoopback: false});
		let verified = 0;
		const counted = () => {
			verified++;
			throw new Error('mismatch');
		};

		for (const source of [remote, {ip: '127.0.0.1', loopback: true, browser: true}]) {
			verified = 0;
			limiter.attempt(source, counted);
			assert.equal(limiter.attempt(source, counted).ok, false);
			assert.equal(verified, 1, JSON.stringify(source));
		}
	});

	test('non-browser loopback is exempt unless exemptLoopback is false; browser-origin loopback never is', () => {
		const exempt = new AuthRateLimiter({maxAttempts: 1, windowMs: 10_000, lockoutMs: 5000, exemptLoopback: true});
		const cli = {ip: '127.0.0.1', loopback: true, browser: false};
		const page = {ip: '127.0.0.1', loopback: true, browser: true};
		exempt.attempt(cli, wrong);
		assert.equal(exempt.attempt(cli, wrong).ok, false);
		assert.equal((exempt.attempt(cli, wrong) as {rateLimited: boolean}).rateLimited, false, 'the CLI is never limited');
		exempt.attempt(page, wrong);
		assert.equal((exempt.attempt(page, right) as {rateLimited: boolean}).rateLimited, true, 'the page is, even with the right secret');
		assert.equal(exempt.attempt(cli, right).ok, true, "the page's lockout is not the CLI's");

		const strict = new AuthRateLimiter({maxAttempts: 1, windowMs: 10_000, lockoutMs: 5000, exemptLoopback: false});
		strict.attempt(cli, wrong);
		assert.equal((strict.attempt(cli, wrong) as {rateLimited: boolean}).rateLimited, true);
	});

	test('while locked out, a non-browser loopback client with the right secret gets in and the lockout stays', () => {
		const limiter = new AuthRateLimiter({maxAttempts: 2, windowMs: 10_000, lockoutMs: 5000, exemptLoopback: false});
		const cli = {ip: '127.0.0.1', loopback: true, browser: false};
		limiter.attempt(cli, wrong);
		limiter.attempt(cli, wrong);
		assert.equal((limiter.attempt(cli, wrong) as {rateLimited: boolean}).rateLimited, true, 'a wrong guess: rate limited');
		assert.deepEqual(limiter.attempt(cli, right), {ok: true, value: 'ok'});
		assert.equal((limiter.attempt(cli, wrong) as {rateLimited: boolean}).rateLimited, true, 'the success did not lift the lockout');
	});

	test('report: exhausted while an IP is locked out, since when, and how many attempts it refused', () => {
		let now = 1_000_000;
		const limiter = new AuthRateLimiter({maxAttempts: 2, windowMs: 10_000, lockoutMs: 5000, exemptLoopback: true}, () => now);
		assert.equal(limiter.report().exhausted, false);
		limiter.attempt(remote, wrong);
		limiter.attempt(remote, wrong);
		now += 100;
		limiter.attempt(remote, wrong);
		limiter.attempt(remote, right);
		const report = limiter.report();
		assert.deepEqual({...report, limit: undefined}, {
			exhausted: true,
			since: 1_000_000,
			refused: 2,
			refusedTotal: 2,
			lastRefusedAt: 1_000_100,
			clients: 1,
			limit: undefined,
		});
		assert.match(report.limit, /^2 failed attempts per 10 s per IP, then locked out for 5 s/);
	});
});

describe('auth failures on a live gateway', () => {
	let gw: TestGateway;
	let logDir: string;
	let cleanup: () => Promise<void>;
	const wrongSecret = 'wrong-secret-4f1c9e';
	before(async () => {
		({dir: logDir, cleanup} = await tempDir('openclaw-authlog-'));
		gw = await startTestGateway({
			logger: new Logger({level: 'trace', file: path.join(logDir, 'gateway.log')}),
			rateLimit: {exemptLoopback: false, maxAttempts: 3, windowMs: 60_000, lockoutMs: 800},
		});
	});
	after(async () => {
		await gw.stop();
		await cleanup();
	});

	test('per-IP: after maxAttempts failures a wrong token gets AUTH_RATE_LIMITED with retryAfterMs, the right one still gets in on loopback; another IP is unaffected; it lifts after retryAfterMs', async () => {
		for (let attempt = 0; attempt < 3; attempt++) {
			const socket = new RawSocket(gw.url);
			const res = await socket.connect({auth: {token: wrongSecret}});
			assert.equal(res.error.details.code, 'AUTH_TOKEN_MISMATCH');
			assert.equal((await socket.closedWith()).code, 1008);
		}

		const limited = new RawSocket(gw.url);
		const res = await limited.connect({auth: {token: wrongSecret}});
		assert.equal(res.ok, false);
		assert.equal(res.error.details.code, 'AUTH_RATE_LIMITED');
		assert.equal(res.error.retryable, true);
		assert.ok(res.error.retryAfterMs > 0 && res.error.retryAfterMs <= 800, `retryAfterMs ${res.error.retryAfterMs}`);
		assert.match(res.error.message, /too many failed authentication attempts/);
		assert.equal((await limited.closedWith()).code, 1008);

		// The operator's own CLI on loopback, with the right token, is not locked out by someone else's guesses.
		const operator = new RawSocket(gw.url);
		assert.equal((await operator.connect()).ok, true);
		operator.close();

		// Another loopback address is another client IP.
		const other = new RawSocket(gw.url, {localAddress: '127.0.0.2'});
		assert.equal((await other.connect({auth: {token: wrongSecret}})).error.details.code, 'AUTH_TOKEN_MISMATCH');
		await other.closedWith();

		await new Promise((resolve) => setTimeout(resolve, res.error.retryAfterMs + 50));
		const later = new RawSocket(gw.url);
		assert.equal((await later.connect({auth: {token: wrongSecret}})).error.details.code, 'AUTH_TOKEN_MISMATCH', 'the lockout lifted');
		await later.closedWith();
	});

	test('failures are logged (reason, IP) without the given or the real secret', async () => {
		const socket = new RawSocket(gw.url, {localAddress: '127.0.0.3'});
		await socket.connect({auth: {token: wrongSecret}});
		await socket.closedWith();
		const log = await readFile(path.join(logDir, 'gateway.log'), 'utf8');
		assert.match(log, /connect rejected/);
		assert.match(log, /token_mismatch/);
		assert.match(log, /127\.0\.0\.3/);
		assert.doesNotMatch(log, new RegExp(wrongSecret));
		assert.doesNotMatch(log, new RegExp(testToken));
	});
});

describe('scope checks', () => {
	let gw: TestGateway;
	before(async () => {
		gw = await startTestGateway();
	});
	after(async () => gw.stop());

	// Config writes, restart and aborts: whatever scope each needs, operator.read alone is not it.
	const privileged = ['config.set', 'config.apply', 'config.patch', 'gateway.restart.request', 'chat.abort', 'sessions.abort'];

	test('a read-scoped client gets FORBIDDEN "missing scope" for config writes, restart and aborts', async () => {
		const reader = await authedSocket(gw.url, {scopes: ['operator.read']});
		for (const method of privileged) {
			const res = await reader.call(method, {});
			assert.equal(res.ok, false, method);
			assert.equal(res.error.code, 'FORBIDDEN', method);
			assert.match(res.error.message, /^missing scope: operator\.(admin|write)$/, method);
			assert.equal(res.error.details.code, 'MISSING_SCOPE');
		}

		// The restart was not performed: the reader is still connected and served.
		assert.equal((await reader.call('health')).ok, true);
		assert.equal(reader.frames.some((frame) => frame.event === 'shutdown'), false);
		reader.close();
	});

	test('admin methods need operator.admin even for a write-scoped client', async () => {
		const writer = await authedSocket(gw.url, {scopes: ['operator.read', 'operator.write']});
		for (const method of ['config.set', 'config.apply', 'gateway.restart.request']) {
			const res = await writer.call(method, {});
			assert.equal(res.error?.code, 'FORBIDDEN', method);
			assert.equal(res.error.details.missingScope, 'operator.admin', method);
		}

		writer.close();
	});

	test('every admin-scoped method the gateway registers refuses a read-scoped client', async () => {
		const admin = [...gw.server.methods.values()].filter((spec) => spec.scope === 'operator.admin').map((spec) => spec.name);
		assert.ok(admin.includes('gateway.restart.request'));
		// A fresh connection per 8 calls: repeated unauthorized calls are themselves a reason to close.
		for (let index = 0; index < admin.length; index += 8) {
			const reader = await authedSocket(gw.url, {scopes: ['operator.read']});
			for (const method of admin.slice(index, index + 8)) {
				assert.equal((await reader.call(method, {})).error?.code, 'FORBIDDEN', method);
			}

			reader.close();
		}
	});

	test('scopes a client did not ask for are not granted; a probe gets none', async () => {
		const probe = new RawSocket(gw.url);
		const res = await probe.connect({client: {id: 'cli', version: '1', platform: 'linux', mode: 'probe'}, scopes: ['operator.admin']});
		assert.deepEqual(res.payload.auth.scopes, []);
		assert.equal((await probe.call('status')).error?.code, 'FORBIDDEN');
		assert.equal((await probe.call('health')).ok, true, 'health needs no scope');
		probe.close();
	});

	test('a device-less browser client (webchat-ui) asking for admin, pairing and a made-up scope gets none of them', async () => {
		const socket = new RawSocket(gw.url, {headers: {Origin: `http://127.0.0.1:${gw.port}`}});
		const res = await socket.connect({
			client: {id: 'webchat-ui', version: '1', platform: 'web', mode: 'webchat'},
			scopes: ['operator.admin', 'operator.pairing', 'made.up.scope'],
		});
		assert.equal(res.ok, true, JSON.stringify(res.error));
		assert.deepEqual(res.payload.auth.scopes, []);
		assert.equal((await socket.call('config.get', {})).error?.code, 'FORBIDDEN');
		assert.equal((await socket.call('health')).ok, true);
		socket.close();
	});

	test('the Control UI without a device identity is refused, as the reference gateway does', async () => {
		const socket = new RawSocket(gw.url);
		const res = await socket.connect({client: {id: 'openclaw-control-ui', version: '1', platform: 'web', mode: 'ui'}, scopes: ['operator.admin']});
		assert.equal(res.ok, false);
		assert.equal(res.error.details.code, 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED');
		assert.equal((await socket.closedWith()).code, 1008);
	});

	test('the trusted local cli shape keeps its scopes, but not from a browser page, and never unknown ones', async () => {
		const cli = await authedSocket(gw.url, {scopes: ['operator.admin', 'made.up.scope']});
		assert.equal((await cli.call('config.get', {})).ok, true);
		cli.close();
		const fromPage = new RawSocket(gw.url, {headers: {Origin: 'http://localhost:5173'}});
		const res = await fromPage.connect({scopes: ['operator.admin']});
		assert.equal(res.ok, true);
		assert.deepEqual(res.payload.auth.scopes, [], 'a page that claims to be the cli gets nothing');
		fromPage.close();
	});
});

describe('grantScopes', () => {
	const cli = {id: 'cli', mode: 'cli'};
	const base = {client: cli, device: false, loopback: true, browser: false};
	test('known scopes only, deduplicated', () => {
		assert.deepEqual(grantScopes({...base, requested: ['operator.read', 'made.up.scope', 'operator.read', 42, 'operator.talk.secrets']}), [
			'operator.read',
			'operator.talk.secrets',
		]);
	});

	test('cleared without a device unless cli/cli or gateway-client/backend, on loopback, from no browser', () => {
		const requested = ['operator.admin'];
		assert.deepEqual(grantScopes({...base, requested}), requested);
		assert.deepEqual(grantScopes({...base, requested, client: {id: 'gateway-client', mode: 'backend'}}), requested);
		assert.deepEqual(grantScopes({...base, requested, client: {id: 'cli', mode: 'backend'}}), []);
		assert.deepEqual(grantScopes({...base, requested, client: {id: 'webchat-ui', mode: 'webchat'}}), []);
		assert.deepEqual(grantScopes({...base, requested, loopback: false}), []);
		assert.deepEqual(grantScopes({...base, requested, browser: true}), []);
		assert.deepEqual(grantScopes({...base, requested, client: {id: 'webchat-ui', mode: 'webchat'}, device: true}), requested);
	});

	test('a probe gets none; the upgrade header caps the rest', () => {
		assert.deepEqual(grantScopes({...base, requested: ['operator.read'], client: {id: 'cli', mode: 'probe'}}), []);
		assert.deepEqual(grantScopes({...base, requested: ['operator.read', 'operator.admin'], cap: ['operator.read']}), ['operator.read']);
	});
});
