// Bad CLI input, through the built binary: a one-line error that names the problem and the fix, a non-zero exit,
// and nothing written.
import assert from 'node:assert/strict';
import {mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {after, before, describe, test} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, type Instance} from './helpers/cli-process.js';

let instance: Instance;
before(async () => {
	instance = await makeInstance({port: await freePort()});
});
after(async () => {
	await instance.cleanup();
});

function oneLine(text: string): string {
	const lines = text.trim().split('\n');
	assert.equal(lines.length, 1, `expected one line, got: ${text}`);
	return lines[0];
}

describe('bad input', () => {
	test('a typo\'d subcommand is a usage error with a suggestion, never a gateway started in the foreground', async () => {
		const typo = await openclaw(['gateway', 'stauts'], instance.env);
		assert.equal(typo.exitCode, 2);
		assert.match(oneLine(typo.stderr), /unknown command "gateway stauts"\. Did you mean "status"\? Known: run, status/);
		assert.doesNotMatch(typo.stdout + typo.stderr, /listening|failed to start/);
		const unknown = await openclaw(['gateway', 'frobnicate'], instance.env);
		assert.equal(unknown.exitCode, 2);
		assert.match(oneLine(unknown.stderr), /unknown command "gateway frobnicate"\. Known: /);
		const top = await openclaw(['statsu'], instance.env);
		assert.equal(top.exitCode, 2);
		assert.match(oneLine(top.stderr), /unknown command "statsu"\. Did you mean "status"\?/);
		const help = await openclaw(['gateway', 'run', '--help'], instance.env);
		assert.equal(help.exitCode, 0);
		assert.match(help.stdout, /Usage: openclaw gateway \[run\]/);
	});

	test('a word that only groups subcommands (fleet, channels) suggests among them, never itself', async () => {
		const typo = await openclaw(['fleet', 'statsu'], instance.env);
		assert.equal(typo.exitCode, 2);
		assert.match(oneLine(typo.stderr), /unknown command "fleet statsu"\. Did you mean "status"\? Known: status\. Run openclaw fleet status --help/);
		const bare = await openclaw(['channels'], instance.env);
		assert.equal(bare.exitCode, 2);
		assert.match(oneLine(bare.stderr), /"channels" needs a subcommand: status/);
		assert.doesNotMatch(bare.stderr, /Did you mean "channels"/);
		const top = await openclaw(['flet'], instance.env);
		assert.match(oneLine(top.stderr), /unknown command "flet"\. Did you mean "fleet"\?/);
		const badFlag = await openclaw(['fleet', 'status', '--nope'], instance.env);
		assert.equal(badFlag.exitCode, 2);
		assert.match(oneLine(badFlag.stderr), /Unknown option '--nope'.*openclaw fleet status --help/);
	});

	test('an unknown flag is a usage error naming the flag and the help', async () => {
		const result = await openclaw(['health', '--nope'], instance.env);
		assert.equal(result.exitCode, 2);
		assert.match(oneLine(result.stderr), /Unknown option '--nope'.*openclaw health --help/);
		assert.equal(result.stdout, '');
	});

	test('a URL that is not ws:// is refused before connecting', async () => {
		const result = await openclaw(['health', '--url', 'http://127.0.0.1:1', '--token', 't'], instance.env);
		assert.equal(result.exitCode, 2);
		assert.match(oneLine(result.stderr), /invalid gateway URL "http:\/\/127\.0\.0\.1:1" from --url: the scheme must be ws:\/\/ or wss:\/\//);
	});

	test('--url without credentials says to pass --token', async () => {
		const result = await openclaw(['status', '--url', 'ws://127.0.0.1:1'], instance.env);
		assert.equal(result.exitCode, 2);
		assert.match(oneLine(result.stderr), /requires explicit credentials: pass --token/);
	});

	test('bad numbers are named: --timeout and --port', async () => {
		const timeout = await openclaw(['gateway', 'status', '--timeout', 'soon'], instance.env);
		assert.equal(timeout.exitCode, 2);
		assert.match(oneLine(timeout.stderr), /invalid --timeout "soon": use a whole number of milliseconds/);
		const port = await openclaw(['health', '--port', '99999'], instance.env);
		assert.equal(port.exitCode, 2);
		assert.match(oneLine(port.stderr), /invalid port "99999" from --port: use a whole number from 1 to 65535/);
	});

	test('a config with a wrong type is named by key, and setup leaves it as it was', async () => {
		const broken = '{gateway: {mode: "local", port: "abc"}}\n';
		await writeFile(instance.configPath, broken, {mode: 0o600});
		try {
			const health = await openclaw(['health'], instance.env);
			assert.equal(health.exitCode, 1);
			assert.match(health.stderr, /warning: cannot use config .*openclaw\.json \(gateway\.port: expected number, received string\); using defaults/);
			const gateway = await openclaw(['gateway', '--port', String(instance.port)], instance.env);
			assert.equal(gateway.exitCode, 78);
			assert.match(gateway.stderr, /invalid config .*gateway\.port: expected number, received string/);
			const setup = await openclaw(['setup'], instance.env);
			assert.notEqual(setup.exitCode, 0);
			assert.match(oneLine(setup.stderr), /config already exists at .*: edit it, or pass --force/);
			assert.equal(await readFile(instance.configPath, 'utf8'), broken, 'nothing written');
		} finally {
			await rm(instance.configPath, {force: true});
		}
	});

	test('an unreadable config (a directory in its place) is reported with its path', async () => {
		await mkdir(instance.configPath);
		try {
			const health = await openclaw(['health'], instance.env);
			assert.equal(health.exitCode, 1);
			assert.match(health.stderr, /warning: cannot use config .*openclaw\.json \(read: EISDIR/);
			const gateway = await openclaw(['gateway', '--port', String(instance.port)], instance.env);
			assert.equal(gateway.exitCode, 78);
			assert.match(gateway.stderr, /cannot read config .*openclaw\.json/);
			assert.ok((await stat(instance.configPath)).isDirectory(), 'nothing replaced it');
		} finally {
			await rm(instance.configPath, {recursive: true, force: true});
		}
	});
});
