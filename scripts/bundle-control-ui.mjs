// Bundles the Control UI (source/control-ui/main.ts: the page's link, views, and the console's own state reducers,
// reads, log follower and keymap) for the browser into dist/control-ui/control-ui.js, with its stylesheet next to it.
// The gateway serves both files under gateway.controlUi.basePath (gateway/http-routes/control-ui.ts). Built from the
// TypeScript sources, so it does not wait for tsc. No framework: the page is a handful of cards updated in place.
import {copyFileSync, mkdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const outdir = fileURLToPath(new URL('../dist/control-ui/', import.meta.url));
mkdirSync(outdir, {recursive: true});
await build({
	entryPoints: [fileURLToPath(new URL('../source/control-ui/main.ts', import.meta.url))],
	outfile: `${outdir}control-ui.js`,
	bundle: true,
	platform: 'browser',
	format: 'esm',
	target: ['chrome111', 'firefox129', 'safari17'],
	minify: true,
	legalComments: 'none',
	logLevel: 'warning',
});
copyFileSync(fileURLToPath(new URL('../source/control-ui/control-ui.css', import.meta.url)), `${outdir}control-ui.css`);
