// Property tests for the security rules (issue 18), with fast-check: generated path-valued settings, prototype keys,
// origins and escape sequences, each against the real code path (a real gateway over a real socket where there is
// one). Seeded and bounded: FC_SEED reproduces a run; each property runs a fixed number of cases.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import fc from 'fast-check';
import {parseConfigText} from '../source/protocol/config/load.js';
import {isLoopbackHost} from '../source/protocol/config/paths.js';
import {terminalSafe, terminalSafeJson} from '../source/cli-output/terminal-safe.js';
import {consoleReducer, initialConsoleState} from '../source/console/state/index.js';
import {channelLines, reloadLines} from '../source/console/state/view-lines.js';
import {prototypeKeys} from '../source/protocol/config/object-keys.js';
import {chooseLogFile} from '../source/protocol/logs/location.js';
import {applyMergePatch} from '../gateway/methods/config-merge-patch.js';
import {redactConfig, restoreRedacted} from '../gateway/methods/config-redact.js';
import {authedSocket, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
const settings = (numRuns: number) => ({seed, numRuns, endOnFailure: true});
console.log(`property-security: FC_SEED=${seed}`);

/** A real gateway for the enclosing describe block, with an admin socket on it (getters: they exist once `before` ran). */
function adminGatewayPerSuite(): {gateway: () => TestGateway; socket: () => RawSocket} {
	let gateway: TestGateway | undefined;
	let socket: RawSocket | undefined;
	before(async () => {
		gateway = await startTestGateway();
		socket = await authedSocket(gateway.url, {scopes: ['operator.admin']});
	});
	after(async () => {
		socket?.close();
		await gateway?.stop();
	});
	return {gateway: () => gateway!, socket: () => socket!};
}

/** Path spellings an attacker reaches for: traversal, absolute, home, symlink-ish, NUL, odd names, near-misses of `.log`. */
const hostilePath = fc.oneof(
	fc.constantFrom('/etc/passwd', '~/.bashrc', '../openclaw.json', '../gateway.token', '/dev/stdout', '/proc/self/fd/1', 'gateway.log\u0000.sh'),
	fc
		.array(fc.constantFrom('..', '.', 'logs', 'sub', '', '~', 'x.log', 'gateway.log', '.ssh', 'id_ed25519', '%2e%2e', 'a\\b', 'ü.log'), {minLength: 1, maxLength: 6})
		.chain((parts) => fc.constantFrom(parts.join('/'), `/${parts.join('/')}`)),
	fc.tuple(fc.string({maxLength: 12}), fc.constantFrom('.log', '.log.1', '.logx', '.LOG', '', '.log/..')).map(([name, suffix]) => `${name}${suffix}`),
);

describe('path-valued settings', () => {
	test('chooseLogFile: whatever the setting, the chosen file is a *.log directly in the log directory', () => {
		const logDir = '/srv/state/logs';
		fc.assert(
			fc.property(hostilePath, (configured) => {
				const choice = chooseLogFile(logDir, configured);
				if (choice.ok) {
					assert.equal(path.dirname(choice.file), logDir);
					assert.match(path.basename(choice.file), /^[\w-][\w.-]*\.log$/);
				} else {
					assert.match(choice.error, /^logging\.file: /);
				}
			}),
			settings(2000),
		);
	});

	const {gateway, socket} = adminGatewayPerSuite();

	test('config.patch of logging.file over a real socket: refused with the file untouched, or the log stays in logs/', async () => {
		const logDir = path.join(gateway().stateDir, 'logs');
		await fc.assert(
			fc.asyncProperty(hostilePath, async (configured) => {
				const before = await socket().call('config.get', {});
				const res = await socket().call('config.patch', {raw: JSON.stringify({logging: {file: configured}}), baseHash: before.payload.hash});
				if (!res.ok) {
					assert.equal(res.error.code, 'INVALID_REQUEST', JSON.stringify(res.error));
					const afterwards = await socket().call('config.get', {});
					assert.equal(afterwards.payload.hash, before.payload.hash, 'a refused write must leave the file as it was');
					return;
				}

				const health = await socket().call('health', {});
				const file = health.payload.logging.file as string;
				assert.equal(path.dirname(file), logDir, `log file ${file} for setting ${JSON.stringify(configured)}`);
			}),
			settings(60),
		);
	});
});

/** JSON text of an object tree whose keys include the prototype keys at any depth (own keys, as JSON.parse makes them). */
const configKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'gateway', 'auth', 'mode', 'token', 'logging', 'file', 'x');
const objectText = (value: fc.Arbitrary<string>) =>
	fc.array(fc.tuple(configKey, value), {maxLength: 4}).map((entries) => `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${item}`).join(', ')}}`);
const {jsonObjectText} = fc.letrec<{jsonObjectText: string; valueText: string}>((tie) => ({
	valueText: fc.oneof(
		{depthSize: 'small'},
		fc.constantFrom('null', 'true', '1', '"none"', '"token"', '""'),
		fc.array(tie('valueText'), {maxLength: 3}).map((items) => `[${items.join(', ')}]`),
		tie('jsonObjectText'),
	),
	jsonObjectText: objectText(tie('valueText')),
}));

function hasPrototypeKey(value: unknown): boolean {
	if (Array.isArray(value)) {
		return value.some((item) => hasPrototypeKey(item));
	}

	return typeof value === 'object' && value !== null && Object.keys(value).some((key) => prototypeKeys.has(key) || hasPrototypeKey((value as Record<string, unknown>)[key]));
}

describe('prototype keys', () => {
	test('config text with a prototype key anywhere never parses into a config; copies of it never gain a prototype', () => {
		fc.assert(
			fc.property(jsonObjectText, (text) => {
				const parsed = JSON.parse(text);
				let accepted = true;
				try {
					parseConfigText(text, 'openclaw.json');
				} catch (error) {
					accepted = false;
					if (hasPrototypeKey(parsed)) {
						assert.match((error as Error).message, /key not allowed/);
					}
				}

				if (hasPrototypeKey(parsed)) {
					assert.equal(accepted, false, text);
				}

				for (const copy of [applyMergePatch({}, parsed), redactConfig(parsed), restoreRedacted(parsed, {})]) {
					assert.equal(Object.getPrototypeOf(copy), Object.prototype);
					assert.equal((copy as Record<string, unknown>).mode === 'none' && !Object.hasOwn(copy as object, 'mode'), false);
				}

				assert.equal(({} as Record<string, unknown>).mode, undefined, 'Object.prototype polluted');
			}),
			settings(3000),
		);
	});

	const {gateway, socket} = adminGatewayPerSuite();

	test('config.patch / config.set on a real socket: a body with a prototype key is refused and the file stays', async () => {
		await fc.assert(
			// Only bodies that hold a prototype key: an accepted write would restart the gateway under the property.
			fc.asyncProperty(jsonObjectText.filter((text) => hasPrototypeKey(JSON.parse(text))), fc.constantFrom('config.patch', 'config.set', 'config.apply'), async (text, method) => {
				const before = await socket().call('config.get', {});
				const res = await socket().call(method, {raw: text, baseHash: before.payload.hash});
				assert.equal(res.ok, false, text);
				assert.equal(res.error.code, 'INVALID_REQUEST');
				assert.match(res.error.message, /key not allowed/);
				assert.equal((await socket().call('config.get', {})).payload.hash, before.payload.hash);

				const probe = new RawSocket(gateway().url);
				try {
					const tokenless = await probe.connect({auth: undefined});
					assert.equal(tokenless.ok, false, 'auth must stay on');
				} finally {
					probe.close();
				}
			}),
			settings(80),
		);
	});
});

/** An origin host with what it is, by construction: a real loopback spelling, or a name/address that is not. */
const octet = fc.integer({min: 0, max: 255});
// Plain DNS labels (no hyphens: 'xn--' would make a punycode label that the URL parser may refuse).
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const originHost: fc.Arbitrary<[host: string, loopback: boolean]> = fc.oneof(
	fc.tuple(octet, octet, octet).map(([a, b, c]): [string, boolean] => [`127.${a}.${b}.${c}`, true]),
	fc.constantFrom<[string, boolean]>(['127.1', true], ['0x7f.0.0.1', true], ['[::1]', true], ['[::ffff:127.0.0.1]', true], ['[0:0:0:0:0:0:0:1]', true], ['localhost', true], ['LOCALHOST', true], ['localhost.', true]),
	fc.tuple(octet, label).map(([a, name]): [string, boolean] => [`127.${a}.${name}.com`, false]),
	label.map((name): [string, boolean] => [`127.0.0.1.${name}.io`, false]),
	label.map((name): [string, boolean] => [`localhost.${name}.example`, false]),
	fc.tuple(fc.integer({min: 1, max: 223}).filter((a) => a !== 127), octet, octet, octet).map(([a, b, c, d]): [string, boolean] => [`${a}.${b}.${c}.${d}`, false]),
	fc.constantFrom<[string, boolean]>(['[::2]', false], ['[::ffff:10.0.0.1]', false], ['[fe80::1]', false], ['evil.example', false], ['127', false]),
);
const origin = fc
	.tuple(fc.constantFrom('http', 'https'), originHost, fc.option(fc.integer({min: 1, max: 65_535}), {nil: undefined}))
	.map(([scheme, [host, loopback], port]): [string, boolean] => [`${scheme}://${host}${port === undefined ? '' : `:${port}`}`, loopback]);

