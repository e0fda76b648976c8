// `config.schema` and `config.schema.lookup`: the config's JSON Schema, generated from the same zod schema that
// validates the file, so a client learns what a setting accepts (the console's `m` cycles through the allowed values
// of gateway.reload.mode) from the gateway it talks to instead of assuming. OpenClaw serves the same two methods;
// the lookup answers one node and its reload class, which is all a client needing one setting should fetch.
import {z} from 'zod';
import {zodToJsonSchema} from 'zod-to-json-schema';
import {errorCodes, GatewayError, isRecord, scopes} from '../../source/protocol/index.js';
import {configSchema} from '../../source/protocol/config/schema.js';
import type {JsonSchema} from '../../source/protocol/methods/index.js';
import {classifyPath} from '../reload/plan.js';
import {defineMethod} from './types.js';

let generated: JsonSchema | undefined;

/** The whole config schema (generated once: it only changes with the code). Inline, no $refs, so a node stands alone. */
export function configJsonSchema(): JsonSchema {
	generated ??= zodToJsonSchema(configSchema, {$refStrategy: 'none', target: 'jsonSchema7'}) as JsonSchema;
	return generated;
}

/** The schema node a dotted path names: object properties, maps (additionalProperties) and the branches of a union. */
export function schemaNodeAt(root: JsonSchema, path: string): JsonSchema | undefined {
	let nodes: JsonSchema[] = [root];
	for (const key of path.split('.')) {
		const next: JsonSchema[] = [];
		for (const node of nodes.flatMap(expandUnions)) {
			const properties = isRecord(node.properties) ? node.properties : undefined;
			if (properties && Object.hasOwn(properties, key) && isRecord(properties[key])) {
				next.push(properties[key]);
			} else if (isRecord(node.additionalProperties)) {
				next.push(node.additionalProperties);
			}
		}

		if (next.length === 0) {
			return undefined;
		}

		nodes = next;
	}

	return nodes.length === 1 ? nodes[0] : {anyOf: nodes};
}

function expandUnions(node: JsonSchema): JsonSchema[] {
	const branches = [node.anyOf, node.oneOf, node.allOf].find(Array.isArray) as unknown[] | undefined;
	return branches ? branches.filter(isRecord).flatMap(expandUnions) : [node];
}

const configPath = z
	.string()
	.min(1)
	.max(512)
	.regex(/^[\w-]+(\.[\w-]+)*$/, 'a dotted config path such as gateway.reload.mode');

export const configSchemaMethod = defineMethod({
	name: 'config.schema',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler() {
		return {schema: configJsonSchema(), uiHints: {}};
	},
});

export const configSchemaLookupMethod = defineMethod({
	name: 'config.schema.lookup',
	scope: scopes.read,
	params: z.object({path: configPath}).passthrough(),
	handler(params) {
		const schema = schemaNodeAt(configJsonSchema(), params.path);
		if (!schema) {
			throw new GatewayError({code: errorCodes.invalidRequest, message: `unknown config path: ${params.path}`});
		}

		return {path: params.path, schema, reloadKind: classifyPath(params.path)};
	},
});
