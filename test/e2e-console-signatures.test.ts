// End to end: each runbook failure signature produced for real, and the real `openclaw console` (built CLI, tmux)
// diagnosing it: the `problem` line under Runtime, the whole sentence with the fix in Logs, the key that applies the
// fix for a gateway the console started, and the line gone once the condition is. Words from the signature table.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {startTmuxConsole, type TmuxConsole} from './helpers/console-tmux.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv, writeConfig} from './helpers/gateway-process.js';
import {makeInstance, startGatewayProcess} from './helpers/cli-process.js';
import {diagnosisLine, diagnosisSentence, signature, type SignatureId} from '../source/protocol/signatures.js';

/** The Runtime pane's problem line, as the table words it. */
function problemLine(id: SignatureId, local: boolean): string {
	return `│problem  ${diagnosisLine(signature(id), local)}`;
}

/** The start of the Logs pane's sentence (the pane is wide, but the fix may still run past its edge). */
function logsSentence(id: SignatureId): string {
	return `diagnosis: ${diagnosisSentence(signature(id))}`.slice(0, 90);
}

async function localConsole(config: unknown, port: number): Promise<{term: TmuxConsole; configPath: string; cleanup: () => Promise<void>}> {
	const {dir, cleanup} = await tempDir('openclaw-e2e-signatures-');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, JSON.stringify(config));
	const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH});
		const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console', '--port', String(port)], env, columns: 160, rows: 40});
	return {
		term,
		configPath,
		async cleanup() {
			await term.kill();
			await cleanup();
		},
	};
}

const running = (screen: string) => screen.includes('│gateway  running') && screen.includes('link     connected');

test('a busy port: the console diagnoses it, S asks, then frees the port as --force does and starts', {timeout: 90_000}, async () => {
	const port = await freePort();
	// Another process on the port (not this test's, which --force would kill).
	const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('holding')); setTimeout(() => {}, 120000);`], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const holderExit = new Promise<string | null>((resolve) => {
		holder.once('exit', (_code, signal) => resolve(signal));
	});
	await new Promise<void>((resolve) => {
		holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve());
	});
	const {term, cleanup} = await localConsole({gateway: {mode: 'local'}}, port);
	try {
		await term.waitFor((screen) => screen.includes(problemLine('port-in-use', true)), 'the port-in-use problem line with its key', 30_000);
		await term.waitFor((screen) => screen.includes(logsSentence('port-in-use')), 'the diagnosis sentence in Logs');
		await term.keys('S');
		await term.waitFor((screen) => screen.includes(`Port ${port} is taken: stop what listens on it (as gateway --force does) and start?`), 'the force-start question');
		await term.keys('y');
		await term.waitFor((screen) => running(screen) && !screen.includes('│problem'), 'the gateway running, the problem line gone', 30_000);
		assert.equal(await holderExit, 'SIGTERM', 'the holder was stopped as --force does');
	} finally {
		holder.kill('SIGKILL');
		await cleanup();
	}
});

for (const [name, config, id, fixed] of [
	['a non-loopback bind without auth (gateway.bind lan, no secret)', {gateway: {mode: 'local', bind: 'lan'}}, 'bind-without-auth', {gateway: {mode: 'local', bind: 'loopback'}}],
	['gateway.mode remote', {gateway: {mode: 'remote'}}, 'mode-not-local', {gateway: {mode: 'local'}}],
] as const) {
	test(`${name}: the console diagnoses the failed start; after the fix, S starts it and the line goes`, {timeout: 90_000}, async () => {
		const port = await freePort();
		const {term, configPath, cleanup} = await localConsole(config, port);
		try {
			await term.waitFor((screen) => screen.includes(problemLine(id, true)), `the ${id} problem line`, 30_000);
			await term.waitFor((screen) => screen.includes(logsSentence(id)), 'the diagnosis sentence in Logs');
			await writeConfig(configPath, JSON.stringify(fixed));
			await term.keys('S');
			await term.waitFor((screen) => running(screen) && !screen.includes('│problem'), 'the gateway running, the problem line gone', 30_000);
		} finally {
			await cleanup();
		}
	});
}

test('a wrong token: the attached console diagnoses the refusal (no key: nothing it started)', {timeout: 90_000}, async () => {
	const instance = await makeInstance({port: await freePort()});
	const gateway = await startGatewayProcess(instance);
	const env = isolatedEnv(instance.home, {TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH});
	const term = await startTmuxConsole({
		command: [process.execPath, cliPath, 'console', '--url', `ws://127.0.0.1:${instance.port}`, '--token', 'not-the-token'],
		env,
		columns: 160,
		rows: 40,
	});
	try {
		await term.waitFor((screen) => screen.includes(problemLine('auth-token', false)), 'the token-refused problem line', 30_000);
		const screen = await term.waitFor((text) => text.includes(logsSentence('auth-token')) && text, 'the diagnosis sentence in Logs');
		assert.doesNotMatch(screen, /│problem {2}token refused;/, 'no key for an attached gateway');
	} finally {
		await term.kill();
		await gateway.stop();
		await instance.cleanup();
	}
});
