// The house rule over the import graph (DESIGN.md): `gateway/` imports nothing from `source/` but the shared
// protocol layer (`source/protocol/`), and `source/` imports `gateway/` only to run it. Code both sides use still
// partly lives in `gateway/` (config, atomic files, listener scans, locks, log reading): those modules are listed
// below as the debt issue 13 pays off by moving them to the shared layer. The list only shrinks: a NEW crossing
// fails here, and so does an entry that nothing imports any more (take it off the list).
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';

const root = path.join(import.meta.dirname, '..');

/** `source/` -> `gateway/` imports that exist today: `gateway/run` is running it; the rest belong in the shared layer. */
const knownCrossings = new Set([
	'gateway/run',
	'gateway/agents/workspace', // where an agent works: config-derived, moves with the config cluster
	'gateway/config/edit-text', // the comment-keeping config writer (doctor --all --fix writes through it)
	'gateway/config/load',
	'gateway/config/paths',
	'gateway/config/schema',
	'gateway/config/token-file',
	'gateway/config/unknown-keys',
	'gateway/config/write',
	'gateway/force',
	'gateway/logs/location',
	'gateway/logs/runtime',
	'gateway/logs/segments',
	'gateway/logs/tail',
	'gateway/pid-lock',
	'gateway/process-identity',
	'gateway/state-lock',
	'gateway/version',
]);

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
