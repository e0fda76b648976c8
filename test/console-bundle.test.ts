// The console bundle (scripts/bundle-console.mjs) patches three of its dependencies at build time, and each patch
// steps aside with a warning when its package changes shape. A console that silently lost one would still work,
// only slower; this test makes the build's dependencies (the locked versions) prove that every patch applied.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';

const bundle = readFileSync(new URL('../dist/source/console/run.bundle.js', import.meta.url), 'utf8');

test('the console bundle carries its three build-time patches', () => {
	assert.ok(bundle.includes('caches=cachesCarryingLastFrame()'), "Ink's output carries the last frame's styled characters");
	assert.ok(bundle.includes('wasmBinary:Buffer.from('), 'Yoga gets its wasm bytes without fetch()');
	assert.ok(bundle.includes('function stringWidthByGraphemes('), 'string-width measures narrow text by its length first');
});
