// The house rule over the import graph (DESIGN.md): `gateway/` imports nothing from `source/` but the shared layer
// (`source/protocol/`: frames, codes, the config cluster, locks, listener scans, log reading), `source/` imports
// `gateway/` only to run it, and the shared layer stands alone (it imports neither side), so both can rely on it
// without pulling the other in. A new crossing fails here.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';

const root = path.join(import.meta.dirname, '..');

/** The one `source/` -> `gateway/` import: `openclaw gateway` runs it. */
const knownCrossings = new Set(['gateway/run']);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const file = path.join(dir, entry);
		if (statSync(file).isDirectory()) {
			return sourceFiles(file);
		}

		return /\.tsx?$/.test(entry) && !entry.endsWith('.d.ts') ? [file] : [];
	});
}

/** Every relative import (static, dynamic, re-export) of a file, as a repo path without extension. */
function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(/(?:\bfrom|\bimport\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) =>
		path.relative(root, path.resolve(path.dirname(file), match[1]!)).replace(/\.(js|ts|tsx|mjs)$/, ''),
	);
}

test('gateway/ reaches into source/ only for the shared protocol layer', () => {
	const crossings = sourceFiles(path.join(root, 'gateway')).flatMap((file) =>
		importsOf(file)
			.filter((target) => target.startsWith('source/') && !target.startsWith('source/protocol/'))
			.map((target) => `${path.relative(root, file)} -> ${target}`),
	);
	assert.deepEqual(crossings, []);
});

test('source/ reaches into gateway/ only through the known crossings, and the list holds no stale entry', () => {
	const seen = new Set<string>();
	const fresh: string[] = [];
	for (const file of [...sourceFiles(path.join(root, 'source')), path.join(root, 'cli.tsx')]) {
		for (const target of importsOf(file).filter((target) => target.startsWith('gateway/'))) {
			seen.add(target);
			if (!knownCrossings.has(target)) {
				fresh.push(`${path.relative(root, file)} -> ${target}`);
			}
		}
	}

	assert.deepEqual(fresh, [], 'new source/ -> gateway/ imports: put shared code in the shared layer (source/protocol/) instead');
	assert.deepEqual(
		[...knownCrossings].filter((target) => !seen.has(target)),
		[],
		'these crossings are gone: take them off the list',
	);
});

test('the shared layer (source/protocol/) imports nothing from gateway/ or the rest of source/', () => {
	const protocol = path.join(root, 'source', 'protocol');
	const outside = sourceFiles(protocol).flatMap((file) =>
		importsOf(file)
			.filter((target) => !target.startsWith('source/protocol/'))
			.map((target) => `${path.relative(root, file)} -> ${target}`),
	);
	assert.deepEqual(outside, []);
});
