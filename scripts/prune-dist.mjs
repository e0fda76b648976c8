#!/usr/bin/env node
// tsc writes dist/ but never deletes from it: a module moved or removed in source/ or gateway/ leaves its old .js
// behind, and `npm pack` would ship it (22 such files had piled up in one long-lived checkout). After tsc, this
// removes each compiled file whose source is gone. The bundles and the Control UI (not tsc's output) are left alone.
import {existsSync, readdirSync, rmdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const notFromTsc = [/\.bundle\.c?js$/, /^control-ui\//];

/** The .ts/.tsx file `relative` (a .js path under dist/) was compiled from, if it still exists. */
function hasSource(relative) {
	const stem = path.join(root, relative.replace(/\.js$/, ''));
	return existsSync(`${stem}.ts`) || existsSync(`${stem}.tsx`);
}

/** Remove stale compiled files under `dir`; true when `dir` ends up empty. */
function prune(dir) {
	let empty = true;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		const relative = path.relative(dist, full).split(path.sep).join('/');
		if (entry.isDirectory()) {
			if (prune(full)) {
				rmdirSync(full);
				continue;
			}
		} else if (relative.endsWith('.js') && !notFromTsc.some((pattern) => pattern.test(relative)) && !hasSource(relative)) {
			rmSync(full);
			continue;
		}

		empty = false;
	}

	return empty;
}

if (existsSync(dist)) {
	prune(dist);
}
