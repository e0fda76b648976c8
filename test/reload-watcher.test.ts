// The config file watcher: edits, atomic renames and deletes are seen (debounced); without fs.watch it polls.
import assert from 'node:assert/strict';
import {mkdir, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, test} from 'node:test';
import {ConfigFileWatcher} from '../gateway/reload/watcher.js';
import {tempDir} from './helpers/gateway.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error('timed out');
		}

		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

test('edits, atomic replaces and deletes each fire once after the debounce', async () => {
	const {dir, cleanup} = await tempDir('openclaw-watch-');
	cleanups.push(cleanup);
	const file = path.join(dir, 'openclaw.json');
	await writeFile(file, '{}');
	let fired = 0;
	const watcher = new ConfigFileWatcher(file, () => fired++, {debounceMs: 100});
	assert.equal(watcher.start(), 'fs.watch');
	try {
		for (let index = 0; index < 5; index++) {
			await writeFile(file, `{a: ${index}}`);
		}

		await waitFor(() => fired === 1);
		await writeFile(path.join(dir, 'unrelated.txt'), 'x');
		await new Promise((resolve) => setTimeout(resolve, 250));
		assert.equal(fired, 1, 'other files in the directory are ignored; a burst is one change');
		await writeFile(`${file}.tmp`, '{b: 1}');
		await rename(`${file}.tmp`, file);
		await waitFor(() => fired === 2);
		await rm(file);
		await waitFor(() => fired === 3);
	} finally {
		watcher.stop();
	}
});

test('falls back to polling when the directory cannot be watched, and still sees the file appear', async () => {
	const {dir, cleanup} = await tempDir('openclaw-watch-');
	cleanups.push(cleanup);
	const file = path.join(dir, 'not-yet', 'openclaw.json');
	let fired = 0;
	const watcher = new ConfigFileWatcher(file, () => fired++, {debounceMs: 50, pollMs: 50});
	assert.equal(watcher.start(), 'poll');
	try {
		await mkdir(path.dirname(file));
		await writeFile(file, '{}');
		await waitFor(() => fired >= 1);
	} finally {
		watcher.stop();
	}
});