describe('origins', () => {
	test('isLoopbackHost accepts exactly the real loopback spellings', () => {
		fc.assert(
			fc.property(origin, ([text, loopback]) => {
				assert.equal(isLoopbackHost(new URL(text).hostname.replace(/^\[|\]$/g, '')), loopback, text);
			}),
			settings(5000),
		);
	});

	let gateway: TestGateway;
	before(async () => {
		gateway = await startTestGateway();
	});
	after(async () => gateway?.stop());

	test('a WebSocket upgrade with a generated Origin opens exactly when the origin is loopback', async () => {
		await fc.assert(
			fc.asyncProperty(origin, async ([text, loopback]) => {
				const socket = new RawSocket(gateway.url, {headers: {Origin: text}});
				const outcome = await socket.opened.then(
					() => 'open',
					(error: Error) => error.message,
				);
				socket.close();
				assert.equal(outcome, loopback ? 'open' : 'HTTP 403', text);
			}),
			settings(150),
		);
	});
});

/** Text with escape sequences and controls mixed in: what a hostile gateway, log line or channel API sends. */
const plainText = fc.stringMatching(/^[ -~]{0,12}$/);
const hostileSequence = fc.oneof(
	fc.tuple(fc.array(fc.integer({min: 0, max: 999}), {maxLength: 4}), fc.constantFrom('m', 'H', 'J', 'K', 'A', 'h', 'l', 't', 'n')).map(([params, final]) => `\u001B[${params.join(';')}${final}`),
	fc.tuple(fc.constantFrom('0', '2', '8', '52', '1337'), plainText, fc.constantFrom('\u0007', '\u001B\\', '\u009C', '')).map(([code, body, end]) => `\u001B]${code};${body}${end}`),
	fc.tuple(fc.constantFrom('P', 'X', '^', '_'), plainText).map(([kind, body]) => `\u001B${kind}${body}\u001B\\`),
	fc.tuple(fc.constantFrom('\u009B', '\u009D', '\u0090'), plainText).map(([c1, body]) => `${c1}${body}\u009C`),
	fc.integer({min: 0, max: 0x1f}).map((code) => String.fromCharCode(code)),
	fc.integer({min: 0x7f, max: 0x9f}).map((code) => String.fromCharCode(code)),
	fc.constantFrom('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200F', '\uFEFF', '\u001B'),
);
const hostileText = fc.array(fc.oneof(plainText, hostileSequence), {maxLength: 8}).map((parts) => parts.join(''));
/** What a terminal would act on rather than print (newline aside: callers split rows on it). */
const actionable = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200F\uFEFF]/;

