// `openclaw pairing list|approve|reject` against the real gateway process, with Telegram through its loopback fake
// under the default dmPolicy ("pairing"): the command a stranger is told to ask the owner for exists and does what
// it says; a wrong code is refused and allows nothing; a rejected sender stays out.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {pairingTable, pairingTarget} from '../source/commands/pairing.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {freePort} from './helpers/gateway.js';
import {waitForProcess as waitFor} from './helpers/routing.js';

let apis: FakeChannelApis;
let instance: Instance;
let gateway: GatewayProcess | undefined;

const sentTo = (chatId: number) => apis.telegram.sent.filter((message) => String(message.chat_id) === String(chatId)).map((message) => message.text);

/** The code in a pairing reply ("Pairing code:\nABCD2345"). */
async function pairingCodeFor(chatId: number): Promise<string> {
	const offer = await waitFor(`the pairing reply to ${chatId}`, () => sentTo(chatId).find((text) => text.includes('Pairing code:')));
	const code = /Pairing code:\n(\S+)/.exec(offer)?.[1];
	assert.ok(code, offer);
	assert.ok(offer.includes(`openclaw pairing approve telegram ${code}`), offer);
	return code;
}

before(async () => {
	apis = await startFakeChannelApis();
	const port = await freePort();
	const token = `token-${Date.now()}`;
	instance = await makeInstance({
		port,
		token,
		config: {
			gateway: {mode: 'local', port, auth: {mode: 'token', token}},
			channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1}},
		},
	});
	gateway = await startGatewayProcess(instance);
});

after(async () => {
	await gateway?.stop();
	await apis?.close();
	await instance?.cleanup();
});

test('pairing list shows the waiting sender; approve lets them in; a wrong code and reject let nobody in', {timeout: 90_000}, async () => {
	apis.telegram.pushMessage(777, 'hello?');
	apis.telegram.pushMessage(888, 'let me in');
	const code = await pairingCodeFor(777);
	const other = await pairingCodeFor(888);

	const listed = await openclaw(['pairing', 'list', '--json'], instance.env);
	assert.equal(listed.exitCode, 0, listed.stderr);
	const rows = (JSON.parse(listed.stdout) as {requests: Array<{requestId: string; senderId: string; channel: string}>}).requests;
	assert.deepEqual(rows.map((row) => [row.requestId, row.senderId, row.channel]).sort(), [[code, '777', 'telegram'], [other, '888', 'telegram']].sort());
	const human = await openclaw(['pairing', 'list', 'telegram'], instance.env);
	assert.equal(human.exitCode, 0, human.stderr);
	assert.match(human.stdout, new RegExp(`Pairing requests \\(2\\)[\\s\\S]*${code}\\s+777\\s+telegram`));

	const wrong = await openclaw(['pairing', 'approve', 'telegram', 'ZZZZ2345'], instance.env);
	assert.equal(wrong.exitCode, 1);
	assert.match(wrong.stderr, /no pending telegram pairing request with code ZZZZ2345.*openclaw pairing list telegram/);

	const usage = await openclaw(['pairing', 'approve', 'telegram', code, 'extra'], instance.env);
	assert.equal(usage.exitCode, 2, usage.stderr);

	// One pairing channel: the code alone is enough, as with OpenClaw's own command; lower case is forgiven.
	const approved = await openclaw(['pairing', 'approve', code.toLowerCase(), '--notify'], instance.env);
	assert.equal(approved.exitCode, 0, approved.stderr);
	assert.match(approved.stdout, /Approved telegram sender 777/);
	const rejected = await openclaw(['pairing', 'reject', 'telegram', other], instance.env);
	assert.equal(rejected.exitCode, 0, rejected.stderr);
	assert.match(rejected.stdout, new RegExp(`Rejected telegram pairing request ${other} from 888`));

	apis.telegram.pushMessage(777, 'now?');
	apis.telegram.pushMessage(888, 'and me?');
	await waitFor('the agent answering 777', () => sentTo(777).find((text) => text === 'now?'));
	const empty = await openclaw(['pairing', 'list'], instance.env);
	assert.equal(empty.exitCode, 0, empty.stderr);
	// 888 was rejected: its new message makes a new request at most, never an answer from the agent.
	assert.ok(!sentTo(888).includes('and me?'), sentTo(888).join(' | '));
});

test('pairingTarget takes <channel> <code>, --channel <code>, or the code alone when there is one channel', () => {
	assert.deepEqual(pairingTarget('approve', ['telegram', 'abcd2345'], undefined, ['telegram', 'slack']), {channel: 'telegram', code: 'ABCD2345'});
	assert.deepEqual(pairingTarget('approve', ['ABCD2345'], 'slack', ['telegram', 'slack']), {channel: 'slack', code: 'ABCD2345'});
	assert.deepEqual(pairingTarget('reject', ['ABCD2345'], undefined, ['telegram']), {channel: 'telegram', code: 'ABCD2345'});
	assert.throws(() => pairingTarget('approve', ['ABCD2345'], undefined, ['telegram', 'slack']), /name the channel \(telegram, slack\)/);
	assert.throws(() => pairingTarget('approve', [], undefined, ['telegram']), /name the pairing code/);
	assert.throws(() => pairingTarget('approve', ['telegram', 'A', 'B'], undefined, ['telegram']), /too many arguments/);
	assert.throws(() => pairingTarget('approve', ['telegram', 'A'], 'telegram', ['telegram']), /too many arguments/);
});

test('pairingTable lines up code, sender, channel and age', () => {
	const now = Date.parse('2026-11-29T12:00:00Z');
	const lines = pairingTable(
		[
			{requestId: 'ABCD2345', channel: 'telegram', senderId: '777', senderLabel: '@ann', createdAt: '2026-11-29T11:58:00Z'},
			{requestId: 'WXYZ6789', channel: 'slack', senderId: 'U1', senderLabel: 'U1', createdAt: '2026-11-29T10:30:00Z'},
		],
		now,
	);
	assert.deepEqual(lines, [
		'CODE      SENDER      CHANNEL   REQUESTED',
		'ABCD2345  777 (@ann)  telegram  2m ago',
		'WXYZ6789  U1          slack     1h 30m ago',
	]);
	assert.deepEqual(pairingTable([], now), []);
});
