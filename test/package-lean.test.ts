// The package installs only what runs, and `npm start` builds only when something changed (issue 13).
import assert from 'node:assert/strict';
import {mkdir, readFile, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, test} from 'node:test';
import {markBuilt, staleReason} from '../scripts/build-if-stale.mjs';
import {tempDir} from './helpers/gateway.js';

const root = path.join(import.meta.dirname, '..');

describe('a lean package', () => {
	test('build and test tools are devDependencies, never runtime ones', async () => {
		const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {dependencies: Record<string, string>; devDependencies: Record<string, string>};
		for (const tool of ['tsx', 'esbuild', 'typescript', 'ink-testing-library', 'fast-check', '@xterm/headless']) {
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
