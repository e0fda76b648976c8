// The package installs only what runs, and `npm start` builds only when something changed (issue 13).
import assert from 'node:assert/strict';
import {mkdir, readdir, readFile, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, test} from 'node:test';
import {markBuilt, staleReason} from '../scripts/build-if-stale.mjs';
import {freshBundle} from '../source/commands/load-bundled.js';
import {tempDir} from './helpers/gateway.js';

const root = path.join(import.meta.dirname, '..');

describe('a lean package', () => {
	test('build and test tools are devDependencies, never runtime ones', async () => {
		const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {dependencies: Record<string, string>; devDependencies: Record<string, string>};
		for (const tool of ['tsx', 'esbuild', 'typescript', 'ink-testing-library', 'fast-check', '@xterm/headless', 'playwright-core']) {
			assert.ok(!(tool in manifest.dependencies), `${tool} must not be a runtime dependency`);
		}

		assert.ok('tsx' in manifest.devDependencies);
	});

	test('the built entry points load nothing from tsx', async () => {
		for (const built of ['dist/cli.js', 'dist/source/commands/cli.bundle.cjs', 'dist/gateway/run.bundle.js']) {
			const text = await readFile(path.join(root, built), 'utf8').catch(() => '');
			assert.doesNotMatch(text, /(require\(|from |import\()\s*['"]tsx/, built);
		}
	});
});

describe('npm start builds only when an input is newer than the last build', () => {
	test('no stamp, a fresh stamp, then a changed source', async () => {
		const {dir, cleanup} = await tempDir('openclaw-build-stamp-');
		try {
			await mkdir(path.join(dir, 'source', 'console'), {recursive: true});
			await mkdir(path.join(dir, 'dist'));
			const file = path.join(dir, 'source', 'console', 'App.tsx');
			await writeFile(file, 'export {};\n');
			await writeFile(path.join(dir, 'package.json'), '{}\n');
			assert.equal(staleReason(dir), 'no build yet');
			markBuilt(dir);
			assert.equal(staleReason(dir), undefined);
			const later = new Date(Date.now() + 5000);
			await utimes(file, later, later);
			assert.equal(staleReason(dir), `${path.join('source', 'console', 'App.tsx')} changed since the last build`);
		} finally {
			await cleanup();
		}
	});

	test('this checkout, built by npm test, is current', () => {
		assert.equal(staleReason(root), undefined);
	});
});

describe('PERFORMANCE.md lists every speed trick', () => {
	test('each bundle script, each build-time patch and each V8 flag set at run time has its row', async () => {
		const page = await readFile(path.join(root, 'PERFORMANCE.md'), 'utf8');
		const scripts = (await readdir(path.join(root, 'scripts'))).filter((name) => name.startsWith('bundle-') || name.endsWith('-patches.mjs'));
		assert.ok(scripts.length >= 4);
		for (const script of scripts) {
			assert.ok(page.includes(script), `${script} is not in PERFORMANCE.md`);
			const source = await readFile(path.join(root, 'scripts', script), 'utf8');
			for (const [, plugin] of source.matchAll(/name: '([\w-]+)'/g)) {
				assert.ok(page.includes(plugin!), `the ${plugin} patch (${script}) is not in PERFORMANCE.md`);
			}
		}

		assert.ok(page.includes('--semi-space-growth-factor'));
		assert.ok(page.includes('OPENCLAW_NO_BUNDLES'));
	});
});

test('OPENCLAW_NO_BUNDLES=1 makes a fresh bundle step aside', () => {
	const bundle = new URL('../dist/gateway/run.bundle.js', import.meta.url);
	const source = new URL('../dist/gateway/run.js', import.meta.url);
	assert.equal(freshBundle(bundle, source), bundle.href);
	process.env.OPENCLAW_NO_BUNDLES = '1';
	try {
		assert.equal(freshBundle(bundle, source), undefined);
	} finally {
		delete process.env.OPENCLAW_NO_BUNDLES;
	}
});
