// The dispatch skips zod for a request with no params when the method's schema turns `{}` into `{}` anyway
// (gateway/connection.ts emptyValidatesEmpty, listed in PERFORMANCE.md). Every method of a full gateway checked:
// where the shortcut is taken zod's own answer is `{}`; where zod would answer otherwise, it is not taken.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {z} from 'zod';
import {buildServices} from '../gateway/assemble.js';
import {emptyValidatesEmpty} from '../gateway/connection.js';
import {Logger} from '../gateway/logger.js';
import {coreMethods} from '../gateway/methods/index.js';

test('every method schema: the shortcut is taken only where zod turns {} into {}', async () => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-params-'));
	try {
		const services = buildServices({stateDir: dir, configPath: path.join(dir, 'openclaw.json'), logger: new Logger({level: 'silent'})});
		const specs = [...coreMethods, ...services.flatMap((service) => service.methods ?? [])];
		let taken = 0;
		for (const spec of specs) {
			if (!spec.params || !emptyValidatesEmpty(spec.params)) {
				continue;
			}

			taken++;
			const parsed = spec.params.safeParse({});
			assert.ok(parsed.success, `${spec.name}: zod refuses {}`);
			assert.deepEqual(parsed.data, {}, `${spec.name}: zod turns {} into ${JSON.stringify(parsed.data)}`);
		}

		assert.ok(taken > 0, 'no method takes the shortcut (health should)');
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('schemas that would not give {} back, or are not zod 3 objects, are parsed', () => {
	const notTaken = [
		z.object({limit: z.number().default(10)}),
		z.object({key: z.string()}),
		z.object({key: z.string().optional()}).refine(() => true),
		z.object({key: z.string().optional()}).transform((value) => ({...value, at: 1})),
		z.object({key: z.string().nullable()}),
		z.record(z.unknown()),
		z.unknown(),
		{},
	];
	for (const schema of notTaken) {
		assert.equal(emptyValidatesEmpty(schema), false);
	}

	assert.equal(emptyValidatesEmpty(z.object({probe: z.boolean().optional()}).passthrough()), true);
	assert.equal(emptyValidatesEmpty(z.object({}).strict()), true);
});
