// The console bundle's build-time patches (used by scripts/bundle-console.mjs; each listed in PERFORMANCE.md). Each
// checks the shape of the file it patches and steps aside, bundling it unchanged with a warning, when the shape is not
// the one it was written for; the frame-cache patch also checks Ink's objects at run time. Kept apart from the build
// so test/console-bundle-patches.test.ts can break each assumption on purpose.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

/**
 * Ink loads its devtools (and react-devtools-core, not installed) only when DEV=true; inlined, that import would run
 * at load time. The stub fails as a missing package does, so Ink prints its usual hint instead.
 */
export const inkDevtoolsStub = {
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
export const yogaWasmBinary = {
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

export const narrowFirst = {
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
/**
 * The code the frame-cache patch adds to Ink's output module. At run time it first checks what it assumes of Ink (a
 * `styledChars` Map on the caches and the `getStyledChars` method that fills it); if either is missing it returns
 * Ink's own caches untouched, so a changed Ink runs unpatched instead of failing mid-frame.
 */
export const frameCacheCarry = `let lastFrameChars = new Map();
function cachesCarryingLastFrame() {
    const caches = new OutputCaches();
    if (!(caches.styledChars instanceof Map) || typeof caches.getStyledChars !== 'function') {
        return caches;
    }
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
`;

export const inkFrameCaches = {
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
				contents: `${source.replace(field, '    caches = cachesCarryingLastFrame();')}\n${frameCacheCarry}`,
			};
		});
	},
};

