// The Discord channel against a loopback fake of its Gateway WebSocket and REST API: DMs answered, strangers, guild
// messages and bots ignored, a lost socket resumed without losing what was sent meanwhile, the closes (and the
// gateway/bot 401) no reconnect fixes stopped with their fix named and the channel shown stopped until it is started
// again, the first heartbeat jittered; and the session rules (discord-session.ts) on their own.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import path from 'node:path';
import {closeAction, DiscordSession, firstHeartbeatDelayMs, invalidSessionWaitMs, RecentIds} from '../gateway/channels/discord-session.js';
import {discordTransport} from '../gateway/channels/discord-transport.js';
import type {InboundMessage} from '../gateway/channels/inbound.js';
import {ChannelManager} from '../gateway/channels/manager.js';
import {Logger} from '../gateway/logger.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {loadedConfig} from './helpers/loaded-config.js';
import {tempDir} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

type Account = {running: boolean; connected: boolean; lastError: string | null};

/** The Discord account as channels.status and health show it (they must agree). */
async function discordAccount(started: Started): Promise<Account> {
	const manager = started.services.find((service): service is ChannelManager => service instanceof ChannelManager)!;
	const [account] = (await manager.status()).channelAccounts.discord as Account[];
	const health = manager.health({}) as {channels: {discord: Account}};
	const {running, connected, lastError} = health.channels.discord;
	assert.deepEqual({running, connected, lastError}, {running: account.running, connected: account.connected, lastError: account.lastError}, 'health says what channels.status says');
	return account;
}

