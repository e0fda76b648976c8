// Pure parts of channels: secret masking and which channels a config change touches.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {maskSecrets} from '../gateway/channels/http-probe.js';
import {affectedChannels} from '../gateway/channels/manager.js';

describe('maskSecrets', () => {
	test('masks every occurrence, raw and URL-encoded, and ignores too-short strings', () => {
		const token = '123:ab/cd+ef';
		const text = `GET https://api.telegram.org/bot${token}/getMe and ${encodeURIComponent(token)} again ${token}`;
		const masked = maskSecrets(text, [token]);
		assert.ok(!masked.includes(token));
		assert.ok(!masked.includes(encodeURIComponent(token)));
		assert.equal(masked.split('***').length, 4);
		assert.equal(maskSecrets('the bot said', ['bot']), 'the bot said');
	});
});

describe('affectedChannels', () => {
	test('maps changed config paths to the channels they belong to', () => {
		assert.deepEqual([...affectedChannels(['channels.telegram.botToken', 'gateway.port'])], ['telegram']);
		assert.deepEqual([...affectedChannels(['channels.slack', 'channels.discord.enabled'])].sort(), ['discord', 'slack']);
		assert.deepEqual([...affectedChannels(['channels'])].sort(), ['discord', 'slack', 'telegram', 'webhook']);
		assert.deepEqual([...affectedChannels(['channels.telegramx.botToken', 'logging.level'])], []);
		// Who may talk and how fast are read at every message: no reconnect for them.
		assert.deepEqual([...affectedChannels(['channels.discord.allowFrom', 'channels.discord.rateLimit.burst', 'channels.telegram.dmPolicy'])], []);
		assert.deepEqual([...affectedChannels(['channels.discord.allowFrom', 'channels.discord.botToken'])], ['discord']);
		assert.deepEqual([...affectedChannels(['channels.discord.rateLimitx'])], ['discord']);
	});
});
