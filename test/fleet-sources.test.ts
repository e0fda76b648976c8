// Where the fleet comes from: the profiles found under home (each resolved with its own config, port and token), the
// fleet file (JSON5, every problem named by entry and key), and the console's own store (conf, 0600).
import assert from 'node:assert/strict';
import {chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {consoleConfigDir, defaultFleetFile} from '../source/fleet/config-dir.js';
import {ConsoleStore, consoleStoreFile} from '../source/fleet/console-store.js';
import {dial} from '../source/fleet/credentials.js';
import {FleetFileError, loadFleetFile, parseFleetText} from '../source/fleet/fleet-file.js';
import {discoverProfiles, profileTarget} from '../source/fleet/profiles.js';
import {loadFleet} from '../source/fleet/sources.js';
import {SshHostPool} from '../source/fleet/ssh-hosts.js';

let dir: string;
let home: string;
let env: Record<string, string | undefined>;

async function profile(name: string, config: Record<string, unknown> | undefined, token?: string): Promise<string> {
	const stateDir = path.join(home, name);
	await mkdir(stateDir, {recursive: true});
	if (config) {
		await writeFile(path.join(stateDir, 'openclaw.json'), JSON.stringify(config));
	}

	if (token) {
		await writeFile(path.join(stateDir, 'gateway.token'), token, {mode: 0o600});
	}

	return stateDir;
}

before(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-fleet-'));
	home = path.join(dir, 'home');
	await mkdir(home);
	// OPENCLAW_HOME is how the CLI's own resolution (resolvePaths) is pointed at another home.
	env = {OPENCLAW_HOME: home, XDG_CONFIG_HOME: path.join(dir, 'xdg')};
	await profile('.openclaw', {gateway: {mode: 'local', port: 18789, auth: {token: 'default-token'}}});
	await profile('.openclaw-main', {gateway: {mode: 'local', port: 18801, auth: {token: 'main-token'}}});
	await profile('.openclaw-dev', undefined, 'dev-file-token');
	await profile('.openclaw-bad name', {});
	await writeFile(path.join(home, '.openclaw-notadir'), '');
});

