// The Slack channel against a loopback fake: the Events API (v0 request signing, 5-minute replay window) and Socket
// Mode, answers with chat.postMessage; strangers get nothing. A Socket Mode open refused for the app token stops the
// channel (shown stopped, with the fix); one that fails otherwise is retried, shown running with the failure.
import assert from 'node:assert/strict';
import {after, afterEach, before, describe, test} from 'node:test';
import {ChannelManager} from '../gateway/channels/manager.js';
import {hmacSha256Hex} from '../gateway/channels/signatures.js';
import {goodAppToken, goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {tempDir} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

type Account = {running: boolean; connected: boolean; lastError: string | null; lastProbeAt: number | null};

/** The Slack account as channels.status shows it once `wanted` holds (bounded: 8 s); health must say the same. */
async function slackAccountWhen(started: Started, wanted: (account: Account) => boolean): Promise<Account> {
	const manager = started.services.find((service): service is ChannelManager => service instanceof ChannelManager)!;
	const deadline = Date.now() + 8000;
	for (;;) {
		const [account] = (await manager.status()).channelAccounts.slack as Account[];
		if (wanted(account)) {
			const {running, connected, lastError} = (manager.health({}) as {channels: {slack: Account}}).channels.slack;
			assert.deepEqual({running, connected, lastError}, {running: account.running, connected: account.connected, lastError: account.lastError});
			return account;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out; the account is ${JSON.stringify(account)}`);
		}

		await pause(20);
	}
}

describe('the Slack channel (Events API)', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	const signingSecret = 'slack-signing-secret-abcdef012345';
	let eventSeq = 0;

	function eventBody(user: string, text: string, overrides: Record<string, unknown> = {}): string {
		eventSeq++;
		return JSON.stringify({
			type: 'event_callback',
			team_id: 'T1',
			event_id: `Ev${eventSeq}`,
			event: {type: 'message', channel_type: 'im', channel: `D${user}`, user, text, ts: `${Date.now() / 1000}`, ...overrides},
		});
	}

	function slackHeaders(body: string, secret = signingSecret, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
		return {'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${body}`)}`};
	}

	async function post(body: string, headers: Record<string, string>): Promise<Response> {
		return fetch(`http://127.0.0.1:${started.gw.port}/slack/events`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body});
	}

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-slack-');
		started = await startGateway(state.dir, {
			channels: {slack: {botToken: goodToken, apiBaseUrl: `${apis.url}/slack`, signingSecret, dmPolicy: 'allowlist', allowFrom: ['U42']}},
		});
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('url_verification is answered with its challenge (signed)', async () => {
		const body = JSON.stringify({type: 'url_verification', challenge: 'challenge-xyz', token: 'legacy'});
		const response = await post(body, slackHeaders(body));
		assert.equal(response.status, 200);
		assert.deepEqual(await response.json(), {challenge: 'challenge-xyz'});
	});

	test('a signed DM from an allowed user is answered with chat.postMessage in its IM; a stranger gets nothing', async () => {
		const body = eventBody('U42', 'hello slack agent');
		assert.equal((await post(body, slackHeaders(body))).status, 200);
		const stranger = eventBody('U66', 'slack stranger text');
		assert.equal((await post(stranger, slackHeaders(stranger))).status, 200);
		const reply = await waitFor('chat.postMessage', () => apis.slack.posted.at(-1));
		assert.deepEqual(reply, {token: goodToken, channel: 'DU42', text: 'hello slack agent'});
		await pause(200);
		assert.equal(apis.slack.posted.length, 1);
		assert.ok(started.logLines.some((line) => line.includes('channel message refused') && line.includes('U66')));
		assert.ok(!started.logLines.some((line) => line.includes('slack stranger text')));
	});

	test('a forged, a stale (over 5 minutes) and a replayed request are refused 401, logged without secrets', async () => {
		const before = apis.slack.posted.length;
		const forged = eventBody('U42', 'forged slack');
		assert.equal((await post(forged, slackHeaders(forged, 'not-the-signing-secret'))).status, 401);
		const stale = eventBody('U42', 'stale slack');
		assert.equal((await post(stale, slackHeaders(stale, signingSecret, Math.floor(Date.now() / 1000) - 301))).status, 401);
		const fresh = eventBody('U42', 'replayed slack');
		const headers = slackHeaders(fresh);
		assert.equal((await post(fresh, headers)).status, 200);
		assert.equal((await post(fresh, headers)).status, 401);
		await waitFor('one reply', () => apis.slack.posted.length === before + 1);
		await pause(200);
		assert.equal(apis.slack.posted.length, before + 1);
		const refusals = started.logLines.filter((line) => line.includes('slack events request refused'));
		assert.equal(refusals.length, 3);
		for (const line of refusals) {
			assert.ok(!line.includes(signingSecret) && !line.includes('v0=') && !line.includes('forged slack'), line);
		}
	});
});

