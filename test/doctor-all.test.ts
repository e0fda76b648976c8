// `openclaw doctor --all` through the built CLI, over a private HOME holding several profiles: each shared port,
// state dir and workspace is reported with both profiles' names, the value and the fix; --fix moves a shared
// workspace inside the profile's own state dir (comments kept); --json for scripts.
import assert from 'node:assert/strict';
import {mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {openclaw} from './helpers/cli-process.js';

type Check = {id: string; verdict: string; message: string; value?: string | number; profiles: string[]; fix?: string; fixed?: string; repairable: boolean};
type Report = {ok: boolean; profiles: Array<{name: string; port: number; stateDir: string; configPath: string; workspaces: Array<{agentId: string; dir: string}>}>; checks: Check[]};

async function host(profiles: Record<string, string>): Promise<{home: string; env: Record<string, string>; cleanup(): Promise<void>}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-doctor-all-'));
	const home = path.join(dir, 'home');
	for (const [name, config] of Object.entries(profiles)) {
		await mkdir(path.join(home, `.openclaw-${name}`), {recursive: true, mode: 0o700});
		await writeFile(path.join(home, `.openclaw-${name}`, 'openclaw.json'), config, {mode: 0o600});
	}

	return {
		home,
		env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', OPENCLAW_SERVICE_MANAGER: 'detached'},
		cleanup: async () => rm(dir, {recursive: true, force: true}),
	};
}

async function report(env: Record<string, string>, ...args: string[]): Promise<{exitCode: number; report: Report}> {
	const result = await openclaw(['doctor', '--all', '--json', ...args], env);
	return {exitCode: result.exitCode, report: JSON.parse(result.stdout) as Report};
}

const config = (port: number, extra = '') => `{gateway: {mode: 'local', port: ${port}}${extra}}\n`;

