// The lean config read client commands use (source/config/client-config.ts) against the full loader (zod): whatever
// the lean rules accept, the schema accepts; whatever they do not, the full loader answers, with its own messages.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {ConfigError, hashConfigText, loadConfigSync, parseConfigText} from '../source/protocol/config/load.js';
import {configVouchedValid, loadClientConfig, readClientConfigLean} from '../source/config/client-config.js';
import {tempDir} from './helpers/gateway.js';

const starter = {
	gateway: {mode: 'local', port: 18_789, bind: 'loopback', auth: {mode: 'token', token: 'secret-token'}, reload: {mode: 'hybrid'}},
	logging: {level: 'info'},
};

/** The keys a client command reads (and the objects holding them): the lean read must judge these as the schema does. */
const clientKeys = new Set([
	'(root)',
	'gateway',
	'gateway.mode',
	'gateway.port',
	'gateway.bind',
	'gateway.customBindHost',
	'gateway.auth',
	'gateway.auth.mode',
	'gateway.auth.token',
	'gateway.auth.password',
	'gateway.remote',
	'gateway.remote.url',
	'gateway.remote.token',
	'gateway.remote.password',
]);

const paths = [
	'gateway',
	'gateway.mode',
	'gateway.port',
	'gateway.bind',
	'gateway.customBindHost',
	'gateway.auth',
	'gateway.auth.mode',
	'gateway.auth.token',
	'gateway.auth.password',
	'gateway.auth.rateLimit',
	'gateway.reload',
	'gateway.reload.mode',
	'gateway.reload.debounceMs',
	'gateway.remote',
	'gateway.remote.url',
	'gateway.remote.token',
	'gateway.remote.password',
	'gateway.controlUi',
	'gateway.somethingElse',
	'logging',
	'logging.level',
	'logging.file',
	'logging.maxFileBytes',
	'logging.maxFiles',
	'logging.redactPatterns',
	'channels',
	'hooks.path',
	'unknownRoot',
];

const values: unknown[] = [
	null,
	'',
	'x',
	'local',
	'remote',
	'custom',
	'token',
	'password',
	'none',
	'hybrid',
	'off',
	'info',
	'trace',
	'verbose',
	'ws://127.0.0.1:1',
	'/hooks',
	0,
	-1,
	1,
	1.5,
	100,
	65_535,
	65_536,
	true,
	[],
	['a'],
	[1],
	{},
	{mode: 'token'},
	{url: 'ws://h:1', token: 't'},
	{level: 'nope'},
];

function withValue(base: unknown, dotted: string, value: unknown): Record<string, unknown> {
	const copy = structuredClone(base) as Record<string, unknown>;
	const keys = dotted.split('.');
	let node = copy;
	for (const key of keys.slice(0, -1)) {
		if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) {
			node[key] = {};
		}

		node = node[key] as Record<string, unknown>;
	}

	node[keys.at(-1)!] = value;
	return copy;
}

function zodIssues(config: unknown): string[] {
	try {
		parseConfigText(JSON.stringify(config), '/c.json');
		return [];
	} catch (error) {
		assert.ok(error instanceof ConfigError);
		return error.issues;
	}
}

describe('lean config read', () => {
	let dir: string;
	let cleanup: () => Promise<void>;
	before(async () => {
		({dir, cleanup} = await tempDir('openclaw-config-lean-'));
	});
	after(async () => cleanup());

	it('vouches for the starter config `openclaw setup` writes (so gateway status needs no schema for it)', () => {
		assert.equal(configVouchedValid(starter), true);
		assert.deepEqual(zodIssues(starter), []);
	});

	it('never vouches for a config the schema rejects, and never passes bad client keys', () => {
		let vouched = 0;
		let refused = 0;
		for (const dotted of paths) {
			for (const value of values) {
				const config = withValue(starter, dotted, value);
				const issues = zodIssues(config);
				if (configVouchedValid(config)) {
					vouched++;
					assert.deepEqual(issues, [], `vouched for ${dotted}=${JSON.stringify(value)} but the schema says ${issues.join('; ')}`);
				} else {
					refused++;
				}

				// The client read may pass a config with bad keys elsewhere, never one with a bad client key.
				const file = path.join(dir, 'client.json');
				writeFileSync(file, JSON.stringify(config));
				const lean = readClientConfigLean(file);
				if (lean) {
					const clientIssues = issues.filter((issue) => clientKeys.has(issue.slice(0, issue.indexOf(':'))));
					assert.deepEqual(clientIssues, [], `client read passed ${dotted}=${JSON.stringify(value)}`);
				}
			}
		}

		assert.ok(vouched > 20 && refused > 20, `both outcomes exercised (vouched ${vouched}, refused ${refused})`);
	});

	it('hands JSON5, bad client keys and missing files to the full loader, with its messages and hash', async () => {
		const json5 = path.join(dir, 'json5.json');
		await writeFile(json5, "{gateway: {port: 19123, auth: {token: 'abc'}}, // a comment\n}");
		const viaClient = await loadClientConfig(json5);
		assert.deepEqual(viaClient, loadConfigSync(json5));
		assert.equal(viaClient.config.gateway?.port, 19_123);

		const badPort = path.join(dir, 'bad-port.json');
		await writeFile(badPort, JSON.stringify({gateway: {port: 'eighty'}}));
		await assert.rejects(loadClientConfig(badPort), (error: Error) => {
			assert.ok(error instanceof ConfigError);
			assert.throws(() => loadConfigSync(badPort), {message: error.message});
			assert.match(error.message, /gateway\.port: expected number, received string/);
			return true;
		});

		const syntax = path.join(dir, 'syntax.json');
		await writeFile(syntax, '{gateway: ');
		await assert.rejects(loadClientConfig(syntax), /is not valid JSON5/);

		const missing = await loadClientConfig(path.join(dir, 'absent.json'));
		assert.deepEqual(missing, {path: path.join(dir, 'absent.json'), exists: false, raw: '', config: {}, hash: hashConfigText('')});

		const plain = path.join(dir, 'plain.json');
		const raw = JSON.stringify(starter, null, 2);
		await writeFile(plain, raw);
		assert.deepEqual(readClientConfigLean(plain), loadConfigSync(plain));
	});
});
