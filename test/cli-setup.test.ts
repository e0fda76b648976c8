// `openclaw setup` and the profile paths: a valid starter config per profile, never overwritten without --force.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {parseConfigText} from '../source/protocol/config/load.js';
import {openclaw} from './helpers/cli-process.js';

describe('openclaw setup', () => {
	let home: string;
	let env: Record<string, string>;

	before(async () => {
		home = await mkdtemp(path.join(os.tmpdir(), 'openclaw-setup-'));
		env = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1'};
	});

	after(async () => {
		await rm(home, {recursive: true, force: true});
	});

	async function readConfig(file: string) {
		const raw = await readFile(file, 'utf8');
		return {raw, config: parseConfigText(raw, file) as any};
	}

	it('writes a valid starter config (mode local, generated token, default port) with mode 0600', async () => {
		const result = await openclaw(['setup'], env);
		assert.equal(result.exitCode, 0, result.stderr);
		const file = path.join(home, '.openclaw', 'openclaw.json');
		assert.match(result.stdout, new RegExp(`^Wrote ${file.replaceAll('.', '\\.')}$`, 'm'));
		const {config} = await readConfig(file);
		assert.equal(config.gateway.mode, 'local');
		assert.equal(config.gateway.port, 18_789);
		assert.equal(config.gateway.auth.mode, 'token');
		assert.ok(config.gateway.auth.token.length >= 24);
		assert.equal((await stat(file)).mode & 0o777, 0o600);
		assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
	});

	it('refuses to overwrite an existing config; --force replaces it with a new token', async () => {
		const file = path.join(home, '.openclaw', 'openclaw.json');
		const before = await readConfig(file);
		const refused = await openclaw(['setup'], env);
		assert.equal(refused.exitCode, 1);
		assert.match(refused.stderr, /config already exists at .*openclaw\.json: edit it, or pass --force/);
		assert.equal((await readConfig(file)).raw, before.raw);
		const forced = await openclaw(['setup', '--force'], env);
		assert.equal(forced.exitCode, 0, forced.stderr);
		assert.notEqual((await readConfig(file)).config.gateway.auth.token, before.config.gateway.auth.token);
	});

	it('--dev setup uses ~/.openclaw-dev and port 19001; --profile NAME its own dir', async () => {
		const dev = await openclaw(['--dev', 'setup', '--json'], env);
		assert.equal(dev.exitCode, 0, dev.stderr);
		const devReport = JSON.parse(dev.stdout);
		assert.equal(devReport.configPath, path.join(home, '.openclaw-dev', 'openclaw.json'));
		assert.equal(devReport.port, 19_001);
		assert.equal((await readConfig(devReport.configPath)).config.gateway.port, 19_001);

		const rescue = JSON.parse((await openclaw(['--profile', 'rescue', 'setup', '--json', '--port', '19011'], env)).stdout);
		assert.equal(rescue.configPath, path.join(home, '.openclaw-rescue', 'openclaw.json'));
		assert.equal((await readConfig(rescue.configPath)).config.gateway.port, 19_011);

		// Every client command resolves the same profile: its probe targets that profile's port.
		const status = JSON.parse((await openclaw(['--profile', 'rescue', 'gateway', 'status', '--json'], env)).stdout);
		assert.equal(status.config.path, rescue.configPath);
		assert.equal(status.gateway.probeUrl, 'ws://127.0.0.1:19011');
		assert.equal(JSON.parse((await openclaw(['--dev', 'gateway', 'status', '--json'], env)).stdout).gateway.probeUrl, 'ws://127.0.0.1:19001');
	});

	it('named profiles get distinct ports: one no other profile on this host uses (20 apart) and nothing listens on, and it says which', async () => {
		const host = await mkdtemp(path.join(os.tmpdir(), 'openclaw-setup-ports-'));
		const hostEnv = {...env, HOME: host};
		try {
			const a = await openclaw(['--profile', 'a', 'setup', '--json'], hostEnv);
			assert.equal(a.exitCode, 0, a.stderr);
			const portA = JSON.parse(a.stdout).port as number;
			const b = await openclaw(['--profile', 'b', 'setup'], hostEnv);
			assert.equal(b.exitCode, 0, b.stderr);
			const portB = (await readConfig(path.join(host, '.openclaw-b', 'openclaw.json'))).config.gateway.port as number;
			assert.notEqual(portB, portA);
			assert.ok(Math.abs(portB - portA) >= 20, `${portA} and ${portB} leave room for derived ports`);
			assert.match(b.stdout, new RegExp(`port ${portB} \\(${portA} is used by profile a\\b`));

			// A port something listens on is skipped too, and named.
			const next = portB + 20;
			const holder = net.createServer();
			const held = await new Promise<boolean>((resolve) => {
				holder.once('error', () => resolve(false));
				holder.listen(next, '127.0.0.1', () => resolve(true));
			});
			try {
				const c = await openclaw(['--profile', 'c', 'setup', '--json'], hostEnv);
				assert.equal(c.exitCode, 0, c.stderr);
				const report = JSON.parse(c.stdout);
				assert.ok(![portA, portB, next].includes(report.port), `picked ${report.port}`);
				if (held) {
					assert.ok(report.portNotes.some((note: string) => note.includes(`${next} is in use`)), report.portNotes.join('; '));
				}
			} finally {
				holder.close();
			}

			// An explicit --port is the operator's choice, taken as given.
			const d = JSON.parse((await openclaw(['--profile', 'd', 'setup', '--json', '--port', String(portA)], hostEnv)).stdout);
			assert.equal(d.port, portA);
		} finally {
			await rm(host, {recursive: true, force: true});
		}
	});

	it('OPENCLAW_CONFIG_PATH and OPENCLAW_STATE_DIR choose the files', async () => {
		const configPath = path.join(home, 'custom', 'a.json');
		const result = await openclaw(['setup', '--port', '19002'], {...env, OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: path.join(home, 'state-a')});
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`State dir: ${path.join(home, 'state-a').replaceAll('.', '\\.')}`));
		assert.equal((await readConfig(configPath)).config.gateway.port, 19_002);
	});

	it('--dev with --profile is a usage error', async () => {
		const result = await openclaw(['--dev', '--profile', 'x', 'setup'], env);
		assert.equal(result.exitCode, 2);
	});
});