describe('openclaw doctor --all', () => {
	it('profiles that share nothing: ok, exit 0, every profile listed', async () => {
		const machine = await host({a: config(19_200), b: config(19_240)});
		try {
			const {exitCode, report: out} = await report(machine.env);
			assert.equal(exitCode, 0, JSON.stringify(out));
			assert.equal(out.ok, true);
			assert.deepEqual(out.profiles.map((profile) => [profile.name, profile.port]), [['a', 19_200], ['b', 19_240]]);
			assert.equal(out.profiles[0].workspaces[0].dir, path.join(machine.home, '.openclaw-a', 'workspace'), 'the default workspace is inside the state dir');
			assert.deepEqual(out.checks.map((check) => [check.id, check.verdict]), [['port', 'ok'], ['config-path', 'ok'], ['state-dir', 'ok'], ['workspace', 'ok']]);
		} finally {
			await machine.cleanup();
		}
	});

	it('a shared port fails naming both profiles, the port and the fix; exit 1', async () => {
		const machine = await host({a: config(19_300), b: config(19_300)});
		try {
			const {exitCode, report: out} = await report(machine.env);
			assert.equal(exitCode, 1);
			const port = out.checks.find((check) => check.id === 'port')!;
			assert.equal(port.verdict, 'fail');
			assert.deepEqual(port.profiles, ['a', 'b']);
			assert.equal(port.value, 19_300);
			assert.match(port.message, /port 19300 is used by profile a .* and profile b /);
			assert.match(port.fix!, /set gateway\.port to 19320 in .*\.openclaw-b\/openclaw\.json, then openclaw --profile b gateway restart/);
			assert.equal(port.repairable, false, 'a port is left to the operator');
			const text = await openclaw(['doctor', '--all'], machine.env);
			assert.match(text.stdout, /^\[fail\] port: port 19300 is used by profile a/m);
			assert.match(text.stdout, /^ {7}fix: give profile b its own port/m);
		} finally {
			await machine.cleanup();
		}
	});

	it('a shared state dir (one linked under two names) fails naming both, with the command that separates them', async () => {
		const machine = await host({a: config(19_400)});
		try {
			await symlink(path.join(machine.home, '.openclaw-a'), path.join(machine.home, '.openclaw-b'));
			const {exitCode, report: out} = await report(machine.env);
			assert.equal(exitCode, 1);
			const stateDir = out.checks.find((check) => check.id === 'state-dir')!;
			assert.equal(stateDir.verdict, 'fail');
			assert.deepEqual(stateDir.profiles, ['a', 'b']);
			assert.equal(stateDir.value, path.join(machine.home, '.openclaw-a'));
			assert.equal(stateDir.fix, `give profile b its own state dir: rm ${path.join(machine.home, '.openclaw-b')} (a link to ${path.join(machine.home, '.openclaw-a')}), then openclaw --profile b setup`);
			// One state dir holds one config: both profiles read it, and the fix is the state dir's, not OPENCLAW_CONFIG_PATH.
			const configPath = out.checks.find((check) => check.id === 'config-path')!;
			assert.equal(configPath.verdict, 'fail');
			assert.deepEqual(configPath.profiles, ['a', 'b']);
			assert.equal(configPath.value, path.join(machine.home, '.openclaw-a', 'openclaw.json'));
			assert.match(configPath.message, /^config \S+ is used by profile a \(its config\) and profile b \(its config\)/);
			assert.equal(configPath.fix, `it is the config of their shared state dir: ${stateDir.fix}`);
			assert.equal(out.checks.find((check) => check.id === 'workspace' && check.verdict === 'fail')?.repairable ?? false, false, 'no repair writes through the link into the other profile');
		} finally {
			await machine.cleanup();
		}
	});

	it('a profile pointed at another\'s config by OPENCLAW_CONFIG_PATH: the config-path check names both and the fix', async () => {
		const machine = await host({a: config(19_600), b: config(19_640)});
		try {
			const aConfig = path.join(machine.home, '.openclaw-a', 'openclaw.json');
			const {exitCode, report: out} = await report({...machine.env, OPENCLAW_PROFILE: 'b', OPENCLAW_CONFIG_PATH: aConfig});
			assert.equal(exitCode, 1);
			const configPath = out.checks.find((check) => check.id === 'config-path')!;
			assert.equal(configPath.verdict, 'fail');
			assert.deepEqual([...configPath.profiles].sort(), ['a', 'b']);
			assert.equal(configPath.value, aConfig);
			assert.equal(configPath.fix, 'give profile b its own config: unset OPENCLAW_CONFIG_PATH for it, then openclaw --profile b setup');
		} finally {
			await machine.cleanup();
		}
	});

	it('a shared workspace fails naming both; --fix moves it inside the profile\'s own state dir, comments kept', async () => {
		const workspace = `, agents: {defaults: {workspace: '~/shared'}}`;
		const bConfig = `// profile b\n{\n  gateway: {mode: 'local', port: 19540}, // b's port\n  agents: {defaults: {workspace: '~/shared'}}, // was shared\n}\n`;
		const machine = await host({a: config(19_500, workspace), b: bConfig});
		try {
			const before = await report(machine.env);
			assert.equal(before.exitCode, 1);
			const shared = before.report.checks.find((check) => check.id === 'workspace')!;
			assert.equal(shared.verdict, 'fail');
			assert.deepEqual(shared.profiles, ['a', 'b']);
			assert.equal(shared.value, path.join(machine.home, 'shared'));
			assert.equal(shared.repairable, true);
			const own = path.join(machine.home, '.openclaw-b', 'workspace');
			assert.match(shared.fix!, new RegExp(`set agents\\.defaults\\.workspace to "${own}" in .*\\.openclaw-b/openclaw\\.json`));

			const fixed = await openclaw(['doctor', '--all', '--fix'], machine.env);
			assert.equal(fixed.exitCode, 0, fixed.stdout);
			assert.match(fixed.stdout, /^\[fixed\] workspace: /m);
			const text = await readFile(path.join(machine.home, '.openclaw-b', 'openclaw.json'), 'utf8');
			assert.equal(text, bConfig.replace("'~/shared'", `'${own}'`), 'only the value changed');
			assert.match(await readFile(path.join(machine.home, '.openclaw-a', 'openclaw.json'), 'utf8'), /'~\/shared'/, 'the owner keeps it');

			const after = await report(machine.env);
			assert.equal(after.exitCode, 0);
			assert.equal(after.report.checks.find((check) => check.id === 'workspace')?.verdict, 'ok');
		} finally {
			await machine.cleanup();
		}
	});
});