describe('the Slack channel (Socket Mode)', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-slack-socket-');
		started = await startGateway(state.dir, {
			channels: {slack: {botToken: goodToken, appToken: goodAppToken, apiBaseUrl: `${apis.url}/slack`, dmPolicy: 'allowlist', allowFrom: ['U42']}},
		});
		await waitFor('the socket open', () => apis.slack.sockets === 1);
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('a DM over the socket is acknowledged and answered with chat.postMessage; a stranger gets nothing', async () => {
		const envelope = apis.slack.sendSocketMessage('U42', 'hello over the socket');
		apis.slack.sendSocketMessage('U66', 'socket stranger text');
		const reply = await waitFor('chat.postMessage', () => apis.slack.posted.at(-1));
		assert.deepEqual(reply, {token: goodToken, channel: 'DU42', text: 'hello over the socket'});
		assert.ok(apis.slack.acks.includes(envelope));
		await pause(200);
		assert.equal(apis.slack.posted.length, 1);
		assert.ok(!started.logLines.some((line) => line.includes('socket stranger text')));
	});

	test('a disconnect request is followed by a new socket, and messages flow again', async () => {
		apis.slack.requestDisconnect();
		await waitFor('the old socket gone', () => apis.slack.sockets === 0);
		await waitFor('a new socket', () => apis.slack.sockets === 1, 8000);
		apis.slack.sendSocketMessage('U42', 'after the refresh');
		await waitFor('the reply after the refresh', () => apis.slack.posted.find((message) => message.text === 'after the refresh'));
	});
});

describe('the Slack channel (Socket Mode) when the open fails', () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started | undefined;
	const opens = () => apis.requests.filter((request) => request.path === '/slack/apps.connections.open').length;
	const socketSection = (appToken: string) => ({channels: {slack: {botToken: goodToken, appToken, apiBaseUrl: `${apis.url}/slack`}}});

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-slack-refused-');
	});

	afterEach(async () => {
		apis.slack.connectionsOpenError = undefined;
		await started?.gw.stop();
		started = undefined;
	});

	after(async () => {
		await apis?.close();
		await state?.cleanup();
	});

	test('an app token refused (invalid_auth) stops the channel with the fix as lastError, not connected, and is not retried', async () => {
		started = await startGateway(state.dir, socketSection('xapp-revoked-token-123456'));
		await waitFor('the open', () => opens() === 1);
		// Longer than the first reconnect backoff (1 s): a retry would have come by now.
		await pause(2500);
		assert.equal(opens(), 1, 'no second apps.connections.open');
		// auth.test with the bot token succeeds: only the refused socket says the channel is down.
		const account = await slackAccountWhen(started, (now) => now.lastProbeAt !== null);
		assert.match(account.lastError ?? '', /invalid_auth/);
		assert.match(account.lastError ?? '', /fix channels\.slack\.appToken/);
		assert.equal(account.running, false);
		assert.equal(account.connected, false);
	});

	test('an open that fails otherwise is retried: running, not connected, the failure as lastError; cleared once the socket is up', async () => {
		apis.slack.connectionsOpenError = 'internal_error';
		started = await startGateway(state.dir, socketSection(goodAppToken));
		const failing = await slackAccountWhen(started, (now) => now.lastError !== null && now.lastProbeAt !== null);
		assert.match(failing.lastError ?? '', /internal_error/);
		assert.equal(failing.running, true);
		assert.equal(failing.connected, false);
		apis.slack.connectionsOpenError = undefined;
		await waitFor('the socket open', () => apis.slack.sockets === 1, 8000);
		const up = await slackAccountWhen(started, (now) => now.lastError === null);
		assert.equal(up.running, true);
		assert.equal(up.connected, true);
	});
});
