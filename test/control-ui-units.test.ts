// The Control UI's pure parts, without a browser: which refusals send the operator back to the token form (read in
// the console's failure signature table) and which only mean "try again"; the Sessions card's read; what a device
// waiting for pairing is told; browser keys as the console's key functions read them.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {confirmKey} from '../source/console/intents.js';
import type {GatewayReader} from '../source/console/live/gateway-reads.js';
import {authFor, refusesSecret} from '../source/control-ui/gateway-socket.js';
import {keyPressOf} from '../source/control-ui/key-press.js';
import {approveCommand, pairingNotice} from '../source/control-ui/pairing-notice.js';
import {readSessionRows} from '../source/control-ui/sessions.js';
import type {HelloOk} from '../source/protocol/index.js';

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

describe('the Sessions card', () => {
	const hello = (methods: string[]) => ({features: {methods, events: []}}) as unknown as HelloOk;
	const reader = (methods: string[], answer: () => unknown) => ({hello: hello(methods), request: (async () => answer()) as GatewayReader['request']});

	test('a gateway that does not list sessions.list is not asked, and the card says so', async () => {
		let asked = false;
		const rows = await readSessionRows(reader(['health'], () => {
			asked = true;
			return {sessions: []};
		}));
		assert.equal(rows, 'this gateway does not serve sessions.list');
		assert.equal(asked, false);
	});

	test('rows by key (or the sessionKey other gateways send); none and a failure are one sentence', async () => {
		const rows = await readSessionRows(reader(['sessions.list'], () => ({sessions: [{key: 'agent:main:main', kind: 'direct', model: 'echo'}, {sessionKey: 'other'}]})));
		assert.deepEqual(rows, [
			{key: 'agent:main:main', kind: 'direct', model: 'echo', updated: undefined},
			{key: 'other', kind: undefined, model: undefined, updated: undefined},
		]);
		assert.equal(await readSessionRows(reader(['sessions.list'], () => ({sessions: []}))), 'no sessions yet');
		assert.equal(
			await readSessionRows(reader(['sessions.list'], () => {
				throw new Error('missing scope: operator.read');
			})),
			'sessions.list failed: missing scope: operator.read',
		);
	});
});

describe('a device waiting for pairing', () => {
	test('the page names the device and the command that approves its request', () => {
		const notice = pairingNotice('ab12', 'req-1');
		assert.equal(notice.device, 'device ab12');
		assert.equal(notice.command, 'openclaw devices approve req-1');
		assert.equal(approveCommand(undefined), 'openclaw devices list');
	});

	test('a device token goes as auth.deviceToken, never as the shared token', () => {
		assert.deepEqual(authFor({kind: 'device-token', value: 'dt'}), {deviceToken: 'dt'});
		assert.deepEqual(authFor({kind: 'token', value: 'st'}), {token: 'st'});
	});
});

describe('browser keys read as the console reads them', () => {
	const press = (key: string, modifiers: {ctrlKey?: boolean; shiftKey?: boolean} = {}) => keyPressOf({key, ctrlKey: false, shiftKey: false, ...modifiers});

	test('the restart question: y or Enter on Restart say yes; n, Esc, Enter on Cancel, Ctrl-C say no; arrows and Tab move', () => {
		assert.equal(confirmKey(press('y'), 'no'), 'yes');
		assert.equal(confirmKey(press('Enter'), 'yes'), 'yes');
		assert.equal(confirmKey(press('Enter'), 'no'), 'no');
		assert.equal(confirmKey(press('n'), 'yes'), 'no');
		assert.equal(confirmKey(press('Escape'), 'yes'), 'no');
		assert.equal(confirmKey(press('c', {ctrlKey: true}), 'yes'), 'no');
		assert.equal(confirmKey(press('ArrowLeft'), 'no'), 'toggle');
		assert.equal(confirmKey(press('Tab'), 'no'), 'toggle');
		assert.equal(confirmKey(press('x'), 'no'), undefined);
	});

	test('named keys have no input; letters keep their case', () => {
		assert.deepEqual(press('Escape'), {input: '', key: {ctrl: false, shift: false, escape: true}});
		assert.deepEqual(press('R', {shiftKey: true}), {input: 'R', key: {ctrl: false, shift: true}});
	});
});
