// Bundles the console (dist/source/console/run.js and everything it loads: Ink, React, Yoga, the supervisor) into
// one file next to it, dist/source/console/run.bundle.js. Loading Ink's ~400 separate ES modules costs about half
// a second of start-up (each is resolved, read and linked on its own); one file loads in a fraction of that.
// `openclaw console` uses the bundle when it is present and at least as new as the tsc output, else the modules.
// Run after tsc (the `build` script does both).
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';

const entry = fileURLToPath(new URL('../dist/source/console/run.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/source/console/run.bundle.js', import.meta.url));
if (!existsSync(entry)) {
	console.error('bundle-console: dist/source/console/run.js is missing; run `tsc -p tsconfig.json` first');
	process.exit(1);
}

/**
 * Ink loads its devtools (and react-devtools-core, not installed) only when DEV=true; inlined, that import would run
 * at load time. The stub fails as a missing package does, so Ink prints its usual hint instead.
 */
const inkDevtoolsStub = {
	name: 'ink-devtools-stub',
	setup(builder) {
		builder.onResolve({filter: /^\.\/devtools\.js$/}, (args) => (args.importer.includes(`${'node_modules'}/ink/`) ? {path: 'ink-devtools', namespace: 'stub'} : undefined));
		builder.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
			contents: "throw Object.assign(new Error('react-devtools-core is not bundled'), {code: 'ERR_MODULE_NOT_FOUND'});",
			loader: 'js',
		}));
	},
};

/**
 * Yoga's Emscripten loader fetches its inline wasm from a data: URL, and the first fetch() loads undici (~45 ms of
 * start-up). Handing it the same bytes as `wasmBinary` (a documented Emscripten option) skips the fetch. If the
 * package changes shape, the plugin steps aside and the original loader is bundled.
 */
const yogaWasmBinary = {
	name: 'yoga-wasm-binary',
	setup(builder) {
		builder.onLoad({filter: /yoga-layout[/\\]dist[/\\]src[/\\]index\.js$/}, (args) => {
			const directory = path.dirname(args.path);
			const binary = readFileSync(path.join(directory, '../binaries/yoga-wasm-base64-esm.js'), 'utf8');
			const base64 = /"data:application\/octet-stream;base64,([A-Za-z\d+/=]+)"/.exec(binary)?.[1];
			if (!base64 || !/loadYoga\(\)/.test(readFileSync(args.path, 'utf8'))) {
				console.warn('bundle-console: yoga-layout changed shape; bundling its own wasm loader');
				return undefined;
			}

			return {
				resolveDir: directory,
				loader: 'js',
				contents: [
					"import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
					"import wrapAssembly from './wrapAssembly.js';",
					`const Yoga = wrapAssembly(await loadYoga({wasmBinary: Buffer.from(${JSON.stringify(base64)}, 'base64')}));`,
					'export default Yoga;',
					"export * from './generated/YGEnums.js';",
				].join('\n'),
			};
		});
	},
};

/**
 * string-width measures every line of every frame. The console's frames are ASCII plus box-drawing borders, and any
 * non-ASCII character sends string-width down its grapheme path (Intl.Segmenter and Unicode-property regexes: 55 ms
 * to warm up on the first frame, then ~0.1 ms a line). The wrapper counts such text by its length first. Which
 * characters may take that path is decided here by string-width itself: each candidate must measure 1 on its own;
 * none of the candidate blocks holds combining marks, joiners or emoji components, so widths add up.
 */
const candidateRanges = [
	[0x20, 0x7e],
	[0xa0, 0xff],
	[0x2010, 0x2027],
	[0x2190, 0x21ff],
	[0x2500, 0x25ff],
];

function characterClass(codes) {
	const hex = (code) => `\\u${code.toString(16).padStart(4, '0')}`;
	const parts = [];
	for (let index = 0; index < codes.length; index++) {
		let end = index;
		while (end + 1 < codes.length && codes[end + 1] === codes[end] + 1) {
			end++;
		}

		parts.push(end === index ? hex(codes[index]) : `${hex(codes[index])}-${hex(codes[end])}`);
		index = end;
	}

	return parts.join('');
}

const narrowFirst = {
	name: 'string-width-narrow-first',
	setup(builder) {
		builder.onLoad({filter: /[/\\]string-width[/\\]index\.js$/}, async (args) => {
			const source = readFileSync(args.path, 'utf8');
			const signature = /^export default function stringWidth\((\w+), options = \{\}\) \{$/m;
			if (!signature.test(source) || !/^import stripAnsi from 'strip-ansi';$/m.test(source)) {
				console.warn(`bundle-console: ${args.path} changed shape; bundling it unchanged`);
				return undefined;
			}

			const {default: measure} = await import(pathToFileURL(args.path).href);
			const narrow = [];
			for (const [first, last] of candidateRanges) {
				for (let code = first; code <= last; code++) {
					if (measure(String.fromCharCode(code)) === 1) {
						narrow.push(code);
					}
				}
			}

			return {
				loader: 'js',
				resolveDir: path.dirname(args.path),
				contents: `${source.replace(signature, 'function stringWidthByGraphemes($1, options = {}) {')}
const narrowText = /^[${characterClass(narrow)}]*$/;
export default function stringWidth(input, options = {}) {
	if (typeof input === 'string' && options.ambiguousIsNarrow !== false && !options.countAnsiEscapeCodes) {
		const plain = input.includes('\\u001B') || input.includes('\\u009B') ? stripAnsi(input) : input;
		if (narrowText.test(plain)) {
			return plain.length;
		}
	}

	return stringWidthByGraphemes(input, options);
}
`,
			};
		});
	},
};

/**
 * Ink turns every line it draws into styled characters (ANSI tokenizing, one object per character), through caches
 * that belong to one frame: the next frame does it all again, and that was the largest part of a frame's cost and
 * garbage. Here the characters of the previous frame are carried over, so a line that did not change (borders, the
 * status panes, a log view that is not moving) is not tokenized again. At most two frames' lines are held, and the
 * shared objects are only read (Output.get places them in its grid and reads their styles). If Ink's output module
 * changes shape, the plugin steps aside and Ink is bundled unchanged.
 */
const inkFrameCaches = {
	name: 'ink-frame-caches',
	setup(builder) {
		builder.onLoad({filter: /[/\\]ink[/\\]build[/\\]output\.js$/}, (args) => {
			const source = readFileSync(args.path, 'utf8');
			const field = '    caches = new OutputCaches();';
			if (!source.includes(field) || !/getStyledChars\(line\) \{/.test(source)) {
				console.warn(`bundle-console: ${args.path} changed shape; bundling it unchanged`);
				return undefined;
			}

			return {
				loader: 'js',
				resolveDir: path.dirname(args.path),
				contents: `${source.replace(field, '    caches = cachesCarryingLastFrame();')}
let lastFrameChars = new Map();
function cachesCarryingLastFrame() {
    const caches = new OutputCaches();
    const previous = lastFrameChars;
    lastFrameChars = caches.styledChars;
    const tokenizeLine = caches.getStyledChars.bind(caches);
    caches.getStyledChars = (line) => {
        let chars = caches.styledChars.get(line);
        if (chars === undefined) {
            chars = previous.get(line);
            if (chars === undefined) {
                return tokenizeLine(line);
            }
            caches.styledChars.set(line, chars);
        }
        return chars;
    };
    return caches;
}
`,
			};
		});
	},
};

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
