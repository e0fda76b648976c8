// Secrets in config snapshots (sentinel in and out) and the JSON merge patch behind config.patch.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {applyMergePatch} from '../gateway/methods/config-merge-patch.js';
import {redactConfig, redactedSentinel, redactRawConfig, restoreRedacted} from '../gateway/methods/config-redact.js';

const stored = {
	gateway: {mode: 'local', auth: {mode: 'token', token: 'gw-secret'}},
	channels: {telegram: {botToken: '123:abc', enabled: true}},
	models: {providers: {openai: {apiKey: 'sk-1', baseUrl: 'http://127.0.0.1:1'}}},
};

describe('config redaction', () => {
	test('every secret-named string becomes the sentinel; other values stay', () => {
		const out = redactConfig(stored);
		assert.equal(out.gateway.auth.token, redactedSentinel);
		assert.equal(out.gateway.auth.mode, 'token');
		assert.equal(out.channels.telegram.botToken, redactedSentinel);
		assert.equal(out.models.providers.openai.apiKey, redactedSentinel);
		assert.equal(out.models.providers.openai.baseUrl, 'http://127.0.0.1:1');
		assert.equal(stored.gateway.auth.token, 'gw-secret', 'input not mutated');
	});

	test('raw text keeps its layout and comments, secrets replaced', () => {
		const raw = `// my gateway\n{\n  gateway: { auth: { token: 'gw-secret' } },\n  channels: { telegram: { botToken: "123:abc" } },\n  note: "gw-secret-not-exactly",\n}\n`;
		const out = redactRawConfig(raw, {gateway: {auth: {token: 'gw-secret'}}, channels: {telegram: {botToken: '123:abc'}}});
		assert.equal(
			out,
			`// my gateway\n{\n  gateway: { auth: { token: '${redactedSentinel}' } },\n  channels: { telegram: { botToken: "${redactedSentinel}" } },\n  note: "gw-secret-not-exactly",\n}\n`,
		);
	});

	test('a file that does not parse still has its secrets masked', () => {
		const raw = `{gateway: {auth: {token: 'new-secret', mode: 'token'}}, channels: {slack: {"botToken": "xoxb-1" `;
		assert.equal(
			redactRawConfig(raw, {}),
			`{gateway: {auth: {token: '${redactedSentinel}', mode: 'token'}}, channels: {slack: {"botToken": "${redactedSentinel}" `,
		);
	});

	test('the sentinel sent back restores the stored secret at the same path', () => {
		const submitted = {...redactConfig(stored), logging: {level: 'debug'}};
		assert.deepEqual(restoreRedacted(submitted, stored), {...stored, logging: {level: 'debug'}});
	});

	test('a sentinel where nothing is stored is refused, naming the path', () => {
		assert.throws(() => restoreRedacted({hooks: {token: redactedSentinel}}, stored), (error: any) => {
			assert.equal(error.code, 'INVALID_REQUEST');
			assert.match(error.message, /^hooks\.token holds the redaction placeholder/);
			return true;
		});
	});
});

describe('raw masking cost', () => {
	test('20,000 secrets are masked in one pass (one regex per secret took 3.8 s of blocked event loop)', () => {
		const providers: Record<string, {apiKey: string}> = {};
		for (let index = 0; index < 20_000; index++) {
			providers[`p${index}`] = {apiKey: `sk-${index}-${'x'.repeat(8)}`};
		}

		const parsed = {models: {providers}};
		const raw = JSON.stringify(parsed, null, 2);
		const started = performance.now();
		const out = redactRawConfig(raw, parsed);
		const elapsed = performance.now() - started;
		assert.doesNotMatch(out, /sk-\d/);
		// Generous for a shared machine: the quadratic version took 3.8 s here, the one-pass one ~70 ms.
		assert.ok(elapsed < 1500, `${Math.round(elapsed)} ms`);
	});

	test('a stray apostrophe in a comment does not misalign the literals', () => {
		const raw = `// don't panic\n{gateway: {auth: {token: 'gw-secret'}}, note: "it's fine", other: 'gw-secret'}`;
		const out = redactRawConfig(raw, {gateway: {auth: {token: 'gw-secret'}}, other: 'gw-secret'});
		assert.equal(out, `// don't panic\n{gateway: {auth: {token: '${redactedSentinel}'}}, note: "it's fine", other: '${redactedSentinel}'}`);
	});
});

