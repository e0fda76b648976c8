// The failure signature table (source/protocol/signatures.ts): what each pattern catches (the words our gateway
// prints, the runbook's, OpenClaw's log lines and connect error detail codes), the fix text every user of the table
// writes, the console's diagnosis from it, doctor's reading of a log tail, and the README section it generates.
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {resolveGateway, StartError, type GatewayRunOptions} from '../gateway/run.js';
import {authFix} from '../source/client/auth-fix.js';
import {findSignatures, logSignatureChecks} from '../source/commands/doctor-log.js';
import {intentFor, routeKey} from '../source/console/intents.js';
import {consoleReducer, initialConsoleState, type ConsoleAction, type ConsoleState} from '../source/console/state/index.js';
import {runtimeLines} from '../source/console/state/view-lines.js';
import {computeLayout} from '../source/console/layout.js';
import {diagnosisLine, fixSentence, matchSignature, signature, signatures, signaturesMarkdown, withFix, type SignatureId} from '../source/protocol/signatures.js';
import {tempDir} from './helpers/gateway.js';

function idOf(text: string, code?: string): string | undefined {
	return matchSignature(text, code)?.id;
}

describe('the signature table', () => {
	test("the runbook's signatures, in its words", () => {
		assert.equal(idOf('refusing to bind gateway ... without auth'), 'bind-without-auth');
		assert.equal(idOf('another gateway instance is already listening'), 'port-in-use');
		assert.equal(idOf('Error: listen EADDRINUSE: address already in use 127.0.0.1:18789'), 'port-in-use');
		assert.equal(idOf('Gateway start blocked: set gateway.mode=local'), 'mode-not-local');
		assert.equal(idOf('unauthorized'), 'unauthorized');
	});

	test("OpenClaw's log lines and connect errors (../shared/reference)", () => {
		assert.equal(idOf('Gateway failed to start: another gateway instance is already listening on ws://127.0.0.1:18789'), 'port-in-use');
		assert.equal(idOf('Gateway start blocked: set gateway.mode=local (current: remote) or pass --allow-unconfigured.'), 'mode-not-local');
		assert.equal(idOf('Gateway start blocked: existing config is missing gateway.mode. ...'), 'mode-not-local');
		assert.equal(idOf('Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).'), 'config-missing');
		assert.equal(idOf('Refusing to bind gateway to lan without auth.'), 'bind-without-auth');
		assert.equal(
			idOf('refusing to bind gateway to 0.0.0.0:18789 without auth (set gateway.auth.token/password, or set OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD)'),
			'bind-without-auth',
		);
		assert.equal(idOf('Gateway auth is set to password, but no password is configured.'), 'password-not-set');
		assert.equal(idOf('gateway already running (pid 4242); lock timeout after 5000ms'), 'gateway-locked');
		assert.equal(idOf('Could not free port 18789: EPERM. Run openclaw gateway status --deep'), 'force-failed');
		assert.equal(idOf("unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)", 'AUTH_TOKEN_MISMATCH'), 'auth-token');
		assert.equal(idOf('unauthorized: gateway token missing (set OPENCLAW_GATEWAY_TOKEN or pass --token)'), 'auth-token');
		assert.equal(idOf("unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)"), 'auth-password');
		assert.equal(idOf('unauthorized: too many failed authentication attempts (retry later)'), 'auth-rate-limited');
		assert.equal(idOf('device identity required', 'DEVICE_IDENTITY_REQUIRED'), 'device-identity-required');
		assert.equal(idOf('pairing required: device is not paired'), 'pairing-required');
		assert.equal(idOf('protocol mismatch', 'PROTOCOL_MISMATCH'), 'protocol-mismatch');
		assert.equal(idOf('gateway starting; retry shortly'), 'gateway-starting');
		assert.equal(idOf('Too many unauthenticated sockets'), 'preauth-budget');
		assert.equal(idOf('invalid handshake: first request must be connect'), 'invalid-handshake');
	});

	test('too many pending sockets: the words both gateways really print match', () => {
		// Ours logs the eviction and closes the oldest socket with a reason; OpenClaw 2026.9.6 answers the upgrade 503.
		const server = readFileSync(new URL('../gateway/server.ts', import.meta.url), 'utf8');
		const logged = /logger\.warn\('([^']*unauthenticated[^']*)'/.exec(server)?.[1];
		const closed = /close\(closeCodes\.tryAgainLater, '([^']*unauthenticated[^']*)'\)/.exec(server)?.[1];
		assert.ok(logged && closed, 'gateway/server.ts no longer says why it closed an unauthenticated socket');
		assert.equal(idOf(logged), 'preauth-budget', logged);
		assert.equal(idOf(closed), 'preauth-budget', closed);
		assert.equal(idOf('rejectGatewayUpgradeServiceUnavailable: Too many unauthenticated sockets'), 'preauth-budget');
	});

	test('a detail code wins over the words; unknown codes fall back to them', () => {
		assert.equal(idOf('connect failed', 'AUTH_PASSWORD_MISMATCH'), 'auth-password');
		assert.equal(idOf('unauthorized: something new', 'AUTH_SOMETHING_NEW'), 'unauthorized');
		assert.equal(idOf('connect failed', 'PAIRING_REQUIRED'), 'pairing-required');
	});

	test('ordinary lines are not failures', () => {
		for (const line of ['listening on ws://127.0.0.1:18789', 'config reload applied', 'http server listening (14 plugins; 6.7s)', 'connect accepted', 'gateway stopping']) {
			assert.equal(idOf(line), undefined, line);
		}
	});

	test('each signature is found by its own words, ids are unique, and the console line fits the Runtime pane', () => {
		const room = computeLayout({columns: 120, rows: 40}).topWidths.runtime - 2 - 9;
		assert.equal(new Set(signatures.map((item) => item.id)).size, signatures.length);
		for (const item of signatures) {
			assert.equal(matchSignature(item.words)?.id, item.id, item.words);
			assert.ok(diagnosisLine(item, true).length <= room, `${diagnosisLine(item, true)} is wider than ${room}`);
			assert.ok(item.fix.length > 0 && item.means.length > 0);
		}
	});

	test('withFix appends the fix once, as one line; a message without a signature stays as it is', () => {
		assert.equal(withFix('another gateway instance is already listening on ws://127.0.0.1:1 (EADDRINUSE)'), `another gateway instance is already listening on ws://127.0.0.1:1 (EADDRINUSE). ${fixSentence(signature('port-in-use'))}`);
		assert.equal(withFix('Missing config.'), `Missing config. ${fixSentence(signature('config-missing'))}`);
		assert.equal(withFix('something else'), 'something else');
		assert.doesNotMatch(withFix('refusing to bind gateway to 0.0.0.0:1 without auth'), /\n/);
	});

	test("the client's auth fixes are the table's words", () => {
		assert.equal(authFix('token'), fixSentence(signature('auth-token')));
		assert.equal(authFix('password'), fixSentence(signature('auth-password')));
	});
});

describe('the words our gateway prints match the table', () => {
	async function startError(config: string, options: Partial<GatewayRunOptions> = {}): Promise<string> {
		const {dir, cleanup} = await tempDir('openclaw-signatures-');
		try {
			await mkdir(path.join(dir, 'state'), {recursive: true});
			await writeFile(path.join(dir, 'state', 'openclaw.json'), config);
			await assert.rejects(resolveGateway({port: 1, env: {HOME: dir, OPENCLAW_STATE_DIR: path.join(dir, 'state')}, ...options}), (error: unknown) => error instanceof StartError);
			try {
				await resolveGateway({port: 1, env: {HOME: dir, OPENCLAW_STATE_DIR: path.join(dir, 'state')}, ...options});
			} catch (error) {
				return (error as Error).message;
			}

			return '';
		} finally {
			await cleanup();
		}
	}

	test('bind lan without a secret, gateway.mode remote, mode unset, password mode without one: each its signature, with its fix', async () => {
		const cases: Array<[string, string]> = [
			[`{gateway: {mode: 'local', bind: 'lan'}}`, 'bind-without-auth'],
			[`{gateway: {mode: 'remote'}}`, 'mode-not-local'],
			[`{gateway: {}}`, 'mode-not-local'],
			[`{gateway: {mode: 'local', auth: {mode: 'password'}}}`, 'password-not-set'],
		];
		for (const [config, id] of cases) {
			const message = await startError(config);
			assert.equal(matchSignature(message)?.id, id, message);
			assert.ok(message.endsWith(fixSentence(signature(id as never))), message);
		}
	});
});

function reduce(state: ConsoleState, ...actions: ConsoleAction[]): ConsoleState {
	return actions.reduce(consoleReducer, state);
}

function problem(state: ConsoleState): string | undefined {
	return runtimeLines(state).find((line) => line.label === 'problem')?.value;
}

describe('the console diagnosis', () => {
	const busy = 'Gateway failed to start: another gateway instance is already listening on ws://127.0.0.1:18789 (EADDRINUSE). Fix: ...';

	test("a busy port in the child's stderr: one line under Runtime with the key; gone once the child runs", () => {
		let state = initialConsoleState({mode: 'local', now: 1000});
		state = reduce(state, {type: 'runtime/supervisor', state: {status: 'starting', port: 18789, restarts: 0}, at: 1000});
		state = reduce(state, {type: 'logs/append', lines: [{message: busy, source: 'stderr', time: new Date(1100).toISOString()}]});
		assert.equal(problem(state), 'port in use; S: force-start');
		assert.equal(state.diagnosis.current?.from, 'child');
		// Restart attempts keep it; a running child ends it.
		state = reduce(state, {type: 'runtime/supervisor', state: {status: 'restarting', port: 18789, restarts: 1}, at: 2000});
		assert.equal(problem(state), 'port in use; S: force-start');
		state = reduce(state, {type: 'runtime/supervisor', state: {status: 'running', port: 18789, pid: 7, restarts: 1}, at: 3000});
		assert.equal(problem(state), undefined);
		// The log tail read after connecting holds the old failure: history, not a diagnosis.
		state = reduce(state, {type: 'logs/append', lines: [{message: busy, source: 'file', time: new Date(1100).toISOString()}]});
		assert.equal(problem(state), undefined);
	});

	test('S on a busy port asks to force-start (default No); y asks the controller for it', () => {
		let state = initialConsoleState({mode: 'local', now: 1000});
		state = reduce(
			state,
			{type: 'runtime/supervisor', state: {status: 'backoff', port: 18789, restarts: 1}, at: 1000},
			{type: 'logs/append', lines: [{message: busy, source: 'stderr'}]},
		);
		const intent = intentFor('stopStart', state);
		assert.equal(intent.effect, undefined);
		state = reduce(state, ...intent.actions);
		assert.equal(state.ui.confirm?.kind, 'forceStart');
		assert.match(state.ui.confirm!.question, /Port 18789 is taken: stop what listens on it \(as gateway --force does\) and start\?/);
		assert.equal(state.ui.confirm?.answer, 'no');
		assert.equal(routeKey(state, {input: 'y', key: {}}).effect, 'forceStart');
		assert.equal(routeKey(state, {input: '', key: {return: true}}).effect, undefined);
	});

	test('a refused connect (attach): the signature from its detail code, no key; cleared when connected or when the link fails otherwise', () => {
		let state = initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', now: 1000});
		state = reduce(state, {type: 'connection/state', status: 'auth-failed', attempt: 1, error: 'unauthorized: gateway token mismatch', errorCode: 'AUTH_TOKEN_MISMATCH', at: 1000});
		assert.equal(problem(state), 'token refused');
		state = reduce(state, {type: 'connection/state', status: 'connected', attempt: 0, at: 2000});
		assert.equal(problem(state), undefined);
		state = reduce(state, {type: 'connection/state', status: 'reconnecting', attempt: 1, error: 'device identity required', errorCode: 'DEVICE_IDENTITY_REQUIRED', at: 3000});
		assert.equal(problem(state), 'device identity required');
		state = reduce(state, {type: 'connection/state', status: 'reconnecting', attempt: 2, error: 'Gateway not reachable at ws://127.0.0.1:1 (ECONNREFUSED).', at: 4000});
		assert.equal(problem(state), undefined);
	});

	test("the console's own lines and other clients' refusals in the log are not diagnosed", () => {
		let state = initialConsoleState({mode: 'local', now: 1000});
		state = reduce(state, {type: 'logs/append', lines: [{message: `gateway failed: ${busy}`, source: 'console'}]});
		state = reduce(state, {type: 'logs/append', lines: [{message: 'connect rejected: unauthorized: gateway token mismatch', source: 'file'}]});
		assert.equal(state.diagnosis.current, undefined);
	});
});

describe('doctor reads the log tail', () => {
	const line = (message: string, time = '2026-11-29T10:00:00.000Z') => JSON.stringify({time, level: 'error', subsystem: 'gateway', message});

	test('only what was logged since the gateway last listened counts, and only the newest failed start', () => {
		const lines = [
			line('Gateway failed to start: Gateway start blocked: set gateway.mode=local (current: remote)'),
			line('listening on ws://127.0.0.1:18789'),
			line('Gateway failed to start: refusing to bind gateway to 0.0.0.0:1 without auth'),
			line('Gateway failed to start: another gateway instance is already listening on ws://127.0.0.1:1 (EADDRINUSE)'),
			line('connect rejected: unauthorized: gateway token mismatch'),
			line('connect rejected: unauthorized: gateway token mismatch', '2026-11-29T10:05:00.000Z'),
		];
		const found = findSignatures(lines);
		assert.deepEqual(
			found.map((finding) => [finding.signature.id, finding.count]),
			[
				['port-in-use', 1],
				['auth-token', 2],
			],
		);
	});

	test('a failed start is a failure when no gateway answers, a warning when one does; the fix is the table fix', () => {
		const lines = [line('Gateway failed to start: another gateway instance is already listening on ws://127.0.0.1:1 (EADDRINUSE). Fix: stop it')];
		const [down] = logSignatureChecks({file: '/x.log', lines, gatewayUp: false});
		assert.equal(down.id, 'log:port-in-use');
		assert.equal(down.verdict, 'fail');
		assert.equal(down.fix, signature('port-in-use').fix);
		assert.match(down.message, /^port in use: the port is taken.* Seen in the log at 2026-11-29T10:00:00\.000Z: "Gateway failed to start: another gateway instance is already listening on ws:\/\/127\.0\.0\.1:1 \(EADDRINUSE\)"$/);
		assert.equal(logSignatureChecks({file: '/x.log', lines, gatewayUp: true})[0].verdict, 'warn');
		assert.deepEqual(
			logSignatureChecks({file: '/x.log', lines: [line('listening on ws://127.0.0.1:1')], gatewayUp: true}).map((check) => [check.id, check.verdict]),
			[['log', 'ok']],
		);
	});
});

test('the README section is the one the table generates', () => {
	const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
	assert.ok(readme.includes('## When something is wrong'));
	assert.ok(readme.includes(signaturesMarkdown()), 'README.md is stale: regenerate it with node --import tsx media/signatures-table.ts');
});

test("a config the gateway refuses to start with: the fix names the key to set, and S only starts again after it", () => {
	const rows = signaturesMarkdown().split('\n');
	const keys: Record<string, RegExp> = {
		'bind-without-auth': /set gateway\.auth\.token in the config file.*set gateway\.bind to "loopback" in the config file/,
		'mode-not-local': /set gateway\.mode to "local" in the config file/,
		'config-missing': /^openclaw setup \(writes the config file/,
		'password-not-set': /set gateway\.auth\.password in the config file.*set gateway\.auth\.mode to "token"/,
	};
	for (const [id, fix] of Object.entries(keys)) {
		const known = signature(id as SignatureId);
		assert.match(known.fix, fix, id);
		assert.equal(known.key?.afterFix, true, id);
		const row = rows.find((text) => text.startsWith(`| \`${known.words}`))!;
		assert.ok(row.endsWith('; then, in the console, `S` to start again |'), row);
	}

	const force = rows.find((text) => text.startsWith('| `another gateway instance'))!;
	assert.ok(force.endsWith('; in the console: `S` to force-start |'), 'a key that is the fix itself is said as one');
});