describe('escape sequences', () => {
	test('terminalSafe leaves nothing a terminal acts on, and plain text as it was; terminalSafeJson keeps the value', () => {
		fc.assert(
			fc.property(hostileText, plainText, (text, plain) => {
				assert.doesNotMatch(terminalSafe(text), actionable, JSON.stringify(text));
				assert.doesNotMatch(terminalSafe(text), /\n/);
				assert.equal(terminalSafe(plain), plain);
				const json = terminalSafeJson(JSON.stringify({text}));
				assert.doesNotMatch(json, actionable);
				assert.equal(JSON.parse(json).text, text);
			}),
			settings(5000),
		);
	});

	test('whatever a gateway says about its channels and config, the pane lines the console draws are safe', () => {
		fc.assert(
			fc.property(hostileText, hostileText, hostileText, (name, error, key) => {
				let state = initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1'});
				state = consoleReducer(state, {
					type: 'channels/status',
					payload: {channelOrder: [name], channelLabels: {[name]: name}, channelAccounts: {[name]: [{accountId: name, configured: true, lastError: error, probe: {ok: false, error}}]}},
					at: 0,
				});
				state = consoleReducer(state, {type: 'reload/health', payload: {mode: 'hybrid', pendingPaths: [key], configError: error}, at: 0});
				for (const line of [...channelLines(state, 10_000), ...reloadLines(state)]) {
					assert.doesNotMatch(line.label + line.value, actionable);
				}
			}),
			settings(1500),
		);
	});
});
