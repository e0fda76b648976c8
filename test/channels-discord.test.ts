// The Discord channel against a loopback fake of its Gateway WebSocket and REST API: DMs answered, strangers, guild
// messages and bots ignored, a dropped socket reconnected.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import path from 'node:path';
import {ChannelManager} from '../gateway/channels/manager.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {loadedConfig} from './helpers/loaded-config.js';
import {tempDir} from './helpers/gateway.js';
import {pause, startGateway, waitFor, type Started} from './helpers/routing.js';

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
