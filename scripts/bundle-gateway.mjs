// Bundles the foreground gateway (dist/gateway/run.js and what it loads: zod, json5, the services) into one file
// next to it, dist/gateway/run.bundle.js: about 70 ms to load instead of about 120 ms for the separate modules, which
// is most of what stands between `openclaw gateway` and a listening port. ws stays outside (gateway/server.ts loads
// it with require(), which is cheaper than bundling its CommonJS). `openclaw gateway` uses the bundle when it is
// present and at least as new as the tsc output. Run after tsc (the `build` script does both). Its patch (zod's bound
// methods made on first use) is in scripts/gateway-bundle-patches.mjs.
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {zodLazyBinds} from './gateway-bundle-patches.mjs';

const entry = fileURLToPath(new URL('../dist/gateway/run.js', import.meta.url));
if (!existsSync(entry)) {
	console.error('bundle-gateway: dist/gateway/run.js is missing; run `tsc -p tsconfig.json` first');
	process.exit(1);
}

await build({
	entryPoints: [entry],
	outfile: fileURLToPath(new URL('../dist/gateway/run.bundle.js', import.meta.url)),
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	external: ['bufferutil', 'utf-8-validate'],
	plugins: [zodLazyBinds],
	// CommonJS dependencies bundled into ESM still call require().
	banner: {js: "import {createRequire as __openclawCreateRequire} from 'node:module'; const require = __openclawCreateRequire(import.meta.url);"},
	logLevel: 'warning',
});
