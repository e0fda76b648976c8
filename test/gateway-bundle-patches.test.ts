// The gateway bundle's zod patch (scripts/gateway-bundle-patches.mjs, listed in PERFORMANCE.md): it applies to the
// locked zod, the patched zod answers as zod does (bound methods stable and detachable, `~standard`, assignment),
// and it steps aside on a constructor of any other shape.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {test} from 'node:test';
import {build} from 'esbuild';
import {z as plainZod} from 'zod';
// @ts-expect-error: a build script (JavaScript, no types)
import {lazyZodBinds, zodLazyBinds} from '../scripts/gateway-bundle-patches.mjs';

const require = createRequire(import.meta.url);
const typesPath = path.join(path.dirname(require.resolve('zod/package.json')), 'v3', 'types.js');
const typesSource = readFileSync(typesPath, 'utf8');

test('applies to the locked zod', () => {
	const patched = lazyZodBinds(typesSource) as string | undefined;
	assert.ok(patched, 'zod v3/types.js no longer has the constructor the patch was written for');
	assert.doesNotMatch(patched, /this\.parse = this\.parse\.bind\(this\)/);
});

test('patched zod answers as zod does', async () => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-zod-patch-'));
	try {
		const entry = path.join(dir, 'entry.js');
		await writeFile(entry, "export {z} from 'zod';\n");
		await build({
			entryPoints: [entry],
			outfile: path.join(dir, 'zod.bundle.mjs'),
			bundle: true,
			format: 'esm',
			platform: 'node',
			nodePaths: [path.join(process.cwd(), 'node_modules')],
			plugins: [zodLazyBinds],
			logLevel: 'silent',
		});
		const {z} = (await import(pathToFileURL(path.join(dir, 'zod.bundle.mjs')).href)) as {z: typeof plainZod};
		const makers = [
			(zod: typeof plainZod) => zod.object({a: zod.string().min(2), b: zod.number().optional(), c: zod.array(zod.enum(['x', 'y'])).default([])}).strict(),
			(zod: typeof plainZod) => zod.string().transform((value) => value.length).pipe(zod.number().max(3)),
			(zod: typeof plainZod) => zod.union([zod.literal('a'), zod.object({kind: zod.literal('b')}).passthrough()]).nullish(),
			(zod: typeof plainZod) => zod.number().refine((value) => value % 2 === 0, 'even'),
		];
		const inputs = [undefined, null, 'ab', 'abcd', 4, 5, {a: 'xy'}, {a: 'x'}, {a: 'xy', c: ['x', 'z']}, {a: 'xy', extra: 1}, {kind: 'b', more: true}];
		for (const make of makers) {
			const patched = make(z);
			const plain = make(plainZod);
			for (const input of inputs) {
				assert.deepEqual(JSON.parse(JSON.stringify(patched.safeParse(input))), JSON.parse(JSON.stringify(plain.safeParse(input))));
				assert.deepEqual(JSON.parse(JSON.stringify(await patched.spa(input))), JSON.parse(JSON.stringify(await plain.spa(input))));
			}
		}

		const schema = z.string();
		assert.equal(schema.parse, schema.parse, 'the same bound function every time');
		const {safeParse, parse, optional} = schema;
		assert.equal(safeParse(1).success, false, 'detached, still bound');
		assert.equal(parse('ok'), 'ok');
		assert.equal(optional().safeParse(undefined).success, true);
		assert.equal(schema['~standard'], schema['~standard']);
		assert.equal(schema['~standard'].vendor, 'zod');
		assert.deepEqual(schema['~standard'].validate('s'), {value: 's'});
		assert.ok('issues' in (schema['~standard'].validate(1) as object));
		const replaced = () => 'mine';
		(schema as unknown as {parse: unknown}).parse = replaced;
		assert.equal(schema.parse, replaced, 'assignment still replaces');
		assert.notEqual(z.string().parse, z.string().parse, 'each schema its own');
		// What changes: an own-key listing no longer shows the bound methods and `~standard`.
		const unbound = new Set(['spa', 'parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'refine', 'refinement', 'superRefine', 'optional', 'nullable', 'nullish', 'array', 'promise', 'or', 'and', 'transform', 'brand', 'default', 'catch', 'describe', 'pipe', 'readonly', 'isNullable', 'isOptional', '~standard']);
		assert.deepEqual(Object.keys(z.number()), Object.keys(plainZod.number()).filter((key) => !unbound.has(key)));
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('steps aside on a constructor of another shape', () => {
	const variants = [
		typesSource.replace('        this.parse = this.parse.bind(this);\n', '        this.parse = this.parse.bind(this);\n        this.extra = 1;\n'),
		typesSource.replace('vendor: "zod",', 'vendor: "zod4",'),
		typesSource.replace('        this.spa = this.spa.bind(this);\n', ''),
		typesSource.replace('export class ZodType {', 'export class ZodTypeRenamed {'),
		'export const nothing = 1;\n',
	];
	for (const variant of variants) {
		assert.notEqual(variant, typesSource, 'each variant changes the file');
		assert.equal(lazyZodBinds(variant), undefined);
	}
});
