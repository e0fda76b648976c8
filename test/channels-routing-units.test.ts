// The pure parts of routing: who may talk (dmPolicy/allowFrom), per-peer rates, peer session keys, and signed
// request verification.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {decideAccess} from '../gateway/channels/access.js';
import {PairingStore} from '../gateway/channels/pairing.js';
import {PeerRateLimiter} from '../gateway/channels/peer-rate.js';
import {dmScopeOf} from '../gateway/channels/router.js';
import {hmacSha256Hex, ReplayCache, verifySignedRequest} from '../gateway/channels/signatures.js';
import {peerSessionKey} from '../gateway/sessions/keys.js';

describe('decideAccess', () => {
	test('deny by default: no policy and no allowFrom refuses everyone (pairing required)', () => {
		assert.deepEqual(decideAccess(undefined, undefined, ['123']), {allowed: false, reason: 'pairing-required'});
	});

	test('allowlist lets in listed ids and aliases (numbers, @names, tg: prefixes, any case)', () => {
		assert.deepEqual(decideAccess('allowlist', [123], ['123']), {allowed: true});
		assert.deepEqual(decideAccess('allowlist', ['tg:123'], ['123']), {allowed: true});
		assert.deepEqual(decideAccess('allowlist', ['@Alice'], ['999', '@alice']), {allowed: true});
		assert.deepEqual(decideAccess('allowlist', ['123'], ['1234']), {allowed: false, reason: 'not-allowed'});
	});

	test('open needs the "*" wildcard, as OpenClaw requires; disabled refuses even listed peers', () => {
		assert.deepEqual(decideAccess('open', ['*'], ['anyone']), {allowed: true});
		assert.deepEqual(decideAccess('open', [], ['anyone']), {allowed: false, reason: 'open-without-wildcard'});
		assert.deepEqual(decideAccess('disabled', ['*', 'a'], ['a']), {allowed: false, reason: 'disabled'});
	});
});

test('PeerRateLimiter: a burst, then the steady rate, per peer', () => {
	let now = 0;
	const limiter = new PeerRateLimiter(() => ({burst: 2, perMinute: 6}), () => now);
	assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [true, true, false]);
	assert.equal(limiter.take('b'), true, 'another peer has its own bucket');
	now += 10_000;
	assert.equal(limiter.take('a'), true, 'one message per 10 s comes back');
	assert.equal(limiter.take('a'), false);
});

test('peer session keys follow session.dmScope, per-channel-peer by default', () => {
	const base = {agentId: 'main', channel: 'telegram', accountId: 'default', peerId: '4242'};
	assert.equal(dmScopeOf(undefined), 'per-channel-peer');
	assert.equal(peerSessionKey({...base, dmScope: dmScopeOf({dmScope: 'bogus'})}), 'agent:main:telegram:direct:4242');
	assert.equal(peerSessionKey({...base, dmScope: 'main'}), 'agent:main:main');
	assert.equal(peerSessionKey({...base, dmScope: 'per-peer'}), 'agent:main:direct:4242');
	assert.equal(peerSessionKey({...base, dmScope: 'per-account-channel-peer'}), 'agent:main:telegram:default:direct:4242');
});

describe('verifySignedRequest', () => {
	const secret = 's3cret-s3cret';
	const body = '{"a":1}';
	const now = 1_700_000_000_000;
	const timestamp = String(now / 1000);
	const signed = (overrides: Partial<Parameters<typeof verifySignedRequest>[0]> = {}) =>
		verifySignedRequest({
			timestamp,
			signature: `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${body}`)}`,
			signedText: (stamp) => `v0:${stamp}:${body}`,
			prefix: 'v0=',
			secret,
			windowSeconds: 300,
			replays: new ReplayCache(),
			now,
			...overrides,
		});

	test('a good signature passes once; the same one again is a replay', () => {
		const replays = new ReplayCache();
		assert.deepEqual(signed({replays}), {ok: true});
		assert.deepEqual(signed({replays}), {ok: false, reason: 'replayed'});
	});

	test('wrong secret, missing headers, a timestamp outside the window or not a number are refused', () => {
		assert.deepEqual(signed({secret: 'other-secret'}), {ok: false, reason: 'bad-signature'});
		assert.deepEqual(signed({signature: undefined}), {ok: false, reason: 'missing-signature'});
		assert.deepEqual(signed({now: now + 301_000}), {ok: false, reason: 'stale-timestamp'});
		assert.deepEqual(signed({timestamp: '1e3'}), {ok: false, reason: 'bad-timestamp'});
	});
});

describe('PairingStore', () => {
	test('one request per peer, at most 3 waiting per channel, each for an hour; approval lets the peer in', async () => {
		let now = 0;
		const store = new PairingStore(undefined, () => now);
		const first = await store.request('telegram', '1', '1', '1');
		assert.match(first!.requestId, /^[A-HJ-NP-Z2-9]{8}$/);
		assert.equal(await store.request('telegram', '1', '1', '1'), undefined, 'the same peer again: no second code');
		assert.ok(await store.request('telegram', '2', '2', '2'));
		assert.ok(await store.request('telegram', '3', '3', '3'));
		assert.equal(await store.request('telegram', '4', '4', '4'), undefined, 'a fourth waits for room');
		assert.ok(await store.request('slack', 'U4', 'U4', 'D4'), 'another channel has its own room');
		now += 60 * 60 * 1000 + 1;
		assert.deepEqual(await store.list('telegram'), [], 'expired after an hour');
		const fresh = await store.request('telegram', '4', '4', '4');
		assert.equal(await store.isApproved('telegram', '4'), false);
		assert.equal((await store.resolve('telegram', fresh!.requestId.toLowerCase(), true))?.senderId, '4');
		assert.equal(await store.isApproved('telegram', '4'), true);
		assert.equal(await store.isApproved('slack', '4'), false);
		assert.equal(await store.resolve('telegram', fresh!.requestId, true), undefined, 'a request is used once');
	});
});
