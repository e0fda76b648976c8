// Keys the config schema does not know, each with the known sibling it was probably meant to be. A typo such as
// `gateway.prot` loads (unknown keys pass through, see schema.ts) and would otherwise be silently ignored: the
// gateway would start on the default port and nothing would say why. Reported, never refused.
import {z} from 'zod';
import {isRecord} from '../index.js';
import {closest} from '../suggest.js';
import {configSchema} from './schema.js';
import type {UnknownKey} from '../unknown-keys-summary.js';

export {describeUnknownKey, unknownKeysShown, unknownKeysSummary, type UnknownKey} from '../unknown-keys-summary.js';


/** The object schema (or record, array, union) under optional/nullable/default/refinement wrappers. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
	if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
		return unwrap(schema.unwrap() as z.ZodTypeAny);
	}

	if (schema instanceof z.ZodDefault) {
		return unwrap(schema._def.innerType as z.ZodTypeAny);
	}

	if (schema instanceof z.ZodEffects) {
		return unwrap(schema.innerType() as z.ZodTypeAny);
	}

	if (schema instanceof z.ZodLazy) {
		return unwrap(schema.schema as z.ZodTypeAny);
	}

	return schema;
}

/** An object whose catch-all accepts any key (schema.ts `open`): no key of its own is unknown. */
function isOpen(schema: z.AnyZodObject): boolean {
	return !(schema._def.catchall instanceof z.ZodNever);
}

/** For a union (`model: "x" | {primary}`): the member that describes this value's shape, if one does. */
function unionMember(options: readonly z.ZodTypeAny[], value: unknown): z.ZodTypeAny | undefined {
	return options.map(unwrap).find((option) => (Array.isArray(value) ? option instanceof z.ZodArray : isRecord(value) && (option instanceof z.ZodObject || option instanceof z.ZodRecord)));
}

function walk(schema: z.ZodTypeAny, value: unknown, at: string, out: UnknownKey[]): void {
	const shape = unwrap(schema);
	if (shape instanceof z.ZodUnion || shape instanceof z.ZodDiscriminatedUnion) {
		const member = unionMember(shape.options as z.ZodTypeAny[], value);
		if (member) {
			walk(member, value, at, out);
		}

		return;
	}

	if (shape instanceof z.ZodArray && Array.isArray(value)) {
		for (const [index, item] of value.entries()) {
			walk(shape.element as z.ZodTypeAny, item, `${at}[${index}]`, out);
		}

		return;
	}

	if (!isRecord(value)) {
		return;
	}

	if (shape instanceof z.ZodRecord) {
		// Keys are ids (provider names): only what is inside each entry can be unknown.
		for (const [key, item] of Object.entries(value)) {
			walk(shape.valueSchema as z.ZodTypeAny, item, join(at, key), out);
		}

		return;
	}

	if (!(shape instanceof z.ZodObject)) {
		return;
	}

	const known = shape.shape as Record<string, z.ZodTypeAny>;
	const siblings = Object.keys(known);
	for (const [key, item] of Object.entries(value)) {
		if (Object.hasOwn(known, key)) {
			walk(known[key], item, join(at, key), out);
		} else if (!isOpen(shape)) {
			const suggestion = closest(key, siblings);
			out.push(suggestion ? {path: join(at, key), suggestion} : {path: join(at, key)});
		}
	}
}

function join(at: string, key: string): string {
	return at ? `${at}.${key}` : key;
}

/** Unknown keys in a parsed config (or any value checked against `schema`), in the order they appear. */
export function unknownConfigKeys(config: unknown, schema: z.ZodTypeAny = configSchema): UnknownKey[] {
	const out: UnknownKey[] = [];
	walk(schema, config, '', out);
	return out;
}
