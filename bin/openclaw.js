#!/usr/bin/env node
// The published entry: runs the compiled CLI. `npm run build` (run by npm install, start and test) makes dist/.
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(compiled)) {
	console.error('openclaw: dist/cli.js is missing; run `npm run build` in the package directory first');
	process.exit(1);
}
await import(compiled);
