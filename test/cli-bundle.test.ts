// bin/openclaw.js runs the one-file CommonJS bundle of the CLI (scripts/bundle-cli.mjs) when it is fresh, and the
// compiled modules otherwise. Every other CLI test goes through the bundle; this one checks that the two give the same
// answers against a real gateway, that a stale bundle is passed over, and that a broken one falls back with a note.
// The fault cases run on a copy of bin/ and dist/ in a temp dir, never on the tree the other tests use.
import assert from 'node:assert/strict';
import {cp, mkdtemp, rm, stat, symlink, utimes, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {execa} from 'execa';
import {freeLoopbackPort} from '../source/supervisor/loopback.js';
import {makeInstance, openclaw, repoRoot, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

async function runWith(entry: string, args: string[], env: Record<string, string>) {
	const result = await execa('node', [entry, ...args], {env, extendEnv: false, reject: false, timeout: 30_000, stdin: 'ignore'});
	return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
}

describe('the bundled CLI', () => {
	let instance: Instance;
	let gateway: GatewayProcess;
	let copy: string;

	before(async () => {
		instance = await makeInstance({port: await freeLoopbackPort()});
		gateway = await startGatewayProcess(instance);
		copy = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bundle-'));
		await cp(path.join(repoRoot, 'bin'), path.join(copy, 'bin'), {recursive: true});
		await cp(path.join(repoRoot, 'dist'), path.join(copy, 'dist'), {recursive: true, preserveTimestamps: true});
		await cp(path.join(repoRoot, 'package.json'), path.join(copy, 'package.json'));
		await symlink(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
		await rm(copy, {recursive: true, force: true});
	});

	it('answers as the compiled modules do (health --json, gateway status --json, --version)', async () => {
		const modules = path.join(repoRoot, 'dist', 'cli.js');
		for (const args of [['health', '--json'], ['gateway', 'status', '--json'], ['--version']]) {
			const bundled = await openclaw(args, instance.env);
			const plain = await runWith(modules, args, instance.env);
			assert.equal(bundled.exitCode, plain.exitCode, args.join(' '));
			assert.equal(bundled.stderr, '', args.join(' '));
			if (args[0] === '--version') {
				assert.equal(bundled.stdout, plain.stdout);
				continue;
			}

			const [a, b] = [JSON.parse(bundled.stdout), JSON.parse(plain.stdout)] as Array<Record<string, any>>;
			assert.equal(a.ok, true);
			assert.equal(a.ok, b.ok);
			if (args[0] === 'gateway') {
				assert.equal(a.runtime.version, b.runtime.version);
				assert.notEqual(a.runtime.version, '0.0.0', 'the bundle finds package.json for the version');
				assert.deepEqual(a.service, b.service);
				assert.deepEqual(a.gateway, b.gateway);
			} else {
				assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
			}
		}
	});

	it('passes over a bundle older than the tsc output, and falls back to the modules from a broken one', async () => {
		const copyBin = path.join(copy, 'bin', 'openclaw.js');
		const bundle = path.join(copy, 'dist', 'source', 'commands', 'cli.bundle.cjs');
		await writeFile(bundle, 'throw new Error("corrupt bundle");\n');

		const broken = await runWith(copyBin, ['health'], instance.env);
		assert.equal(broken.exitCode, 0, broken.stderr);
		assert.match(broken.stderr, /the bundled CLI failed to load \(corrupt bundle\); using the modules/);
		assert.match(broken.stdout, /Gateway Health: OK/);

		const old = new Date(Date.now() - 3_600_000);
		await utimes(bundle, old, old);
		const stale = await runWith(copyBin, ['health'], instance.env);
		assert.equal(stale.exitCode, 0, stale.stderr);
		assert.equal(stale.stderr, '', 'a stale bundle is not even tried');
		assert.match(stale.stdout, /Gateway Health: OK/);
	});

	it('is made by the build, fresh, so bin/openclaw.js runs it', async () => {
		const bundle = await stat(path.join(repoRoot, 'dist', 'source', 'commands', 'cli.bundle.cjs'));
		const compiled = await stat(path.join(repoRoot, 'dist', 'cli.js'));
		assert.ok(bundle.mtimeMs >= compiled.mtimeMs, 'npm run build bundles after tsc');
	});
});
