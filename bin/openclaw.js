#!/usr/bin/env node
// The published entry. CommonJS (see bin/package.json): an ES module entry would start Node's ESM loader, ~10 ms of
// every command. Runs the one-file bundle of the CLI (scripts/bundle-cli.mjs) when it is at least as new as the tsc
// output it was made from, else the compiled modules. `npm run build` (run by npm install, start and test) makes both.
'use strict';
const {existsSync, statSync} = require('node:fs');
const path = require('node:path');
const {pathToFileURL} = require('node:url');

const dist = path.join(__dirname, '..', 'dist');
const compiled = path.join(dist, 'cli.js');
const bundle = path.join(dist, 'source', 'commands', 'cli.bundle.cjs');

function bundleIsFresh() {
	if (process.env.OPENCLAW_NO_BUNDLES === '1') {
		return false; // every bundle steps aside (see PERFORMANCE.md)
	}

	try {
		return statSync(bundle).mtimeMs >= statSync(compiled).mtimeMs;
	} catch {
		return false;
	}
}

if (!existsSync(compiled)) {
	console.error('openclaw: dist/cli.js is missing; run `npm run build` in the package directory first');
	process.exit(1);
}

let loaded = false;
if (bundleIsFresh()) {
	try {
		require(bundle);
		loaded = true;
	} catch (error) {
		process.stderr.write(`openclaw: the bundled CLI failed to load (${error.message}); using the modules\n`);
	}
}

if (!loaded) {
	import(pathToFileURL(compiled).href).catch((error) => {
		console.error(`openclaw: ${error.message}`);
		process.exitCode = 1;
	});
}
