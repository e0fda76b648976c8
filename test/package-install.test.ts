// The package as a user gets it: `npm pack` of this (built) checkout, then `npm install -g` of the tarball into a
// temporary prefix. It ships only what runs, installs no build tool (tsx, esbuild, typescript are devDependencies),
// and the installed `openclaw` runs: --version, and `console --once` against a real gateway.
//
// The install reads the npm cache first (--prefer-offline) and asks the configured registry only for what the cache
// lacks: about 5 s here with a warm cache. Every step has its own time limit, so a registry that hangs fails the
// test instead of stalling the suite.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {execa} from 'execa';
import {startTestGateway, tempDir, type TestGateway} from './helpers/gateway.js';
import {isolatedEnv} from './helpers/gateway-process.js';

const root = path.join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {name: string; version: string};
/** Build and test tools: none of them may reach a user's node_modules. */
const buildTools = new Set(['tsx', 'esbuild', '@esbuild', 'typescript']);
/** Files npm adds whatever `files` says, and the package's own top-level files. */
const topLevelFiles = new Set(['package.json', 'README.md', 'LICENSE']);
/** dist/ files that are not tsc's output of a source file: the bundles, the Control UI, the build stamp. */
const notCompiled = [/\.bundle\.c?js$/, /^dist\/control-ui\//, /^dist\/\.build-stamp$/];

type PackResult = {filename: string; size: number; unpackedSize: number; entryCount: number; files: Array<{path: string}>};

let work: {dir: string; cleanup: () => Promise<void>};
let gateway: TestGateway;
let packed: PackResult;
let prefix: string;
const timings: Record<string, number> = {};

/** npm with this checkout's config but none of a parent npm's (`npm test` exports npm_config_* to its children). */
function npmEnv(): Record<string, string | undefined> {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
	const started = performance.now();
	try {
		return await run();
	} finally {
		timings[name] = Math.round(performance.now() - started);
	}
}

function directoriesNamed(names: Set<string>, dir: string, found: string[] = []): string[] {
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		if (!entry.isDirectory()) {
			continue;
		}

		const full = path.join(dir, entry.name);
		if (names.has(entry.name)) {
			found.push(path.relative(dir, full));
		}

		directoriesNamed(names, full, found);
	}

	return found;
}

function sizeOf(dir: string): number {
	let total = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		total += entry.isDirectory() ? sizeOf(full) : entry.isFile() ? statSync(full).size : 0;
	}

	return total;
}

before(async () => {
	assert.ok(existsSync(path.join(root, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
	work = await tempDir('openclaw-package-');
	gateway = await startTestGateway();
	// --ignore-scripts: `prepare` would build again; this checkout is built (npm test's pretest) and is what ships.
	const pack = await timed('pack', async () =>
		execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work.dir], {cwd: root, env: npmEnv(), extendEnv: false, timeout: 60_000}),
	);
	[packed] = JSON.parse(pack.stdout) as PackResult[];
	prefix = path.join(work.dir, 'prefix');
	await timed('install', async () =>
		execa(
			'npm',
			['install', '--global', '--prefix', prefix, path.join(work.dir, packed.filename), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
			{cwd: work.dir, env: npmEnv(), extendEnv: false, timeout: 150_000},
		),
	);
});

after(async () => {
	await gateway?.stop();
	await work?.cleanup();
});

test('the tarball holds only what runs: bin/, dist/ (no stale modules), package.json, README', (t) => {
	const paths = packed.files.map((file) => file.path);
	const stray = paths.filter((file) => !topLevelFiles.has(file) && !file.startsWith('bin/') && !file.startsWith('dist/'));
	assert.deepEqual(stray, [], 'outside bin/ and dist/');
	assert.deepEqual(
		paths.filter((file) => /\.tsx?$/.test(file) || /(^|\/)test\//.test(file)),
		[],
		'sources or tests',
	);
	// tsc never deletes from dist/: a compiled module whose source is gone must not ship (scripts/prune-dist.mjs).
	const stale = paths.filter(
		(file) =>
			file.startsWith('dist/') &&
			file.endsWith('.js') &&
			!notCompiled.some((pattern) => pattern.test(file)) &&
			!['.ts', '.tsx'].some((extension) => existsSync(path.join(root, file.slice('dist/'.length).replace(/\.js$/, extension)))),
	);
	assert.deepEqual(stale, [], 'compiled modules without a source');
	assert.ok(paths.includes('bin/openclaw.js') && paths.includes('dist/cli.js') && paths.includes('README.md'));
	// About 1 MB packed, 4 MB unpacked today; a build tool or node_modules slipping in would be many times that.
	assert.ok(packed.size < 4 * 1024 * 1024, `tarball is ${packed.size} bytes`);
	t.diagnostic(`tarball ${packed.size} bytes, ${packed.unpackedSize} unpacked, ${packed.entryCount} files`);
});

test('the install brings no build tool: no tsx, esbuild or typescript in its node_modules', (t) => {
	const installed = path.join(prefix, 'lib', 'node_modules', manifest.name);
	assert.ok(existsSync(installed), `not installed at ${installed}`);
	assert.deepEqual(directoriesNamed(buildTools, installed), []);
	t.diagnostic(`installed ${sizeOf(installed)} bytes (package and its dependencies); pack ${timings.pack} ms, install ${timings.install} ms`);
});

test('the installed openclaw runs: --version', async () => {
	const result = await execa(path.join(prefix, 'bin', 'openclaw'), ['--version'], {env: isolatedEnv(work.dir), extendEnv: false, reject: false, timeout: 30_000});
	assert.equal(result.exitCode, 0, result.stderr);
	assert.equal(result.stdout.trim(), manifest.version);
});

test('the installed openclaw runs: console --once against a real gateway', async () => {
	const result = await execa(path.join(prefix, 'bin', 'openclaw'), ['console', '--once', '--url', gateway.url, '--token', gateway.token], {
		env: isolatedEnv(work.dir),
		extendEnv: false,
		reject: false,
		stdin: 'ignore',
		timeout: 30_000,
	});
	assert.equal(result.exitCode, 0, result.stderr);
	for (const text of ['Runtime', 'Channels', 'Logs (last lines)', 'link      connected', `:${gateway.port}`]) {
		assert.ok(result.stdout.includes(text), `missing ${text}:\n${result.stdout}`);
	}
});