after(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('profiles on this host', () => {
	test('every profile state dir under home, each with its own port and token', async () => {
		const found = discoverProfiles(env);
		assert.deepEqual(found.map((entry) => entry.name), ['default', 'dev', 'main']);
		const targets = await Promise.all(found.map(async (entry) => profileTarget(entry, env)));
		assert.deepEqual(
			targets.map((target) => [target.url, target.token]),
			[
				['ws://127.0.0.1:18789', 'default-token'],
				// --dev's port, and the token the gateway generated in its state dir
				['ws://127.0.0.1:19001', 'dev-file-token'],
				['ws://127.0.0.1:18801', 'main-token'],
			],
		);
	});

	test('the environment\'s overrides belong to the profile it selects, not to its neighbours', async () => {
		const selected = {...env, OPENCLAW_PROFILE: 'main', OPENCLAW_GATEWAY_PORT: '18999', OPENCLAW_GATEWAY_TOKEN: 'env-token'};
		const found = discoverProfiles(selected);
		assert.equal(found[0].name, 'main');
		assert.equal(found[0].fromEnv, true);
		const byName = new Map(await Promise.all(found.map(async (entry) => [entry.name, await profileTarget(entry, selected)] as const)));
		assert.equal(byName.get('main')!.url, 'ws://127.0.0.1:18999');
		assert.equal(byName.get('main')!.token, 'env-token');
		assert.equal(byName.get('default')!.url, 'ws://127.0.0.1:18789');
		assert.equal(byName.get('default')!.token, 'default-token');
	});

	test('OPENCLAW_STATE_DIR outside home is one more profile, with its config', async () => {
		const elsewhere = path.join(dir, 'elsewhere', '.openclaw-a');
		await mkdir(elsewhere, {recursive: true});
		await writeFile(path.join(elsewhere, 'openclaw.json'), JSON.stringify({gateway: {port: 19555, auth: {token: 'a-token'}}}));
		const withState = {...env, OPENCLAW_STATE_DIR: elsewhere};
		const found = discoverProfiles(withState);
		assert.deepEqual(found.map((entry) => entry.name), ['a', 'default', 'dev', 'main']);
		const target = await profileTarget(found[0], withState);
		assert.equal(target.url, 'ws://127.0.0.1:19555');
		assert.equal(target.token, 'a-token');
	});

	test('a token changed on disk is read at the next connect', async () => {
		const stateDir = await profile('.openclaw-rotating', {gateway: {port: 18802, auth: {token: 'first'}}});
		const entry = discoverProfiles(env).find((item) => item.name === 'rotating')!;
		const pool = async () => new SshHostPool([]);
		assert.equal((await dial(entry, env, pool)).token, 'first');
		await writeFile(path.join(stateDir, 'openclaw.json'), JSON.stringify({gateway: {port: 18802, auth: {token: 'second'}}}));
		assert.equal((await dial(entry, env, pool)).token, 'second');
		await rm(stateDir, {recursive: true});
	});
});

describe('the fleet file', () => {
	const file = '/etc/fleet.json5';

	test('url and ssh entries, JSON5, paths from ~ and relative to the file', () => {
		const parsed = parseFleetText(
			`{
				// comments and trailing commas: JSON5
				gateways: [
					{name: 'alpha', url: 'ws://127.0.0.1:19001', token: 't'},
					{name: 'vps', ssh: 'ops@vps.example:2222', identity: '~/.ssh/id', tokenFile: 'vps.token'},
					{name: 'pw', url: 'wss://gw.example', password: 'p'},
				],
			}`,
			file,
			env,
		);
		assert.equal(parsed.profiles, true);
		assert.deepEqual(parsed.entries[0], {kind: 'url', name: 'alpha', url: 'ws://127.0.0.1:19001', auth: {token: 't', tokenFile: undefined, password: undefined}, origin: {source: 'file', path: file}});
		const vps = parsed.entries[1];
		assert.equal(vps.kind, 'ssh');
		assert.ok(vps.kind === 'ssh');
		assert.equal(vps.remotePort, 18789);
		assert.equal(vps.identity, path.join(home, '.ssh/id'));
		assert.equal(vps.auth.tokenFile, '/etc/vps.token');
		assert.equal(parseFleetText('{profiles: false}', file, env).profiles, false);
	});

	test('each problem is named by its entry and key, all at once', () => {
		const bad = `{gateways: [
			{name: 'a', url: 'http://x'},
			{name: 'b', ssh: 'ops@host', remotePort: '22'},
			{name: 'c'},
			{name: 'd', url: 'ws://h:1', token: 't', tokenFile: 'f'},
			{name: 'a', url: 'ws://h:2', colour: 'red'},
			{name: 'e', ssh: '-oProxyCommand=x'},
		]}`;
		let error: FleetFileError | undefined;
		try {
			parseFleetText(bad, file, env);
		} catch (caught) {
			error = caught as FleetFileError;
		}

		assert.ok(error instanceof FleetFileError);
		assert.equal(error.name, 'UsageError', 'the CLI exits 2 on it');
		assert.equal(error.issues.length, 6);
		const text = error.issues.join('\n');
		assert.match(text, /gateways\[0\] "a": url: "http:\/\/x" is not a ws:\/\/ or wss:\/\/ URL/);
		assert.match(text, /gateways\[1\] "b": remotePort: expected number, received string/);
		assert.match(text, /gateways\[2\] "c": needs either url \(ws:\/\/host:port\) or ssh/);
		assert.match(text, /gateways\[3\] "d": give one of token, tokenFile, password \(got token and tokenFile\)/);
		assert.match(text, /gateways\[4\] "a": \(entry\): unknown key colour/);
		assert.match(text, /gateways\[5\] "e": ssh: invalid ssh target/);
		assert.match(error.message, /^fleet file \/etc\/fleet\.json5: /);
	});

	test('syntax errors, a wrong top-level key, a duplicate name', () => {
		assert.throws(() => parseFleetText('{gateways: [', file, env), /fleet file \/etc\/fleet\.json5: not valid JSON5: /);
		assert.throws(() => parseFleetText('{gateway: []}', file, env), /\(root\): unknown key gateway/);
		assert.throws(() => parseFleetText('{gateways: [{name: "x", url: "ws://a:1"}, {name: "x", url: "ws://a:2"}]}', file, env), /gateways\[1\] "x": name: used by an earlier entry/);
	});

	test('the default file may be absent; a named one may not', async () => {
		const missing = path.join(dir, 'nope.json5');
		assert.deepEqual(loadFleetFile(missing, env, false).entries, []);
		assert.throws(() => loadFleetFile(missing, env, true), /nope\.json5: no such file\. Fix: check the path given to --fleet/);
	});

	test('a token in clear in a file others can read is warned about', async () => {
		const open = path.join(dir, 'open.json5');
		await writeFile(open, '{gateways: [{name: "a", url: "ws://h:1", token: "t"}]}');
		await chmod(open, 0o644);
		assert.match(loadFleetFile(open, env, true).warnings.join(''), /holds a secret in clear \(a\) and others can read it\. Fix: chmod 600/);
		await chmod(open, 0o600);
		assert.deepEqual(loadFleetFile(open, env, true).warnings, []);
	});

	test('its default home is the console\'s config dir', () => {
		assert.equal(consoleConfigDir(env), path.join(dir, 'xdg', 'openclaw'));
		assert.equal(consoleConfigDir({OPENCLAW_HOME: home}), path.join(home, '.config', 'openclaw'));
		assert.equal(defaultFleetFile(env), path.join(dir, 'xdg', 'openclaw', 'fleet.json5'));
	});
});

describe('the console\'s store (conf)', () => {
	test('added gateways and preferences persist, in a 0600 file whatever the umask', async () => {
		const storeEnv = {...env, XDG_CONFIG_HOME: path.join(dir, 'store-xdg')};
		const previous = process.umask(0o022);
		try {
			const store = new ConsoleStore(storeEnv);
			store.addGateway({name: 'added', url: 'ws://127.0.0.1:19002', token: 'secret-token'});
			store.setPreferences({sort: 'latency'});
			assert.equal(store.path, consoleStoreFile(storeEnv));
			assert.equal((await stat(store.path)).mode & 0o777, 0o600);
			assert.equal((await stat(path.dirname(store.path))).mode & 0o777, 0o700);
			const reopened = new ConsoleStore(storeEnv);
			assert.equal(reopened.preferences().sort, 'latency');
			assert.deepEqual(reopened.gateways().entries.map((entry) => entry.name), ['added']);
			assert.throws(() => reopened.addGateway({name: 'bad', url: 'http://x'}), /gateway "bad": url: "http:\/\/x" is not a ws:\/\//);
			assert.equal(reopened.removeGateway('added'), true);
			assert.deepEqual(new ConsoleStore(storeEnv).gateways().entries, []);
		} finally {
			process.umask(previous);
		}
	});

	test('a loosened store file is tightened back to 0600 when opened', async () => {
		const storeEnv = {...env, XDG_CONFIG_HOME: path.join(dir, 'loose-xdg')};
		const store = new ConsoleStore(storeEnv);
		store.addGateway({name: 'x', url: 'ws://h:1', token: 't'});
		await chmod(store.path, 0o644);
		void new ConsoleStore(storeEnv);
		assert.equal((await stat(store.path)).mode & 0o777, 0o600);
		assert.match(await readFile(store.path, 'utf8'), /"name": "x"/);
	});
});

describe('the fleet, all sources together', () => {
	test('profiles, then the file, then the console\'s entries; a reused name is left out with a warning', async () => {
		const xdg = path.join(dir, 'all-xdg');
		const allEnv = {...env, XDG_CONFIG_HOME: xdg};
		const store = new ConsoleStore(allEnv);
		store.addGateway({name: 'from-console', url: 'ws://127.0.0.1:19003', token: 't'});
		store.addGateway({name: 'main', url: 'ws://127.0.0.1:19004', token: 't'});
		await writeFile(defaultFleetFile(allEnv), '{gateways: [{name: "alpha", url: "ws://127.0.0.1:19001", tokenFile: "alpha.token"}]}', {mode: 0o600});
		const fleet = await loadFleet({env: allEnv});
		assert.deepEqual(fleet.entries.map((entry) => `${entry.origin.source}:${entry.name}`), ['profile:default', 'profile:dev', 'profile:main', 'file:alpha', 'console:from-console']);
		assert.match(fleet.warnings.join('\n'), /left out: .*console\.json "main": the name is already used/);
		assert.equal(fleet.fleetFile.exists, true);
		await writeFile(defaultFleetFile(allEnv), '{profiles: false}');
		assert.deepEqual((await loadFleet({env: allEnv})).entries.map((entry) => entry.name), ['from-console', 'main']);
	});

	test('a read-only look does not create the console\'s store', async () => {
		const quietEnv = {...env, XDG_CONFIG_HOME: path.join(dir, 'quiet-xdg')};
		await loadFleet({env: quietEnv});
		await assert.rejects(stat(consoleStoreFile(quietEnv)), /ENOENT/);
	});
});

describe('SshHostPool as the fleet changes', () => {
	const sshEntry = (name: string, ssh: string, remotePort: number) => ({kind: 'ssh' as const, name, ssh, remotePort, auth: {}, origin: {source: 'console' as const}});

	test('an added gateway shares its host connection when the port is forwarded, else the connection is remade with every port', async () => {
		const first = sshEntry('a', 'ops@one:22', 18_789);
		const pool = new SshHostPool([first]);
		const original = pool.tunnelFor(first)!;
		const samePort = sshEntry('b', 'ops@one:22', 18_789);
		pool.add(samePort);
		assert.equal(pool.tunnelFor(samePort), original, 'the port is forwarded already: the same connection');
		const otherPort = sshEntry('c', 'ops@one:22', 19_001);
		pool.add(otherPort);
		const remade = pool.tunnelFor(otherPort)!;
		assert.notEqual(remade, original);
		assert.equal(pool.tunnelFor(first), remade, 'one connection per host still');
		assert.deepEqual([remade.options.remotePort, ...(remade.options.moreRemotePorts ?? [])], [18_789, 19_001]);
		const elsewhere = sshEntry('d', 'ops@two:22', 18_789);
		pool.add(elsewhere);
		assert.equal(pool.size, 2);
		await pool.remove(elsewhere);
		assert.equal(pool.size, 1, "the last gateway of a host takes the host's connection");
		await pool.remove(first);
		await pool.remove(samePort);
		assert.equal(pool.size, 1, 'c still needs it');
		await pool.remove(otherPort);
		assert.equal(pool.size, 0);
		await pool.close();
	});
});
