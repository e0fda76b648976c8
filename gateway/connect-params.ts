// Validation of `connect` params (a closed object, as OpenClaw's schema), with ajv-style messages so clients that
// match on OpenClaw's texts ("must have required property 'client'") see the same words.
import {z} from 'zod';
import {knownClientIds, knownClientModes, type ConnectParams} from '../source/protocol/index.js';

const nonEmpty = z.string().min(1);

const clientSchema = z
	.object({
		id: z.enum(knownClientIds),
		version: nonEmpty,
		platform: nonEmpty,
		mode: z.enum(knownClientModes),
		displayName: z.string().optional(),
		buildId: z.string().max(96).optional(),
		deviceFamily: z.string().optional(),
		modelIdentifier: z.string().optional(),
		timeZone: z.string().max(64).optional(),
		instanceId: z.string().optional(),
	})
	.strict();

const connectSchema = z
	.object({
		minProtocol: z.number().int().min(1),
		maxProtocol: z.number().int().min(1),
		client: clientSchema,
		role: z.string().optional(),
		scopes: z.array(z.string()).optional(),
		caps: z.array(z.string()).optional(),
		commands: z.unknown().optional(),
		permissions: z.record(z.boolean()).optional(),
		pathEnv: z.string().optional(),
		auth: z
			.object({
				token: z.string().optional(),
				password: z.string().optional(),
				deviceToken: z.string().optional(),
				bootstrapToken: z.string().optional(),
			})
			.strict()
			.optional(),
		device: z
			.object({
				id: nonEmpty,
				publicKey: nonEmpty,
				signature: nonEmpty,
				signedAt: z.number().int().min(0),
				nonce: nonEmpty,
			})
			.strict()
			.optional(),
		locale: z.string().optional(),
		userAgent: z.string().optional(),
		modelCatalog: z.unknown().optional(),
		computerUse: z.unknown().optional(),
		workerRuns: z.unknown().optional(),
	})
	.strict();

function describe(issue: z.ZodIssue): string {
	const pointer = issue.path.length > 0 ? `/${issue.path.join('/')}` : '';
	if (issue.code === 'invalid_type' && issue.received === 'undefined') {
		const parent = issue.path.slice(0, -1);
		const name = issue.path.at(-1);
		const where = parent.length > 0 ? `at /${parent.join('/')}: ` : '';
		return `${where}must have required property '${String(name)}'`;
	}

	if (issue.code === 'unrecognized_keys') {
		return `${pointer ? `at ${pointer}: ` : ''}must NOT have additional properties (${issue.keys.join(', ')})`;
	}

	if (issue.code === 'invalid_enum_value') {
		return `at ${pointer}: must be equal to one of the allowed values`;
	}

	return `${pointer ? `at ${pointer}: ` : ''}${issue.message.toLowerCase()}`;
}

export type ConnectValidation = {ok: true; params: ConnectParams} | {ok: false; message: string};

export function validateConnectParams(params: unknown): ConnectValidation {
	const result = connectSchema.safeParse(params ?? {});
	if (result.success) {
		return {ok: true, params: result.data as ConnectParams};
	}

	return {ok: false, message: `invalid connect params: ${result.error.issues.slice(0, 3).map(describe).join('; ')}`};
}

/** Validate a method's params with a schema; throws the OpenClaw-style "invalid <method> params: ..." error text. */
export function describeParamsError(method: string, error: z.ZodError): string {
	return `invalid ${method} params: ${error.issues.slice(0, 3).map(describe).join('; ')}`;
}
