// The config as a client command reads it: only gateway.{mode,port,bind,customBindHost,auth,remote} matter, so a
// plain-JSON file whose client keys are well-formed is used as parsed, without loading zod and the schema (a third
// of a command's start-up). Anything else (JSON5 syntax, an unreadable file, a bad client key) goes through the full
// loader, so every error message is the one it gives.
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import type {LoadedConfig} from '../protocol/config/load.js';
import type {GatewayConfig} from '../protocol/config/schema.js';
import {reloadModes} from '../protocol/index.js';

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optional = (check: Check): Check => (value) => value === undefined || check(value);
const oneOf = (...allowed: string[]): Check => (value) => typeof value === 'string' && allowed.includes(value);
const isString: Check = (value) => typeof value === 'string';
const nonEmptyString: Check = (value) => typeof value === 'string' && value.length > 0;
const isPort: Check = (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535;
const nonNegativeInt: Check = (value) => Number.isInteger(value) && (value as number) >= 0;
const positiveInt: Check = (value) => Number.isInteger(value) && (value as number) > 0;
const arrayOf = (check: Check): Check => (value) => Array.isArray(value) && value.every((item) => check(item));
const object = (fields: Record<string, Check>): Check => (value) =>
	isObject(value) && Object.entries(fields).every(([key, check]) => check(value[key]));
/** Only the listed keys, each passing its check: anything else is left to the schema. */
const closed = (fields: Record<string, Check>): Check => (value) =>
	isObject(value) && Object.entries(value).every(([key, item]) => Object.hasOwn(fields, key) && fields[key](item));

/** The client keys, held to the same rules as source/protocol/config/schema.ts. */
const clientKeysValid = object({
	gateway: optional(
		object({
			mode: optional(oneOf('local', 'remote')),
			port: optional(isPort),
			bind: optional(oneOf('loopback', 'lan', 'tailnet', 'auto', 'custom')),
			customBindHost: optional(nonEmptyString),
			auth: optional(object({mode: optional(oneOf('none', 'token', 'password')), token: optional(nonEmptyString), password: optional(nonEmptyString)})),
			remote: optional(object({url: optional(isString), token: optional(isString), password: optional(isString)})),
		}),
	),
});

/**
 * Keys whose schema rules are simple enough to restate (those `openclaw setup` writes, and their neighbours), each as
 * strict as source/protocol/config/schema.ts. A config made only of these is valid without asking zod; any other key, even
 * one the schema would pass through, sends the config to the full check. test/config-lean.test.ts holds the two
 * to agreement.
 */
const vouchedKeysValid = closed({
	gateway: closed({
		mode: oneOf('local', 'remote'),
		port: isPort,
		bind: oneOf('loopback', 'lan', 'tailnet', 'auto', 'custom'),
		customBindHost: nonEmptyString,
		auth: closed({mode: oneOf('none', 'token', 'password'), token: nonEmptyString, password: nonEmptyString}),
		reload: closed({mode: oneOf(...reloadModes), debounceMs: nonNegativeInt}),
		remote: closed({url: isString, token: isString, password: isString}),
	}),
	logging: closed({
		level: oneOf('silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'),
		file: isString,
		maxFileBytes: positiveInt,
		maxFiles: positiveInt,
		redactPatterns: arrayOf(isString),
	}),
});

/** True when the config is valid by rules restated here; false means only "ask the schema" (validateConfigText). */
export function configVouchedValid(config: unknown): boolean {
	return vouchedKeysValid(config);
}

function hash(raw: string): string {
	return createHash('sha256').update(raw).digest('hex');
}

/** The config when the lean read can vouch for it; undefined sends the caller to the full loader. */
export function readClientConfigLean(configPath: string): LoadedConfig | undefined {
	let raw: string;
	try {
		raw = readFileSync(configPath, 'utf8');
	} catch (error) {
		return (error as NodeJS.ErrnoException)?.code === 'ENOENT' ? {path: configPath, exists: false, raw: '', config: {}, hash: hash('')} : undefined;
	}

	let parsed: unknown;
	try {
		parsed = raw.trim() === '' ? {} : JSON.parse(raw);
	} catch {
		return undefined;
	}

	return clientKeysValid(parsed) ? {path: configPath, exists: true, raw, config: parsed as GatewayConfig, hash: hash(raw)} : undefined;
}

/** The config for a client command; throws the full loader's ConfigError when the file is not usable. */
export async function loadClientConfig(configPath: string): Promise<LoadedConfig> {
	const lean = readClientConfigLean(configPath);
	if (lean) {
		return lean;
	}

	const {loadConfigSync} = await import('../protocol/config/load.js');
	return loadConfigSync(configPath);
}

/** The full check (every key, zod) for commands that report config validity; loads the schema only when called. */
export async function validateConfigText(raw: string, configPath: string): Promise<void> {
	const {parseConfigText} = await import('../protocol/config/load.js');
	parseConfigText(raw, configPath);
}
