// How a connection attempt's end is classified (source/client/connect-failure.ts): the kind decides what the client
// does next (retry, stop, ask for credentials), so each way in gets its kind and a message with the URL and the fix.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {closedBeforeHello, handshakeTimedOut, refusedConnect, unreachable, upgradeRefused} from '../source/client/connect-failure.js';

const url = 'ws://127.0.0.1:18789';

test('a refused connect: auth by its message, protocol by its detail code, anything else a refusal that may pass', () => {
	const token = refusedConnect(url, {code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch', details: {code: 'AUTH_TOKEN_MISMATCH'}});
	assert.equal(token.kind, 'auth');
	assert.match(token.message, /--token/);
	const password = refusedConnect(url, {code: 'INVALID_REQUEST', message: 'unauthorized: gateway password mismatch', details: {code: 'AUTH_PASSWORD_MISMATCH'}});
	assert.equal(password.kind, 'auth');
	assert.match(password.message, /--password/);
	assert.equal(refusedConnect(url, {code: 'INVALID_REQUEST', message: 'protocol mismatch', details: {code: 'PROTOCOL_MISMATCH'}}).kind, 'protocol');
	const starting = refusedConnect(url, {code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', retryAfterMs: 500});
	assert.equal(starting.kind, 'rejected');
	assert.equal(starting.retryAfterMs, 500);
	assert.equal(refusedConnect(url).kind, 'rejected', 'no error body at all');
});

test('the other ends: unreachable, upgrade refused (503 busy, else not a gateway), closed, timed out', () => {
	const down = unreachable(url, 'ECONNREFUSED');
	assert.equal(down.kind, 'unreachable');
	assert.match(down.message, /ws:\/\/127\.0\.0\.1:18789 \(ECONNREFUSED\)/);
	assert.equal(upgradeRefused(url, 503, 'Service Unavailable').kind, 'rejected');
	assert.equal(upgradeRefused(url, 503).retryAfterMs, 1000);
	assert.equal(upgradeRefused(url, 404, 'Not Found').kind, 'protocol');
	const closed = closedBeforeHello(url, 1008, 'invalid request frame');
	assert.equal(closed.kind, 'closed');
	assert.deepEqual([closed.detail?.code, closed.detail?.reason], [1008, 'invalid request frame']);
	assert.match(handshakeTimedOut(url, 2500).message, /within 2500 ms/);
});
