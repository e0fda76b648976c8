// Bundles the `openclaw` command (dist/cli.js and the operator commands it loads on demand) into one CommonJS file,
// dist/source/commands/cli.bundle.cjs, which bin/openclaw.js runs when it is at least as new as the tsc output.
// Why CommonJS: on Node 20 an ES module entry starts the ESM loader (~10 ms), and each of the ~30 modules a command
// like `gateway status` needs is then resolved by URL and read asynchronously; one CommonJS file is read, compiled
// and run in about a third of that (18 ms against 50 on this machine), and that is most of a 150 ms budget.
// Left out, and loaded as the ES modules they are: `./console.js` and `./gateway-run.js` (each loads its own bundle),
// and the packages. Modules a command loads lazily stay lazy (esbuild wraps them), so their packages (zod) are
// required only when used. The file sits beside the commands so the paths they resolve from import.meta.url hold.
// Run after tsc (the `build` script does both).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const entry = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(entry)) {
	console.error('bundle-cli: dist/cli.js is missing; run `tsc -p tsconfig.json` first');
	process.exit(1);
}

const packages = ['ink', 'react', 'meow', 'ws', 'execa', 'zod', 'json5', 'conf', 'bufferutil', 'utf-8-validate'];

await build({
	entryPoints: [entry],
	outfile: fileURLToPath(new URL('../dist/source/commands/cli.bundle.cjs', import.meta.url)),
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	external: ['./console.js', './gateway-run.js', ...packages],
	// The modules read import.meta.url (paths beside them, createRequire) and meow wants import.meta itself.
	define: {'import.meta': '__importMeta'},
	banner: {js: "const __importMeta = {url: require('node:url').pathToFileURL(__filename).href};"},
	logLevel: 'warning',
});
