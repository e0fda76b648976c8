// A generated gateway token must be usable as typed after `--token`: one beginning with "-" is read as an option
// ("Option '--token' argument is ambiguous"), which a CI run of cli-two-gateways hit with a base64url token.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {newGatewayToken} from '../source/protocol/tokens.js';
import {parseFlags} from '../source/commands/parse-flags.js';

test('generated tokens are 192-bit hex, so never an option look-alike', () => {
	const tokens = new Set(Array.from({length: 2000}, () => newGatewayToken()));
	assert.equal(tokens.size, 2000);
	for (const token of tokens) {
		assert.match(token, /^[0-9a-f]{48}$/);
	}
});

test('the CLI takes a generated token after --token as it is; a dash-led one only as --token=...', () => {
	const token = newGatewayToken();
	assert.equal(parseFlags({token: {type: 'string'}}, ['--token', token], 'health').flags.token, token);
	assert.throws(() => parseFlags({token: {type: 'string'}}, ['--token', '-Ab3'], 'health'), /ambiguous/);
	assert.equal(parseFlags({token: {type: 'string'}}, ['--token=-Ab3'], 'health').flags.token, '-Ab3');
});
