// Channels against loopback fakes of Telegram, Discord, Slack and a webhook target: good, bad-token, slow and
// down, through `channels.status`, `health`, `channels.start/stop` and a hot config change.
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {buildServices} from '../gateway/assemble.js';
import {ChannelManager} from '../gateway/channels/manager.js';
import {Logger} from '../gateway/logger.js';
import {goodToken, slowToken, startFakeChannelApis, type FakeServer} from './helpers/fake-apis.js';
import {authedSocket, freePort, startTestGateway, tempDir, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const badToken = 'bad-bot-token-987654';
const channelOrder = ['telegram', 'discord', 'slack', 'webhook'];

function channelsConfig(base: string, token: string, hook: string) {
	return {
		channels: {
			telegram: {botToken: token, apiBaseUrl: `${base}/telegram`},
			discord: {botToken: token, apiBaseUrl: `${base}/discord`},
			slack: {botToken: token, apiBaseUrl: `${base}/slack`},
			webhook: {url: `${base}/hook/${hook}`},
		},
	};
}

type Case = {gw: TestGateway; manager: ChannelManager; logLines: string[]};

async function gatewayWith(config: Record<string, unknown>): Promise<Case> {
	const logLines: string[] = [];
	const logger = new Logger({level: 'debug', sinks: [(line) => logLines.push(line)]});
	const manager = new ChannelManager(logger);
	const gw = await startTestGateway({config: loadedConfig(config), logger, services: [manager]});
	return {gw, manager, logLines};
}

async function status(gw: TestGateway, params: Record<string, unknown>) {
	const socket = await authedSocket(gw.url);
	try {
		const res = await socket.call('channels.status', params);
		assert.equal(res.ok, true, JSON.stringify(res.error));
		return res.payload;
	} finally {
		socket.close();
	}
}

let apis: FakeServer;
let good: Case;
let bad: Case;
let slow: Case;
let down: Case;

before(async () => {
	apis = await startFakeChannelApis(5000);
	const closedPort = await freePort();
	[good, bad, slow, down] = await Promise.all([
		gatewayWith(channelsConfig(apis.url, goodToken, 'ok')),
		gatewayWith(channelsConfig(apis.url, badToken, 'missing')),
		gatewayWith({
			channels: Object.fromEntries(
				Object.entries(channelsConfig(apis.url, slowToken, 'slow').channels).map(([id, section]) => [id, {...section, probeTimeoutMs: 300}]),
			),
		}),
		gatewayWith(channelsConfig(`http://127.0.0.1:${closedPort}`, goodToken, 'ok')),
	]);
});

after(async () => {
	await Promise.all([good, bad, slow, down].map(async (item) => item?.gw.stop()));
	await apis.close();
});

describe('channels.status', () => {
	test('good tokens: every probe ok, connected, with the bot identity', async () => {
		const result = await status(good.gw, {probe: true, timeoutMs: 3000});
		assert.deepEqual(result.channelOrder, channelOrder);
		assert.deepEqual(result.channelLabels, {telegram: 'Telegram', discord: 'Discord', slack: 'Slack', webhook: 'Webhook'});
		assert.deepEqual(result.channelDefaultAccountId, {telegram: 'default', discord: 'default', slack: 'default', webhook: 'default'});
		for (const id of channelOrder) {
			const [account] = result.channelAccounts[id];
			assert.equal(account.accountId, 'default');
			assert.equal(account.enabled, true);
			assert.equal(account.configured, true);
			assert.equal(account.running, true);
			assert.equal(account.connected, true, `${id}: ${account.lastError}`);
			assert.equal(account.lastError, null);
			assert.equal(account.probe.ok, true);
			assert.equal(typeof account.probe.elapsedMs, 'number');
			assert.ok(account.lastProbeAt > 0);
		}

		assert.equal(result.channelAccounts.telegram[0].probe.bot.username, 'fake_tg_bot');
		assert.equal(result.channelAccounts.discord[0].probe.bot.username, 'fake_discord_bot');
		assert.equal(result.channelAccounts.slack[0].probe.bot.username, 'fake_slack_bot');
		assert.equal(result.channels.telegram.connected, true);
	});

	test('the probes hit each API as documented (path, method, auth header)', async () => {
		await status(good.gw, {probe: true});
		// Several gateways share the fake: look for this gateway's (good-token) requests.
		const seen = (path: string, method: string, authorization?: string) =>
			apis.requests.some(
				(request) => request.path === path && request.method === method && request.headers.authorization === authorization,
			);
		assert.ok(seen('/discord/users/@me', 'GET', `Bot ${goodToken}`));
		assert.ok(seen('/slack/auth.test', 'POST', `Bearer ${goodToken}`));
		assert.ok(seen('/hook/ok', 'GET'));
		assert.ok(apis.requests.some((request) => request.path === `/telegram/bot${goodToken}/getMe` && request.method === 'GET'));
	});

	test('bad tokens: probe fails with the API answer, not connected, and the token appears nowhere', async () => {
		const result = await status(bad.gw, {probe: true});
		for (const id of channelOrder) {
			const [account] = result.channelAccounts[id];
			assert.equal(account.probe.ok, false, id);
			assert.equal(account.connected, false, id);
			assert.equal(account.running, true, id);
			assert.equal(typeof account.lastError, 'string', id);
		}

		assert.match(result.channelAccounts.telegram[0].lastError, /HTTP 401: Unauthorized/);
		assert.match(result.channelAccounts.discord[0].lastError, /HTTP 401/);
		assert.match(result.channelAccounts.slack[0].lastError, /invalid_auth/);
		assert.match(result.channelAccounts.webhook[0].lastError, /HTTP 404/);
		assert.ok(!JSON.stringify(result).includes(badToken), 'token leaked into channels.status');
		assert.ok(bad.logLines.some((line) => line.includes('probe failed')), 'probe failure was logged');
		assert.ok(!bad.logLines.some((line) => line.includes(badToken)), 'token leaked into the log');
	});

	test('slow APIs: each probe gives up at its timeout, in parallel, and says so', async () => {
		const started = Date.now();
		const result = await status(slow.gw, {probe: true, timeoutMs: 400});
		const elapsed = Date.now() - started;
		assert.ok(elapsed < 3000, `status took ${elapsed}ms; the fake waits 5000ms`);
		for (const id of channelOrder) {
			const [account] = result.channelAccounts[id];
			assert.equal(account.probe.ok, false, id);
			assert.match(account.probe.error, /timed out after 400ms/, id);
			assert.equal(account.connected, false);
		}
	});

	test('API down (closed port): probe fails with the connection error; the gateway keeps serving', async () => {
		const result = await status(down.gw, {probe: true, timeoutMs: 2000});
		for (const id of channelOrder) {
			const [account] = result.channelAccounts[id];
			assert.equal(account.probe.ok, false, id);
			assert.match(account.probe.error, /ECONNREFUSED/, id);
			assert.ok(!account.probe.error.includes(goodToken), 'token in the error text');
		}

		const socket = await authedSocket(down.gw.url);
		const health = await socket.call('health');
		socket.close();
		assert.equal(health.ok, true);
	});

	test('channel filter and params: one channel; unknown channel and extra keys are refused', async () => {
		const one = await status(good.gw, {channel: 'slack'});
		assert.deepEqual(one.channelOrder, ['slack']);
		assert.deepEqual(Object.keys(one.channelAccounts), ['slack']);
		const socket = await authedSocket(good.gw.url);
		const unknown = await socket.call('channels.status', {channel: 'irc'});
		assert.equal(unknown.ok, false);
		assert.match(unknown.error.message, /unknown channel: irc/);
		const extra = await socket.call('channels.status', {probe: true, bogus: 1});
		assert.equal(extra.ok, false);
		assert.equal(extra.error.code, 'INVALID_REQUEST');
		socket.close();
	});

	test('no channels configured: the empty reference shape', async () => {
		const gw = await startTestGateway();
		try {
			const result = await status(gw, {probe: true});
			assert.deepEqual(
				{...result, ts: 0},
				{ts: 0, channelOrder: [], channelLabels: {}, channels: {}, channelAccounts: {}, channelDefaultAccountId: {}},
			);
		} finally {
			await gw.stop();
		}
	});
});

describe('health and control', () => {
	test('health carries the channel summary in OpenClaw shape', async () => {
		const socket = await authedSocket(good.gw.url);
		const res = await socket.call('health', {probe: true});
		socket.close();
		assert.equal(res.ok, true);
		assert.deepEqual(res.payload.channelOrder, channelOrder);
		assert.equal(res.payload.channelLabels.telegram, 'Telegram');
		const telegram = res.payload.channels.telegram;
		assert.equal(telegram.configured, true);
		assert.equal(telegram.accounts.default.accountId, 'default');
		assert.equal(telegram.accounts.default.probe.ok, true);
		assert.equal(telegram.accounts.default.probe.bot.username, 'fake_tg_bot');
	});

	test('channels.stop / channels.start need admin and flip running', async () => {
		const reader = await authedSocket(good.gw.url);
		const denied = await reader.call('channels.stop', {channel: 'telegram'});
		assert.equal(denied.error.code, 'FORBIDDEN');
		reader.close();
		const admin = await authedSocket(good.gw.url, {scopes: ['operator.admin']});
		const stopped = await admin.call('channels.stop', {channel: 'telegram'});
		assert.deepEqual(stopped.payload, {channel: 'telegram', accountId: 'default', stopped: true});
		let result = (await admin.call('channels.status', {channel: 'telegram'})).payload;
		assert.equal(result.channelAccounts.telegram[0].running, false);
		assert.equal(result.channelAccounts.telegram[0].connected, false);
		const started = await admin.call('channels.start', {channel: 'telegram'});
		assert.deepEqual(started.payload, {channel: 'telegram', accountId: 'default', started: true, outcome: 'started'});
		const again = await admin.call('channels.start', {channel: 'telegram'});
		assert.equal(again.payload.outcome, 'already-running');
		result = (await admin.call('channels.status', {channel: 'telegram', probe: true})).payload;
		assert.equal(result.channelAccounts.telegram[0].running, true);
		assert.equal(result.channelAccounts.telegram[0].connected, true);
		const unknown = await admin.call('channels.start', {channel: 'matrix'});
		assert.match(unknown.error.message, /channel not configured: matrix/);
		admin.close();
	});

	test('a hot config change restarts only the affected channel', async () => {
		const item = await gatewayWith(channelsConfig(apis.url, goodToken, 'ok'));
		try {
			const before = await status(item.gw, {});
			const next = channelsConfig(apis.url, goodToken, 'ok');
			next.channels.telegram.botToken = badToken;
			await item.manager.applyConfig(loadedConfig(next), ['channels.telegram.botToken']);
			const after = await status(item.gw, {probe: true});
			const telegramBefore = before.channelAccounts.telegram[0];
			const telegramAfter = after.channelAccounts.telegram[0];
			assert.ok(telegramAfter.lastStartAt > telegramBefore.lastStartAt || telegramAfter.lastStartAt !== telegramBefore.lastStartAt);
			assert.equal(telegramAfter.connected, false);
			assert.match(telegramAfter.lastError, /401/);
			assert.equal(after.channelAccounts.discord[0].lastStartAt, before.channelAccounts.discord[0].lastStartAt);
			assert.equal(after.channelAccounts.discord[0].connected, true);

			const disabled = channelsConfig(apis.url, goodToken, 'ok');
			(disabled.channels.slack as Record<string, unknown>).enabled = false;
			await item.manager.applyConfig(loadedConfig(disabled), ['channels.slack.enabled', 'channels.telegram.botToken']);
			const final = await status(item.gw, {});
			assert.equal(final.channelAccounts.slack[0].enabled, false);
			assert.equal(final.channelAccounts.slack[0].running, false);
		} finally {
			await item.gw.stop();
		}
	});

	test('editing the config file on disk (hot reload) restarts only the changed channel', async () => {
		const {dir, cleanup} = await tempDir('openclaw-channels-reload-');
		const configPath = path.join(dir, 'openclaw.json');
		const initial = loadedConfig(channelsConfig(apis.url, goodToken, 'ok'), configPath);
		await writeFile(configPath, initial.raw);
		const logger = new Logger({level: 'silent'});
		const gw = await startTestGateway({config: initial, configPath, stateDir: dir, logger, services: buildServices({stateDir: dir, configPath, logger})});
		try {
			const before = await status(gw, {probe: true});
			assert.equal(before.channelAccounts.telegram[0].connected, true);
			const next = channelsConfig(apis.url, goodToken, 'ok');
			next.channels.telegram.botToken = badToken;
			await writeFile(configPath, JSON.stringify(next, null, 2));
			const deadline = Date.now() + 15_000;
			let current = before;
			while (current.channelAccounts.telegram[0].lastStartAt === before.channelAccounts.telegram[0].lastStartAt && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 100));
				current = await status(gw, {});
			}

			current = await status(gw, {probe: true});
			assert.notEqual(current.channelAccounts.telegram[0].lastStartAt, before.channelAccounts.telegram[0].lastStartAt, 'telegram was not restarted');
			assert.match(current.channelAccounts.telegram[0].lastError, /401/);
			for (const id of ['discord', 'slack', 'webhook']) {
				assert.equal(current.channelAccounts[id][0].lastStartAt, before.channelAccounts[id][0].lastStartAt, `${id} was restarted`);
				assert.equal(current.channelAccounts[id][0].connected, true);
			}
		} finally {
			await gw.stop();
			await cleanup();
		}
	});

	test('a configured section without its token is listed as not configured and never probed', async () => {
		const item = await gatewayWith({channels: {discord: {apiBaseUrl: `${apis.url}/discord`}}});
		try {
			const result = await status(item.gw, {probe: true});
			const [account] = result.channelAccounts.discord;
			assert.equal(account.configured, false);
			assert.equal(account.running, false);
			assert.match(account.lastError, /set channels\.discord\.botToken/);
			assert.equal(account.probe, undefined);
		} finally {
			await item.gw.stop();
		}
	});
});
