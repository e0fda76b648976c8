// Bundles the console (dist/source/console/run.js and everything it loads: Ink, React, Yoga, the supervisor) into
// one file next to it, dist/source/console/run.bundle.js. Loading Ink's ~400 separate ES modules costs about half
// a second of start-up (each is resolved, read and linked on its own); one file loads in a fraction of that.
// `openclaw console` uses the bundle when it is present and at least as new as the tsc output, else the modules.
// Run after tsc (the `build` script does both).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {inkDevtoolsStub, inkFrameCaches, narrowFirst, yogaWasmBinary} from './console-bundle-patches.mjs';

const entry = fileURLToPath(new URL('../dist/source/console/run.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/source/console/run.bundle.js', import.meta.url));
if (!existsSync(entry)) {
	console.error('bundle-console: dist/source/console/run.js is missing; run `tsc -p tsconfig.json` first');
	process.exit(1);
}

await build({
	entryPoints: [entry],
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	// The console always runs React's production build (see source/commands/console.tsx); fixing it here drops the
	// development build from the bundle.
	define: {'process.env.NODE_ENV': '"production"'},
	plugins: [inkDevtoolsStub, yogaWasmBinary, narrowFirst, inkFrameCaches],
	// CommonJS dependencies (React, ws, cross-spawn...) call require() for Node's built-in modules.
	banner: {js: "import {createRequire as __bundleRequire} from 'node:module'; const require = __bundleRequire(import.meta.url);"},
	minifySyntax: true,
	minifyWhitespace: true,
	legalComments: 'none',
	logLevel: 'warning',
});
