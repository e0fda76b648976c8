// Each build-time patch of the console bundle (scripts/console-bundle-patches.mjs) broken on purpose: fed a file of
// a shape it was not written for, it steps aside (the file is bundled unchanged, with a warning); and the frame-cache
// patch, run against Ink objects that lack what it assumes, hands back Ink's own caches instead of failing a frame.
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {frameCacheCarry, inkFrameCaches, narrowFirst, yogaWasmBinary} from '../scripts/console-bundle-patches.mjs';
import {tempDir} from './helpers/gateway.js';

type OnLoad = (args: {path: string}) => unknown;

/** The onLoad handler a plugin registers, called as esbuild would. */
function onLoadOf(plugin: {setup(builder: unknown): void}): OnLoad {
	let handler: OnLoad | undefined;
	plugin.setup({
		onLoad: (_options: unknown, callback: OnLoad) => {
			handler = callback;
		},
		onResolve: () => {},
	});
	return handler!;
}

async function quietly<T>(run: () => Promise<T> | T): Promise<{result: T; warnings: string[]}> {
	const warnings: string[] = [];
	const warn = console.warn;
	console.warn = (message: string) => warnings.push(String(message));
	try {
		return {result: await run(), warnings};
	} finally {
		console.warn = warn;
	}
}

test('each build-time patch steps aside, with a warning, from a file of another shape', async () => {
	const {dir, cleanup} = await tempDir('openclaw-patches-');
	try {
		const ink = path.join(dir, 'node_modules', 'ink', 'build', 'output.js');
		const width = path.join(dir, 'node_modules', 'string-width', 'index.js');
		const yoga = path.join(dir, 'node_modules', 'yoga-layout', 'dist', 'src', 'index.js');
		for (const file of [ink, width, yoga]) {
			await mkdir(path.dirname(file), {recursive: true});
			await writeFile(file, 'export default function somethingElse() {}\n');
		}

		await mkdir(path.join(dir, 'node_modules', 'yoga-layout', 'dist', 'binaries'), {recursive: true});
		await writeFile(path.join(dir, 'node_modules', 'yoga-layout', 'dist', 'binaries', 'yoga-wasm-base64-esm.js'), 'export default 1;\n');
		for (const [plugin, file] of [
			[inkFrameCaches, ink],
			[narrowFirst, width],
			[yogaWasmBinary, yoga],
		] as const) {
			const {result, warnings} = await quietly(() => onLoadOf(plugin)({path: file}));
			assert.equal(result, undefined, `${plugin.name} bundles the file unchanged`);
			assert.equal(warnings.length, 1, `${plugin.name} says so`);
			assert.match(warnings[0]!, /changed shape/);
		}
	} finally {
		await cleanup();
	}
});

test('the frame-cache patch, at run time, leaves an Ink without what it assumes unpatched', () => {
	// The patch's code in one module scope over a given OutputCaches class, as the bundle has it: one call a frame.
	const patchedFrames = (OutputCaches: new () => object) => new Function('OutputCaches', `${frameCacheCarry}\nreturn cachesCarryingLastFrame;`)(OutputCaches) as () => object;

	// Ink as the patch knows it: the same styled characters come back for an unchanged line of the next frame.
	class KnownCaches {
		styledChars = new Map<string, string[]>();
		tokenized = 0;
		getStyledChars(line: string) {
			this.tokenized++;
			const chars = [...line];
			this.styledChars.set(line, chars);
			return chars;
		}
	}

	const knownFrame = patchedFrames(KnownCaches);
	const first = knownFrame() as KnownCaches;
	const chars = first.getStyledChars('│ Runtime │');
	const second = knownFrame() as KnownCaches;
	assert.equal(second.getStyledChars('│ Runtime │'), chars, 'carried over from the last frame');
	assert.equal(second.tokenized, 0);

	// An Ink whose caches changed shape: no styledChars Map. The patch must hand back Ink's caches as they are.
	class ChangedCaches {
		styled = new WeakMap();
		getStyledChars(line: string) {
			return [...line];
		}
	}

	const changed = patchedFrames(ChangedCaches)() as ChangedCaches;
	assert.ok(changed instanceof ChangedCaches);
	assert.deepEqual(changed.getStyledChars('ab'), ['a', 'b']);
	assert.equal(Object.hasOwn(changed, 'getStyledChars'), false, 'not wrapped');
});
