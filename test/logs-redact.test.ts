// Secret masking applied to every log line before it is written or served.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {collectSecretValues, Redactor} from '../gateway/logs/redact.js';

const redact = (text: string, setup?: (redactor: Redactor) => void) => {
	const redactor = new Redactor();
	setup?.(redactor);
	return redactor.redact(text);
};

describe('Redactor', () => {
	test('masks the configured gateway token and password literally, also JSON-escaped', () => {
		const line = JSON.stringify({message: 'got my-gateway-token-42 and pa"ss-word', fields: {x: 'my-gateway-token-42'}});
		const out = redact(line, (r) => r.setSecrets('auth', ['my-gateway-token-42', 'pa"ss-word']));
		assert.doesNotMatch(out, /my-gateway-token-42/);
		assert.doesNotMatch(out, /ss-word/);
		assert.doesNotThrow(() => JSON.parse(out));
	});

	test('replacing the secrets of a source forgets the old ones', () => {
		const redactor = new Redactor();
		redactor.setSecrets('auth', ['old-secret-value']);
		redactor.setSecrets('auth', ['new-secret-value']);
		assert.equal(redactor.redact('old-secret-value new-secret-value'), 'old-secret-value ***');
	});

	test('ignores very short secrets rather than shredding every line', () => {
		assert.equal(redact('a b c', (r) => r.setSecrets('auth', ['b'])), 'a b c');
	});

	test('masks Bearer tokens and Authorization headers', () => {
		assert.equal(redact('GET / Authorization: Bearer abc.def-123'), 'GET / Authorization: Bearer ***');
		assert.equal(redact('calling with bearer XYZ123456'), 'calling with bearer ***');
		assert.equal(redact('authorization=Basic dXNlcjpwYXNz'), 'authorization=Basic ***');
	});

	test('masks JSON fields named token/password/apiKey/botToken/secret, nested or serialized in a string', () => {
		const line = JSON.stringify({
			fields: {token: 't0ken-value', password: 'hunter22', apiKey: 'k-123', botToken: 'bt', clientSecret: 'cs', count: 3, tokenSource: 'config'},
			message: JSON.stringify({apiKey: 'inner-key'}),
		});
		const out = redact(line);
		const parsed = JSON.parse(out);
		assert.deepEqual(parsed.fields, {token: '***', password: '***', apiKey: '***', botToken: '***', clientSecret: '***', count: 3, tokenSource: 'config'});
		assert.deepEqual(JSON.parse(parsed.message), {apiKey: '***'});
	});

	test('masks sk- keys, Slack tokens and Telegram bot tokens, also inside URLs', () => {
		assert.equal(redact('key sk-proj-abcdefghijklmnop1234 used'), 'key sk-*** used');
		assert.equal(redact('slack xoxb-123456-abcdef-XYZ'), 'slack ***');
		assert.equal(redact('GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe'), 'GET https://api.telegram.org/bot***/getMe');
	});

	test('leaves ordinary text alone', () => {
		const text = '{"message":"listening on ws://127.0.0.1:18789","fields":{"port":18789,"maxTokens":5}}';
		assert.equal(redact(text), text);
	});

	test('applies logging.redactPatterns and skips invalid ones', () => {
		const redactor = new Redactor({patterns: ['acct-\\d+', '(unclosed']});
		assert.equal(redactor.redact('user acct-991 logged in'), 'user *** logged in');
		assert.deepEqual(redactor.setPatterns(['(bad']), ['(bad']);
	});
});

test('collectSecretValues finds every string under a secret-named key', () => {
	const config = {
		gateway: {auth: {token: 'gw-token', mode: 'token'}},
		channels: {telegram: {botToken: '1:abc'}, slack: {botToken: 'xoxb-1'}},
		models: {providers: {openai: {apiKey: 'sk-x', baseUrl: 'http://x'}}},
		hooks: {token: 'hook'},
	};
	assert.deepEqual(collectSecretValues(config).sort(), ['1:abc', 'gw-token', 'hook', 'sk-x', 'xoxb-1']);
});

test('collectSecretValues also finds webhook URLs and the credentials inside URLs', () => {
	const config = {
		channels: {webhook: {url: 'https://hooks.example.invalid/T0/B0/s3cret'}},
		notify: {slackWebhookUrl: 'https://hooks.example.invalid/x/y'},
		models: {providers: {local: {baseUrl: 'http://ops:pa%24%24word@127.0.0.1:9/v1'}, keyed: {baseUrl: 'http://sk-live-9@127.0.0.1:9'}, plain: {baseUrl: 'http://127.0.0.1:9'}}},
	};
	assert.deepEqual(collectSecretValues(config).sort(), [
		'https://hooks.example.invalid/T0/B0/s3cret',
		'https://hooks.example.invalid/x/y',
		'pa$$word',
		'pa%24%24word',
		'sk-live-9',
	]);
	const redactor = new Redactor();
	redactor.setSecrets('config', collectSecretValues(config));
	assert.doesNotMatch(redactor.redact('probe POST https://hooks.example.invalid/T0/B0/s3cret failed; provider http://ops:pa%24%24word@127.0.0.1:9/v1'), /s3cret|pa%24%24word/);
});
