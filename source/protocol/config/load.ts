// Reading the config file: JSON5 text -> validated object, with a content hash for optimistic concurrency.
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import type JSON5Module from 'json5';
import {configKeyIssues} from './object-keys.js';
import {configSchema, formatIssues, type GatewayConfig} from './schema.js';

export class ConfigError extends Error {
	readonly issues: string[];
	readonly configPath: string;

	constructor(configPath: string, issues: string[], summary?: string) {
		super(summary ?? `invalid config ${configPath}: ${issues.join('; ')}`);
		this.name = 'ConfigError';
		this.issues = issues;
		this.configPath = configPath;
	}
}

export type LoadedConfig = {
	path: string;
	exists: boolean;
	raw: string;
	config: GatewayConfig;
	/** sha256 of the file bytes; `config.*` writes must quote it back as `baseHash`. */
	hash: string;
};

export function hashConfigText(raw: string): string {
	return createHash('sha256').update(raw).digest('hex');
}

/**
 * Many config files are plain JSON (setup writes it, config.* writes keep it): JSON.parse reads those faster than JSON5,
 * which is loaded (synchronously, through require) only for text JSON cannot read, and gives the syntax errors.
 */
export function parseJson5(raw: string): unknown {
	try {
		return JSON.parse(raw);
	} catch {
		const JSON5 = createRequire(import.meta.url)('json5') as typeof JSON5Module;
		return JSON5.parse(raw);
	}
}

/**
 * The most config text the gateway reads or writes. Real configs are a few KB; the cap keeps a `config.get` answer
 * (raw text + parsed + redacted copies) far inside one frame's maxPayload, and a token holder from filling memory
 * and disk through config writes.
 */
export const maxConfigBytes = 2 * 1024 * 1024;

export function configTooLargeMessage(bytes: number): string {
	return `config is ${bytes} bytes, over the ${maxConfigBytes}-byte limit: move large data out of the config`;
}

/** Parse and validate config text. Throws ConfigError naming the line (syntax) or the key (validation). */
export function parseConfigText(raw: string, configPath: string): GatewayConfig {
	const bytes = Buffer.byteLength(raw);
	if (bytes > maxConfigBytes) {
		throw new ConfigError(configPath, [`(root): ${configTooLargeMessage(bytes)}`], `config ${configPath}: ${configTooLargeMessage(bytes)}`);
	}

	let parsed: unknown;
	try {
		parsed = raw.trim() === '' ? {} : parseJson5(raw);
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/^JSON5: /, '') : String(error);
		throw new ConfigError(configPath, [`syntax: ${message}`], `config ${configPath} is not valid JSON5: ${message}`);
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new ConfigError(configPath, ['(root): expected an object']);
	}

	const keyIssues = configKeyIssues(parsed);
	if (keyIssues.length > 0) {
		throw new ConfigError(configPath, keyIssues);
	}

	const result = configSchema.safeParse(parsed);
	if (!result.success) {
		throw new ConfigError(configPath, formatIssues(result.error));
	}

	return result.data;
}

function fromText(configPath: string, raw: string, exists: boolean): LoadedConfig {
	return {path: configPath, exists, raw, config: parseConfigText(raw, configPath), hash: hashConfigText(raw)};
}

function isMissing(error: unknown): boolean {
	return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function readError(configPath: string, error: unknown): ConfigError {
	const message = (error as Error).message;
	return new ConfigError(configPath, [`read: ${message}`], `cannot read config ${configPath}: ${message}`);
}

export async function loadConfig(configPath: string): Promise<LoadedConfig> {
	let raw: string;
	try {
		raw = await readFile(configPath, 'utf8');
	} catch (error) {
		if (isMissing(error)) {
			return {path: configPath, exists: false, raw: '', config: {}, hash: hashConfigText('')};
		}

		throw readError(configPath, error);
	}

	return fromText(configPath, raw, true);
}

/** Synchronous twin for the CLI's start-up path, where an await chain costs more than the read. */
export function loadConfigSync(configPath: string): LoadedConfig {
	let raw: string;
	try {
		raw = readFileSync(configPath, 'utf8');
	} catch (error) {
		if (isMissing(error)) {
			return {path: configPath, exists: false, raw: '', config: {}, hash: hashConfigText('')};
		}

		throw readError(configPath, error);
	}

	return fromText(configPath, raw, true);
}