/** The account once `wanted` holds for it (bounded: 5 s). */
async function accountWhen(started: Started, wanted: (account: Account) => boolean): Promise<Account> {
	const deadline = Date.now() + 5000;
	for (;;) {
		const account = await discordAccount(started);
		if (wanted(account)) {
			return account;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out; the account is ${JSON.stringify(account)}`);
		}

		await pause(20);
	}
}

describe('the Discord channel (Gateway WebSocket + REST)', () => {
	let apis: FakeChannelApis;
	const discordSection = (extra: Record<string, unknown> = {}) => ({botToken: goodToken, apiBaseUrl: `${apis.url}/discord`, dmPolicy: 'allowlist', allowFrom: ['3141'], ...extra});
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-routing-discord-');
		started = await startGateway(state.dir, {channels: {discord: discordSection()}});
		await waitFor('the bot identified', () => apis.discord.ready === 1);
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('identifies with the DM and message-content intents; a DM from an allowed user is answered over REST', async () => {
		assert.deepEqual(apis.discord.identifies, [{token: goodToken, intents: (1 << 12) | (1 << 15)}]);
		apis.discord.sendMessage('3141', 'hello discord agent');
		const reply = await waitFor('the REST reply', () => apis.discord.posted.at(-1));
		assert.deepEqual(reply, {token: goodToken, channelId: 'dm-3141', content: 'hello discord agent'});
	});

	test('strangers, guild messages and bots get nothing', async () => {
		const before = apis.discord.posted.length;
		apis.discord.sendMessage('2718', 'discord stranger text');
		apis.discord.sendMessage('3141', 'in a guild', {guildId: 'G1'});
		apis.discord.sendMessage('3141', 'from a bot', {bot: true});
		await waitFor('the refusal', () => started.logLines.find((line) => line.includes('channel message refused') && line.includes('2718')));
		await pause(200);
		assert.equal(apis.discord.posted.length, before);
		assert.ok(!started.logLines.some((line) => line.includes('discord stranger text')));
	});

	test('a dropped gateway socket is reconnected, and messages flow again', async () => {
		apis.discord.dropAll(1001);
		await waitFor('the socket gone', () => apis.discord.ready === 0);
		await waitFor('identified again', () => apis.discord.ready === 1, 8000);
		apis.discord.sendMessage('3141', 'after the reconnect');
		await waitFor('the reply after reconnect', () => apis.discord.posted.find((message) => message.content === 'after the reconnect'));
	});

	test('a DM sent while the socket is down arrives after the resume, and the answer goes back over REST', async () => {
		const identified = apis.discord.identifies.length;
		apis.discord.dropAll(1001);
		await waitFor('the socket gone', () => apis.discord.ready === 0);
		assert.equal(apis.discord.ready, 0, 'the message is sent while no socket is open');
		apis.discord.sendMessage('3141', 'sent during the blip');
		const reply = await waitFor('the reply to the missed message', () => apis.discord.posted.find((message) => message.content === 'sent during the blip'), 8000);
		assert.equal(reply.channelId, 'dm-3141');
		assert.equal(apis.discord.identifies.length, identified, 'resumed, not identified afresh');
		assert.ok(started.logLines.some((line) => line.includes('discord gateway resumed')));
	});

	test('a Reconnect (op 7) resumes on resume_gateway_url with the session id READY gave and the last seq seen', async () => {
		const [session] = apis.discord.sessions();
		const resumed = apis.discord.resumes.length;
		apis.discord.requestReconnect();
		const resume = await waitFor('the resume', () => apis.discord.resumes[resumed], 8000);
		assert.deepEqual(resume, {token: goodToken, session_id: session.id, seq: session.seq, path: '/discord-resume?v=10&encoding=json'});
		assert.equal(apis.discord.connections.at(-1), '/discord-resume?v=10&encoding=json');
		await waitFor('the socket back', () => apis.discord.ready === 1);
	});

	test('Invalid Session (op 9) resumes when Discord says it may, and identifies afresh after 1-5 s when not', async () => {
		const identified = apis.discord.identifies.length;
		const resumed = apis.discord.resumes.length;
		apis.discord.invalidateSessions(true);
		await waitFor('the resume after a resumable op 9', () => apis.discord.resumes[resumed], 8000);
		await waitFor('the socket back', () => apis.discord.ready === 1);
		assert.equal(apis.discord.identifies.length, identified);

		const invalidatedAt = Date.now();
		apis.discord.invalidateSessions(false);
		await waitFor('a fresh identify', () => apis.discord.identifies.length === identified + 1, 10_000);
		assert.ok(Date.now() - invalidatedAt >= 1000, 'waited the second Discord asks for at least');
		assert.equal(apis.discord.resumes.length, resumed + 1, 'no resume of the invalidated session');
		assert.equal(apis.discord.connections.at(-1), '/discord-gateway?v=10&encoding=json');
		await waitFor('the new session ready', () => apis.discord.ready === 1);
		apis.discord.sendMessage('3141', 'on the new session');
		await waitFor('the reply on the new session', () => apis.discord.posted.find((message) => message.content === 'on the new session'));
	});

	test('a reload that changes only who may talk and how fast keeps the socket open, and applies at once', async () => {
		const identified = apis.discord.identifies.length;
		const manager = started.services.find((service): service is ChannelManager => service instanceof ChannelManager)!;
		const next = {channels: {discord: discordSection({allowFrom: ['3141', '1618'], rateLimit: {burst: 9, perMinute: 90}})}};
		// The paths the reload pipeline's diff gives for this edit.
		manager.applyConfig(loadedConfig(next, path.join(state.dir, 'openclaw.json')), ['channels.discord.allowFrom', 'channels.discord.rateLimit']);
		apis.discord.sendMessage('1618', 'newly allowed');
		await waitFor('the newly allowed user answered', () => apis.discord.posted.find((message) => message.content === 'newly allowed'));
		assert.equal(apis.discord.identifies.length, identified, 'no new identify: the socket was kept');
		assert.equal(apis.discord.ready, 1);
		assert.ok(!started.logLines.some((line) => line.includes('Discord channel stopped')), 'the channel was not restarted');
	});
});

describe('the Discord transport alone against the fake Gateway', () => {
	let apis: FakeChannelApis;
	const delivered: InboundMessage[] = [];
	const logLines: string[] = [];
	let transport: ReturnType<typeof discordTransport>;

	before(async () => {
		apis = await startFakeChannelApis();
		transport = discordTransport({botToken: goodToken, apiBaseUrl: `${apis.url}/discord`}, new Logger({level: 'debug', sinks: [(line) => logLines.push(line)]}));
		transport.start((message) => delivered.push(message));
		await waitFor('the bot identified', () => apis.discord.ready === 1);
	});

	after(async () => {
		transport?.stop();
		await apis?.close();
	});

	test('a replayed dispatch that was already routed is not routed again', async () => {
		const firstId = apis.discord.sendMessage('3141', 'before the drop');
		await waitFor('the first message routed', () => delivered.some((message) => message.messageId === firstId));
		// The node replays the last dispatch the bot had seen as well as the ones after it.
		apis.discord.replayOverlap = 1;
		apis.discord.dropAll(4000);
		const resumed = apis.discord.resumes.length;
		await waitFor('the resume', () => apis.discord.resumes[resumed], 8000);
		await waitFor('the socket back', () => apis.discord.ready === 1);
		apis.discord.replayOverlap = 0;
		const secondId = apis.discord.sendMessage('3141', 'after the resume');
		await waitFor('the second message routed', () => delivered.some((message) => message.messageId === secondId));
		assert.deepEqual(
			delivered.map((message) => message.text),
			['before the drop', 'after the resume'],
		);
	});

	test('a heartbeat Discord stops acknowledging (a zombied connection) is closed and the session resumed', async () => {
		const resumed = apis.discord.resumes.length;
		apis.discord.heartbeatIntervalMs = 150;
		apis.discord.ackHeartbeats = false;
		apis.discord.requestReconnect(); // the next Hello names the short interval
		try {
			await waitFor('the resume after the reconnect', () => apis.discord.resumes[resumed], 8000);
			await waitFor('a resume after the missed ACK', () => apis.discord.resumes[resumed + 1], 8000);
			assert.ok(logLines.some((line) => line.includes('no heartbeat ACK')));
			assert.equal(apis.discord.resumes[resumed + 1].path, '/discord-resume?v=10&encoding=json');
		} finally {
			apis.discord.ackHeartbeats = true;
			apis.discord.heartbeatIntervalMs = 45_000;
		}
	});
});

describe('Discord closes that no reconnect fixes', () => {
	for (const [code, fix] of [
		[4004, /fix channels\.discord\.botToken/],
		[4014, /Developer Portal/],
	] as const) {
		test(`close ${code} stops the channel with the fix as its lastError, and does not reconnect`, async () => {
			const apis = await startFakeChannelApis();
			const state = await tempDir('openclaw-routing-discord-fatal-');
			let started: Started | undefined;
			try {
				apis.discord.refuseIdentifyWith = code;
				started = await startGateway(state.dir, {channels: {discord: {botToken: goodToken, apiBaseUrl: `${apis.url}/discord`}}});
				await waitFor('the identify', () => apis.discord.identifies.length === 1);
				// Longer than the first reconnect backoff (1 s): a retry would have come by now.
				await pause(2500);
				assert.equal(apis.discord.identifies.length, 1, 'no second identify');
				assert.equal(apis.discord.connections.length, 1, 'no second socket');
				const account = await discordAccount(started);
				assert.match(account.lastError ?? '', new RegExp(`close ${code}`));
				assert.match(account.lastError ?? '', fix);
				// The users/@me probe still succeeds: only the stopped socket says the channel is down.
				assert.equal(account.connected, false, 'a stopped channel is not connected');
				assert.equal(account.running, false, 'a stopped channel is not running');

				apis.discord.refuseIdentifyWith = undefined;
				const manager = started.services.find((service): service is ChannelManager => service instanceof ChannelManager)!;
				assert.deepEqual(manager.startChannel('discord'), {started: true, outcome: 'started'});
				await waitFor('identified after channels.start', () => apis.discord.ready === 1);
				const restarted = await accountWhen(started, (now) => now.connected);
				assert.equal(restarted.running, true);
				assert.equal(restarted.lastError, null);
			} finally {
				await started?.gw.stop();
				await apis.close();
				await state.cleanup();
			}
		});
	}
});

test('GET /gateway/bot answering 401 stops the channel with the token fix as its lastError, is not retried, and a reload with a good token starts it', async () => {
	const apis = await startFakeChannelApis();
	const state = await tempDir('openclaw-routing-discord-401-');
	let started: Started | undefined;
	const gatewayBotCalls = () => apis.requests.filter((request) => request.path === '/discord/gateway/bot').length;
	try {
		started = await startGateway(state.dir, {channels: {discord: {botToken: 'refused-bot-token-42', apiBaseUrl: `${apis.url}/discord`}}});
		await waitFor('the gateway/bot call', () => gatewayBotCalls() === 1);
		// Longer than the first reconnect backoff (1 s): a retry would have come by now.
		await pause(2500);
		assert.equal(gatewayBotCalls(), 1, 'no second gateway/bot call');
		assert.equal(apis.discord.connections.length, 0, 'no socket');
		const account = await discordAccount(started);
		assert.match(account.lastError ?? '', /gateway\/bot answered HTTP 401/);
		assert.match(account.lastError ?? '', /fix channels\.discord\.botToken/);
		assert.equal(account.running, false);
		assert.equal(account.connected, false);
		assert.ok(started.logLines.some((line) => line.includes('discord channel stopped')));

		// The operator fixes the token: the config reload starts the channel again.
		const manager = started.services.find((service): service is ChannelManager => service instanceof ChannelManager)!;
		manager.applyConfig(loadedConfig({channels: {discord: {botToken: goodToken, apiBaseUrl: `${apis.url}/discord`}}}, path.join(state.dir, 'openclaw.json')), ['channels.discord.botToken']);
		await waitFor('identified after the reload', () => apis.discord.ready === 1);
		const fixed = await accountWhen(started, (now) => now.connected);
		assert.equal(fixed.running, true);
		assert.equal(fixed.lastError, null);
	} finally {
		await started?.gw.stop();
		await apis.close();
		await state.cleanup();
	}
});

test('the first heartbeat goes after heartbeat_interval * jitter, the next ones a whole interval apart', async () => {
	const apis = await startFakeChannelApis();
	const intervalMs = 1500;
	apis.discord.heartbeatIntervalMs = intervalMs;
	const transport = discordTransport({botToken: goodToken, apiBaseUrl: `${apis.url}/discord`}, new Logger({level: 'error', sinks: []}), {random: () => 0.1});
	try {
		transport.start(() => {});
		await waitFor('two heartbeats', () => apis.discord.heartbeats.length >= 2, 6000);
		const [first, second] = apis.discord.heartbeats;
		assert.ok(first < intervalMs * 0.6, `the first beat came ${Math.round(first)} ms after Hello; 10% of the interval is ${intervalMs * 0.1} ms`);
		assert.ok(second - first >= intervalMs * 0.9, `then a whole interval: ${Math.round(second - first)} ms`);
	} finally {
		transport.stop();
		await apis.close();
	}
});

describe('Discord session rules', () => {
	test('the first heartbeat waits interval * jitter, jitter in [0, 1)', () => {
		assert.equal(firstHeartbeatDelayMs(41_250, () => 0), 0);
		assert.equal(firstHeartbeatDelayMs(41_250, () => 0.5), 20_625);
		assert.ok(firstHeartbeatDelayMs(41_250, () => 0.999_999) < 41_250);
	});

	test('closes: 4004 and 4010-4014 stop, 4007 and 4009 identify afresh, the rest resume', () => {
		for (const code of [4004, 4010, 4011, 4012, 4013, 4014]) {
			assert.equal(closeAction(code).kind, 'stop', String(code));
		}

		for (const code of [4007, 4009]) {
			assert.equal(closeAction(code).kind, 'identify', String(code));
		}

		for (const code of [1000, 1001, 1006, 4000, 4001, 4002, 4003, 4005, 4008]) {
			assert.equal(closeAction(code).kind, 'resume', String(code));
		}
	});

	test('the wait after a non-resumable Invalid Session is 1 to 5 s', () => {
		assert.equal(invalidSessionWaitMs(() => 0), 1000);
		assert.ok(invalidSessionWaitMs(() => 0.999_999) <= 5000);
	});

	test('a session resumes at READY\'s ws(s) URL with the query of the first connect, from the last seq', () => {
		const session = new DiscordSession();
		session.ready({session_id: 'abc', resume_gateway_url: 'wss://gateway-us-east1-b.discord.gg'});
		assert.equal(session.resumable, false, 'nothing to resume before a sequence number');
		session.sequence(1);
		session.sequence(null);
		session.sequence(7);
		assert.equal(session.resumeTarget()?.href, 'wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json');
		assert.deepEqual(session.resumeFrame('t0k'), {op: 6, d: {token: 't0k', session_id: 'abc', seq: 7}});
		session.forget();
		assert.equal(session.resumeFrame('t0k'), undefined);
	});

	test('a READY whose resume URL is not ws(s) leaves nothing to resume', () => {
		for (const url of ['https://evil.example/', 'not a url', undefined]) {
			const session = new DiscordSession();
			session.ready({session_id: 'abc', resume_gateway_url: url});
			session.sequence(3);
			assert.equal(session.resumeTarget(), undefined, String(url));
		}
	});

	test('recent ids: a repeat is refused while remembered; the oldest are forgotten past the capacity', () => {
		const ids = new RecentIds(2);
		assert.equal(ids.firstSighting('a'), true);
		assert.equal(ids.firstSighting('a'), false);
		ids.firstSighting('b');
		ids.firstSighting('c');
		assert.equal(ids.firstSighting('a'), true, 'a was forgotten');
		assert.equal(ids.firstSighting('c'), false);
	});
});
