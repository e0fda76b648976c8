// The gateway bundle's build-time patches (used by scripts/bundle-gateway.mjs; each listed in PERFORMANCE.md). Like
// scripts/console-bundle-patches.mjs: each checks the shape of the file it patches and steps aside, bundling it
// unchanged with a warning, when the shape is not the one it was written for. Kept apart from the build so
// test/gateway-bundle-patches.test.ts can run the patched module and break its assumptions on purpose.
import {readFileSync} from 'node:fs';

const constructorPattern =
	/( {4}constructor\(def\) \{\n)( {8}\/\*\* Alias of safeParseAsync \*\/\n {8}this\.spa = this\.safeParseAsync;\n {8}this\._def = def;\n)((?: {8}this\.(\w+) = this\.\4\.bind\(this\);\n)+)( {8}this\["~standard"\] = \{\n {12}version: 1,\n {12}vendor: "zod",\n {12}validate: \(data\) => this\["~validate"\]\(data\),\n {8}\};\n)( {4}\}\n)/;

/**
 * zod 3's ZodType constructor binds 24 methods to every schema it makes (`this.parse = this.parse.bind(this)` ...)
 * and gives each a `~standard` object with its own closure. The gateway builds about a thousand schemas when its
 * modules load (config, methods, protocol), so that is ~23,000 bound functions, 1.1 MiB of heap nobody calls, and
 * the garbage of making them grows the heap at start. Patched, the constructor sets `_def` and one symbol slot (every
 * schema keeps one shape), and the 24 methods and `~standard` become getters on the prototype that bind on first
 * use and keep that one (the same function every time, as before; assigning still replaces it). What changes is
 * only what an own-key listing of a schema shows. Returns undefined (bundle unchanged) when the constructor is not
 * the one this was written for (zod 3.25's v3/types.js).
 */
export function lazyZodBinds(source) {
	const match = constructorPattern.exec(source);
	if (!match || !/^export class ZodType \{$/m.test(source)) {
		return undefined;
	}

	const names = [...match[3].matchAll(/this\.(\w+) = /g)].map((found) => found[1]);
	// `spa` is the alias bound last: the original safeParseAsync, bound.
	if (!names.includes('spa') || !names.includes('safeParseAsync') || !names.includes('parse')) {
		return undefined;
	}

	const pairs = names.map((name) => [name, name === 'spa' ? 'safeParseAsync' : name]);
	const constructor = `${match[1]}        this._def = def;\n        this[openclawLazyBound] = undefined;\n${match[6]}`;
	return [
		// Before the class, so a schema made while this module loads finds it (imports are hoisted above it anyway).
		"const openclawLazyBound = Symbol('zod bound methods (openclaw gateway bundle)');",
		source.slice(0, match.index) + constructor + source.slice(match.index + match[0].length),
		// Every method read before any getter replaces one (`spa` reads safeParseAsync).
		`for (const [name, method] of ${JSON.stringify(pairs)}.map(([name, source]) => [name, ZodType.prototype[source]])) {`,
		'    Object.defineProperty(ZodType.prototype, name, {',
		'        configurable: true,',
		'        get() {',
		'            const bound = (this[openclawLazyBound] ??= {});',
		'            return Object.hasOwn(bound, name) ? bound[name] : (bound[name] = method.bind(this));',
		'        },',
		'        set(value) {',
		'            (this[openclawLazyBound] ??= {})[name] = value;',
		'        },',
		'    });',
		'}',
		'Object.defineProperty(ZodType.prototype, "~standard", {',
		'    configurable: true,',
		'    get() {',
		'        const bound = (this[openclawLazyBound] ??= {});',
		'        return Object.hasOwn(bound, "~standard")',
		'            ? bound["~standard"]',
		'            : (bound["~standard"] = {version: 1, vendor: "zod", validate: (data) => this["~validate"](data)});',
		'    },',
		'    set(value) {',
		'        (this[openclawLazyBound] ??= {})["~standard"] = value;',
		'    },',
		'});',
		'',
	].join('\n');
}

export const zodLazyBinds = {
	name: 'zod-lazy-binds',
	setup(builder) {
		builder.onLoad({filter: /[/\\]zod[/\\]v3[/\\]types\.js$/}, (args) => {
			const contents = lazyZodBinds(readFileSync(args.path, 'utf8'));
			if (contents === undefined) {
				console.warn(`bundle-gateway: ${args.path} changed shape; bundling it unchanged (zod binds every method of every schema)`);
				return undefined;
			}

			return {contents, loader: 'js'};
		});
	},
};
