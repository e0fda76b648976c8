#!/usr/bin/env node
// `npm start` runs this instead of a full `npm run build`: a build (tsc and three bundles) is ~25 s on 2 cores, while
// the console itself is on screen in under a second. It builds only when some input of the build is newer than the
// stamp the last successful build left (dist/.build-stamp), and says why; `npm run build` still always builds.
import {spawnSync} from 'node:child_process';
import {readdirSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** What a build is made from: the sources, the build scripts, and the files that steer tsc and npm. */
export const buildInputs = ['cli.tsx', 'source', 'gateway', 'scripts', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestUnder(file) {
	let stats;
	try {
		stats = statSync(file);
	} catch {
		return undefined;
	}

	if (!stats.isDirectory()) {
		return {file, mtimeMs: stats.mtimeMs};
	}

	let newest;
	for (const entry of readdirSync(file)) {
		const found = newestUnder(path.join(file, entry));
		if (found && (!newest || found.mtimeMs > newest.mtimeMs)) {
			newest = found;
		}
	}

	return newest;
}

/** Why `root` needs a build (a file newer than the stamp, or no stamp), or undefined when dist/ is current. */
export function staleReason(root) {
	const stamp = path.join(root, 'dist', '.build-stamp');
	let built;
	try {
		built = statSync(stamp).mtimeMs;
	} catch {
		return 'no build yet';
	}

	for (const input of buildInputs) {
		const newest = newestUnder(path.join(root, input));
		if (newest && newest.mtimeMs > built) {
			return `${path.relative(root, newest.file)} changed since the last build`;
		}
	}

	return undefined;
}

export function markBuilt(root) {
	writeFileSync(path.join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
	if (process.argv[2] === '--mark') {
		markBuilt(root);
	} else {
		const reason = staleReason(root);
		if (reason) {
			process.stderr.write(`openclaw: building (${reason})...\n`);
			const result = spawnSync('npm', ['run', 'build', '--silent'], {cwd: root, stdio: 'inherit'});
			process.exit(result.status ?? 1);
		}
	}
}
