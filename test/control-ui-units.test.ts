// The Control UI's pure parts, without a browser: which refusals send the operator back to the token form (read in
// the console's failure signature table) and which only mean "try again".
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {refusesSecret} from '../source/control-ui/gateway-socket.js';

describe('refusesSecret', () => {
	test('a wrong or missing secret, or a lockout for guessing: ask the operator', () => {
		assert.equal(refusesSecret({error: 'unauthorized: gateway token mismatch (use this gateway\'s gateway.auth.token or pair the device)', errorCode: 'AUTH_TOKEN_MISMATCH'}), true);
		assert.equal(refusesSecret({error: 'unauthorized: gateway password missing'}), true);
		assert.equal(refusesSecret({error: 'unauthorized: too many failed authentication attempts', errorCode: 'AUTH_RATE_LIMITED'}), true);
	});

	test('a restart, a pairing wait or a dropped link: reconnect with the same token', () => {
		assert.equal(refusesSecret({error: 'connect unavailable during gateway restart'}), false);
		assert.equal(refusesSecret({error: 'pairing required', errorCode: 'PAIRING_REQUIRED'}), false);
		assert.equal(refusesSecret({error: 'connection closed (1006)'}), false);
	});
});
