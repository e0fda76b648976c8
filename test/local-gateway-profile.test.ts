// Which config, state dir and credentials a console-started gateway gets, and its exact argv and env.
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {childInvocation, resolveEmbeddedProfile} from '../source/supervisor/embedded-profile.js';
import {LocalGateway} from '../source/supervisor/local-gateway.js';
import {tempDir} from './helpers/gateway.js';

let home: {dir: string; cleanup: () => Promise<void>};
before(async () => {
	home = await tempDir('openclaw-profile-');
});
after(async () => {
	await home.cleanup();
});

function envWith(extra: Record<string, string> = {}): Record<string, string> {
	return {PATH: process.env.PATH ?? '', OPENCLAW_HOME: home.dir, ...extra};
}

describe('embedded profile', () => {
	test('nothing configured: unconfigured, no state dir yet (temporary), a generated token only in the env', () => {
		const profile = resolveEmbeddedProfile({}, envWith({OPENCLAW_GATEWAY_PASSWORD: 'shell-password', OPENCLAW_GATEWAY_URL: 'ws://elsewhere:1'}));
		assert.equal(profile.kind, 'unconfigured');
		assert.equal(profile.stateDir, undefined);
		assert.ok(profile.token && profile.token.length >= 32);
		const invocation = childInvocation({profile, stateDir: '/tmp/x', port: 4567, cliPath: '/pkg/bin/openclaw.js', nodePath: '/usr/bin/node'});
		assert.equal(invocation.file, '/usr/bin/node');
		assert.deepEqual(invocation.args, ['/pkg/bin/openclaw.js', 'gateway', '--port', '4567', '--allow-unconfigured']);
		assert.equal(invocation.env.OPENCLAW_GATEWAY_TOKEN, profile.token);
		assert.equal(invocation.env.OPENCLAW_STATE_DIR, '/tmp/x');
		assert.equal(invocation.env.OPENCLAW_CONFIG_PATH, '/tmp/x/openclaw.json');
		assert.equal(invocation.env.OPENCLAW_GATEWAY_PASSWORD, undefined, 'a shell password would clash with our token');
		assert.equal(invocation.env.OPENCLAW_GATEWAY_URL, undefined);
		assert.ok(!invocation.args.join(' ').includes(profile.token), 'the token is never on the command line');
	});

	test('two unconfigured gateways get different tokens', () => {
		assert.notEqual(resolveEmbeddedProfile({}, envWith()).token, resolveEmbeddedProfile({}, envWith()).token);
	});

	test('a profile whose config exists runs as that profile, with the configured token as client credential', async () => {
		const stateDir = path.join(home.dir, '.openclaw-work');
		await mkdir(stateDir, {recursive: true});
		await writeFile(path.join(stateDir, 'openclaw.json'), '{gateway: {mode: "local", auth: {token: "configured-token"}}}');
		const profile = resolveEmbeddedProfile({profile: 'work'}, envWith());
		assert.equal(profile.kind, 'configured');
		assert.equal(profile.stateDir, stateDir);
		assert.equal(profile.token, 'configured-token');
		const invocation = childInvocation({profile, stateDir, port: 1234, cliPath: 'cli.js', verbose: true});
		assert.deepEqual(invocation.args, ['cli.js', '--profile', 'work', 'gateway', '--port', '1234', '--verbose']);
		assert.equal(invocation.env.OPENCLAW_STATE_DIR, undefined, 'the profile decides, as for `openclaw --profile work gateway`');
		assert.ok(!invocation.args.includes('configured-token'));
	});

	test('a configured profile brings its own port (gateway.port, OPENCLAW_GATEWAY_PORT over it), so other terminals find it', async () => {
		const stateDir = path.join(home.dir, '.openclaw-ported');
		await mkdir(stateDir, {recursive: true});
		await writeFile(path.join(stateDir, 'openclaw.json'), '{gateway: {mode: "local", port: 39709, auth: {token: "t"}}}');
		assert.equal((resolveEmbeddedProfile({profile: 'ported'}, envWith()) as {port?: number}).port, 39_709);
		assert.equal((resolveEmbeddedProfile({profile: 'ported'}, envWith({OPENCLAW_GATEWAY_PORT: '39710'})) as {port?: number}).port, 39_710);
		const gateway = new LocalGateway({profile: 'ported', env: envWith()});
		assert.equal(gateway.port, undefined, 'decided when it starts');
		assert.equal(resolveEmbeddedProfile({}, envWith()).kind, 'unconfigured', 'a throwaway gateway has no port of its own');
	});

	test('--dev with a config runs `--dev gateway`; allowUnconfigured adds the flag', async () => {
		const stateDir = path.join(home.dir, '.openclaw-dev');
		await mkdir(stateDir, {recursive: true});
		await writeFile(path.join(stateDir, 'openclaw.json'), '{}');
		const profile = resolveEmbeddedProfile({dev: true}, envWith());
		assert.equal(profile.kind, 'configured');
		assert.equal(profile.token, undefined, 'no token yet: the gateway generates one into its state dir');
		const invocation = childInvocation({profile, stateDir, port: 1, cliPath: 'cli.js', allowUnconfigured: true});
		assert.deepEqual(invocation.args, ['cli.js', '--dev', 'gateway', '--port', '1', '--allow-unconfigured']);
	});

	test('an explicit state dir without config is used as is, reusing its token file', async () => {
		const dir = path.join(home.dir, 'explicit');
		await mkdir(dir, {recursive: true});
		await writeFile(path.join(dir, 'gateway.token'), 'file-token\n');
		const profile = resolveEmbeddedProfile({stateDir: dir}, envWith({OPENCLAW_CONFIG_PATH: '/nowhere/openclaw.json'}));
		assert.equal(profile.kind, 'unconfigured');
		assert.equal(profile.stateDir, dir);
		assert.equal(profile.token, 'file-token');
		const invocation = childInvocation({profile, stateDir: dir, port: 2, cliPath: 'cli.js'});
		assert.equal(invocation.env.OPENCLAW_CONFIG_PATH, path.join(dir, 'openclaw.json'), 'a stray OPENCLAW_CONFIG_PATH does not apply');
	});

	test('an explicit config path that exists is configured; an explicit token wins', async () => {
		const configPath = path.join(home.dir, 'custom.json5');
		await writeFile(configPath, '{gateway: {mode: "local", auth: {token: "from-config"}}}');
		const profile = resolveEmbeddedProfile({configPath, token: 'explicit-token'}, envWith());
		assert.equal(profile.kind, 'configured');
		assert.equal(profile.configPath, configPath);
		assert.equal(profile.token, 'explicit-token');
		assert.equal(profile.env.OPENCLAW_GATEWAY_TOKEN, 'explicit-token');
		assert.equal(profile.env.OPENCLAW_CONFIG_PATH, configPath);
	});

	test('a broken config file still counts as configured (the child reports it)', async () => {
		const configPath = path.join(home.dir, 'broken.json');
		await writeFile(configPath, '{not json5');
		assert.equal(resolveEmbeddedProfile({configPath}, envWith()).kind, 'configured');
	});
});