describe('secrets inside URLs', () => {
	const withUrls = {
		channels: {webhook: {url: 'https://hooks.example.invalid/services/T000/B000/XXXXSECRET', method: 'GET'}},
		models: {
			providers: {
				local: {baseUrl: 'http://admin:hunter22@127.0.0.1:8080/v1'},
				keyed: {baseUrl: 'http://sk-live-123@127.0.0.1:9/v1'},
				query: {baseUrl: 'http://127.0.0.1:9/v1?api_key=abc123&region=eu'},
				plain: {baseUrl: 'http://127.0.0.1:9/v1'},
			},
		},
		notify: {slackWebhookUrl: 'https://hooks.example.invalid/x/y/z'},
	};

	test('a secret URL becomes the sentinel; a URL keeps its shape with userinfo and credential parameters masked', () => {
		const out = redactConfig(withUrls);
		assert.equal(out.channels.webhook.url, redactedSentinel);
		assert.equal(out.channels.webhook.method, 'GET');
		assert.equal(out.notify.slackWebhookUrl, redactedSentinel);
		assert.equal(out.models.providers.local.baseUrl, `http://admin:${redactedSentinel}@127.0.0.1:8080/v1`);
		assert.equal(out.models.providers.keyed.baseUrl, `http://${redactedSentinel}@127.0.0.1:9/v1`);
		assert.equal(out.models.providers.query.baseUrl, `http://127.0.0.1:9/v1?api_key=${redactedSentinel}&region=eu`);
		assert.equal(out.models.providers.plain.baseUrl, 'http://127.0.0.1:9/v1');
		assert.doesNotMatch(JSON.stringify(out), /hunter22|sk-live-123|abc123|XXXXSECRET/);
	});

	test('the raw text masks them the same way', () => {
		const raw = JSON.stringify(withUrls, null, 2);
		const out = redactRawConfig(raw, withUrls);
		assert.doesNotMatch(out, /hunter22|sk-live-123|abc123|XXXXSECRET|y\/z/);
		assert.match(out, new RegExp(`"http://admin:${redactedSentinel}@127.0.0.1:8080/v1"`));
	});

	test('the redacted form sent back restores every stored URL; a changed URL with the placeholder is refused', () => {
		assert.deepEqual(restoreRedacted(redactConfig(withUrls), withUrls), withUrls);
		const tampered = redactConfig(withUrls);
		tampered.models.providers.local.baseUrl = `http://admin:${redactedSentinel}@127.0.0.1:9999/v1`;
		assert.throws(() => restoreRedacted(tampered, withUrls), /models\.providers\.local\.baseUrl holds the redaction placeholder/);
	});
});

describe('prototype keys', () => {
	test('applyMergePatch, redactConfig and restoreRedacted never set a prototype, whatever the keys', () => {
		const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": {"mode": "none"}}}');
		for (const out of [applyMergePatch({}, patch), redactConfig(patch), restoreRedacted(patch, {})] as any[]) {
			assert.equal(Object.getPrototypeOf(out), Object.prototype);
			assert.equal(out.polluted, undefined);
			assert.equal(Object.getPrototypeOf(out.a), Object.prototype);
			assert.equal(out.a.mode, undefined);
			assert.deepEqual(Object.keys(out), ['__proto__', 'a']);
		}

		assert.equal(({} as any).polluted, undefined);
	});
});

describe('applyMergePatch', () => {
	test('objects merge, null deletes, arrays and scalars replace', () => {
		const target = {a: {b: 1, c: 2}, list: [1, 2, 3], keep: true};
		const out = applyMergePatch(target, {a: {b: null, d: 4}, list: [9], added: {x: 1}});
		assert.deepEqual(out, {a: {c: 2, d: 4}, list: [9], keep: true, added: {x: 1}});
		assert.deepEqual(target, {a: {b: 1, c: 2}, list: [1, 2, 3], keep: true}, 'target not mutated');
	});

	test('a non-object patch replaces the whole value', () => {
		assert.equal(applyMergePatch({a: 1}, 5), 5);
	});
});
