// Unknown config keys: which keys the schema does not know (typos, stale settings) with the sibling they were
// probably meant to be; what a real OpenClaw config carries is not reported; and a running gateway says so in its
// log and in `health`, at start and after a reload.
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, it} from 'node:test';
import {parseConfigText} from '../source/protocol/config/load.js';
import {unknownConfigKeys, unknownKeysSummary} from '../source/protocol/config/unknown-keys.js';
import {closest, editDistance} from '../source/protocol/suggest.js';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess} from './helpers/cli-process.js';

/** The config of a real OpenClaw 2026.9.6 gateway, as its config.get returned it (real-openclaw-wire.md). */
const realOpenClawConfig = {
	gateway: {mode: 'local', bind: 'loopback', port: 18_789, auth: {mode: 'token', token: 'redacted'}},
	update: {checkOnStart: false},
	discovery: {mdns: {mode: 'off'}},
	models: {catalogRefresh: {enabled: false}},
	agents: {defaults: {heartbeat: {every: '0m'}}, entries: {main: {}}},
	logging: {file: '/home/op/.openclaw/logs/gateway.log'},
};

describe('unknownConfigKeys', () => {
	it('a typo is named by its path, with the known sibling it was meant to be', () => {
		assert.deepEqual(unknownConfigKeys({gateway: {prot: 1234}}), [{path: 'gateway.prot', suggestion: 'port'}]);
		assert.deepEqual(unknownConfigKeys({gatway: {port: 1}}), [{path: 'gatway', suggestion: 'gateway'}]);
		assert.deepEqual(unknownConfigKeys({logging: {Level: 'debug'}}), [{path: 'logging.Level', suggestion: 'level'}], 'case slips too');
	});

	it('nested paths, in the order the file has them; no suggestion when nothing is close', () => {
		const config = {
			gateway: {auth: {mode: 'token', rateLimit: {maxAttempt: 3}}, reload: {mdoe: 'hot'}, wibble: true},
			agents: {defaults: {model: {primray: 'x'}}},
			hooks: {mapings: []},
		};
		assert.deepEqual(unknownConfigKeys(config), [
			{path: 'gateway.auth.rateLimit.maxAttempt', suggestion: 'maxAttempts'},
			{path: 'gateway.reload.mdoe', suggestion: 'mode'},
			{path: 'gateway.wibble'},
			{path: 'agents.defaults.model.primray', suggestion: 'primary'},
			{path: 'hooks.mapings', suggestion: 'mappings'},
		]);
	});

	it('an unknown key is reported once, not everything under it', () => {
		assert.deepEqual(unknownConfigKeys({gateway: {tsl: {enabled: true, certPath: '/x'}}}), [{path: 'gateway.tsl', suggestion: 'tls'}]);
	});

	it('sections the schema leaves open (maps keyed by ids, channel and agent options) are not reported', () => {
		const config = {
			channels: {matrix: {homeserver: 'https://m.example'}, telegram: {botToken: 't', dmPolicy: 'pairing', accounts: {work: {}}}},
			models: {mode: 'merge', providers: {myLocal: {baseUrl: 'http://127.0.0.1:1/v1', api: 'openai-completions', models: []}}},
			agents: {defaults: {heartbeat: {every: '30m'}, workspace: '/w', subagents: {maxConcurrent: 8}}, list: [{id: 'main', workspace: '/w'}]},
			hooks: {mappings: [{id: 'gh', match: {path: 'github', headers: {}}, transform: {module: 'x.js'}}]},
		};
		assert.deepEqual(unknownConfigKeys(config), []);
	});

	it('a real OpenClaw config reports nothing: its sections and keys we do not model are known', () => {
		assert.deepEqual(unknownConfigKeys(realOpenClawConfig), []);
		const fuller = {
			$schema: 'https://openclaw.ai/config.json',
			meta: {lastTouchedVersion: '2026.9.6'},
			wizard: {lastRunAt: 'x'},
			gateway: {
				mode: 'local',
				tls: {enabled: false},
				tailscale: {mode: 'off'},
				trustedProxies: ['10.0.0.1'],
				publicOrigin: 'https://gw.example',
				controlUi: {enabled: true, basePath: '/ui', allowedOrigins: []},
				auth: {mode: 'token', allowTailscale: false, rateLimit: {maxAttempts: 10}},
				remote: {url: 'wss://x', transport: 'ssh', sshTarget: 'me@host'},
				reload: {mode: 'hybrid', deferralTimeoutMs: 1000},
				http: {endpoints: {chatCompletions: {enabled: true}, responses: {enabled: true, maxBodyBytes: 1000}}},
				nodes: {browser: {mode: 'auto'}},
			},
			logging: {level: 'info', consoleLevel: 'warn', consoleStyle: 'pretty', redactSensitive: 'tools'},
			hooks: {enabled: true, token: 'h', gmail: {account: 'a@b'}, presets: ['gmail']},
			plugins: {entries: {github: {enabled: true}}},
			skills: {entries: {}},
			session: {scope: 'per-sender'},
			messages: {},
			commands: {restart: true},
			cron: {enabled: false},
			tools: {allow: []},
			browser: {enabled: false},
			env: {vars: {A: 'b'}},
			diagnostics: {enabled: false},
		};
		assert.deepEqual(unknownConfigKeys(fuller), []);
	});

	it('the config still loads with them: reported, never refused', () => {
		const config = parseConfigText('{gateway: {prot: 1234, mode: "local"}}', '/x/openclaw.json');
		assert.equal((config.gateway as Record<string, unknown>).prot, 1234);
		assert.deepEqual(unknownConfigKeys(config), [{path: 'gateway.prot', suggestion: 'port'}]);
	});

	it('the summary is one line, bounded', () => {
		assert.equal(unknownKeysSummary([{path: 'gateway.prot', suggestion: 'port'}]), 'unknown key gateway.prot (did you mean "port"?)');
		const many = Array.from({length: 25}, (_item, index) => ({path: `x${index}`}));
		const line = unknownKeysSummary(many);
		assert.match(line, /^unknown keys x0, x1, .*x19 and 5 more$/);
		assert.equal(unknownKeysSummary(many.slice(0, 2), 3, 4), 'unknown keys x0, x1 and 4 more', 'keys health left out are counted');
		assert.equal(unknownKeysSummary([]), '');
		assert.equal(unknownKeysSummary([{path: 'gateway.\u001B[2J'}]), 'unknown key gateway.\\u001b[2J', 'a key cannot drive the terminal it is printed on');
	});

	it('suggestions count a swap of neighbouring letters as one slip, and stay quiet when far off', () => {
		assert.equal(editDistance('prot', 'port'), 1);
		assert.equal(editDistance('stauts', 'status'), 1);
		assert.equal(editDistance('kitten', 'sitting'), 3);
		assert.equal(closest('prot', ['mode', 'port', 'bind']), 'port');
		assert.equal(closest('zzzz', ['mode', 'port', 'bind']), undefined);
	});
});

describe('a gateway with unknown config keys', () => {
	it('starts, says so in its log and on stderr, carries them in health, and again after a reload', async () => {
		const port = await freePort();
		const token = 'unknown-keys-test-token';
		const instance = await makeInstance({port, token, config: {gateway: {mode: 'local', port, auth: {mode: 'token', token}, prot: 1234}}});
		const gateway = await startGatewayProcess(instance);
		try {
			const logFile = path.join(instance.stateDir, 'logs', 'gateway.log');
			const health = async () => {
				const result = await openclaw(['health', '--json'], instance.env);
				// Dropping gateway.prot is a restart-class change: while the gateway restarts in-process, health has no answer.
				return result.exitCode === 0 ? JSON.parse(result.stdout).configReload : {unknownKeys: []};
			};
			assert.deepEqual((await health()).unknownKeys, [{path: 'gateway.prot', suggestion: 'port'}]);
			const warnings = (await readFile(logFile, 'utf8'))
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line) as {level: string; message: string})
				.filter((record) => record.message.startsWith('config: unknown key'));
			assert.deepEqual(
				warnings.map((record) => [record.level, record.message]),
				[['warn', 'config: unknown key gateway.prot (did you mean "port"?)']],
			);

			// A hot edit that fixes the typo and makes another: the reload warns about the new one, health follows.
			await writeFile(instance.configPath, JSON.stringify({gateway: {mode: 'local', port, auth: {mode: 'token', token}}, logging: {levle: 'debug'}}));
			const deadline = Date.now() + 15_000;
			let reloaded: any;
			do {
				await new Promise((resolve) => setTimeout(resolve, 200));
				reloaded = await health();
			} while (reloaded.unknownKeys[0]?.path !== 'logging.levle' && Date.now() < deadline);
			assert.deepEqual(reloaded.unknownKeys, [{path: 'logging.levle', suggestion: 'level'}]);
			assert.match(await readFile(logFile, 'utf8'), /"level":"warn".*"message":"config: unknown key logging\.levle \(did you mean \\"level\\"\?\)"/);
		} finally {
			await gateway.stop();
			await instance.cleanup();
		}

		const stderr = String((await gateway.process).stderr);
		assert.match(stderr, /config: unknown key gateway\.prot \(did you mean "port"\?\) \(ignored\)/);
	});
});
