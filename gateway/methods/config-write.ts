// What config.set / config.patch / config.apply share: read the file, enforce the base hash (optimistic
// concurrency, OpenClaw's texts), restore redacted secrets, validate, edit the change into the operator's text (plain
// JSON only when it cannot be edited), write atomically, and feed the result to the reload pipeline exactly as a file
// edit would be.
import {readFile} from 'node:fs/promises';
import JSON5 from 'json5';
import {errorCodes, GatewayError} from '../../source/protocol/index.js';
import {configTooLargeMessage, hashConfigText, maxConfigBytes, parseConfigText, type LoadedConfig} from '../../source/protocol/config/load.js';
import {configKeyIssues} from '../../source/protocol/config/object-keys.js';
import {configSchema, formatIssues} from '../../source/protocol/config/schema.js';
import {configTextFor} from '../../source/protocol/config/edit-text.js';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import type {ReloadController, ReloadEvent} from '../reload/controller.js';
import {classifyPath, diffConfigPaths} from '../reload/plan.js';
import {redactConfig, restoreRedacted} from './config-redact.js';
import type {ConfigIssue, ConfigWriteResult} from '../../source/protocol/methods/index.js';

export type {ConfigIssue} from '../../source/protocol/methods/index.js';

export type ConfigFileSnapshot = {
	exists: boolean;
	raw: string;
	hash: string;
	/** The JSON5 value, when the text parses (valid or not). */
	parsed?: unknown;
	syntaxError?: string;
};

export async function readConfigFile(configPath: string): Promise<ConfigFileSnapshot> {
	let raw: string;
	try {
		raw = await readFile(configPath, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {exists: false, raw: '', hash: hashConfigText(''), parsed: {}};
		}

		throw new GatewayError({code: errorCodes.unavailable, message: `cannot read config ${configPath}: ${(error as Error).message}`});
	}

	const snapshot: ConfigFileSnapshot = {exists: true, raw, hash: hashConfigText(raw)};
	try {
		snapshot.parsed = raw.trim() === '' ? {} : JSON5.parse(raw);
	} catch (error) {
		snapshot.syntaxError = (error as Error).message.replace(/^JSON5: /, '');
	}

	return snapshot;
}

/** "gateway.port: expected number" -> {path: "gateway.port", message: "expected number"}. */
export function toIssues(lines: readonly string[]): ConfigIssue[] {
	return lines.map((line) => {
		const index = line.indexOf(': ');
		return index === -1 ? {path: '', message: line} : {path: line.slice(0, index), message: line.slice(index + 2)};
	});
}

/** At most this many issues are listed (a list of 30,000 bad entries would answer 30,000 issues); then how many more. */
export const maxListedIssues = 100;

export function listedIssues(issues: ConfigIssue[]): ConfigIssue[] {
	return issues.length <= maxListedIssues
		? issues
		: [...issues.slice(0, maxListedIssues), {path: '(more)', message: `and ${issues.length - maxListedIssues} more issues`}];
}

/** Validate a config object; returns the issues (empty when valid). */
export function validateConfigObject(value: unknown): ConfigIssue[] {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return [{path: '(root)', message: 'expected an object'}];
	}

	const keyIssues = configKeyIssues(value);
	if (keyIssues.length > 0) {
		return toIssues(keyIssues);
	}

	const result = configSchema.safeParse(value);
	return result.success ? [] : toIssues(formatIssues(result.error));
}

function invalidConfig(issues: ConfigIssue[]): GatewayError {
	return new GatewayError({
		code: errorCodes.invalidRequest,
		message: `invalid config: ${issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
		details: {issues: listedIssues(issues)},
	});
}

/** A config.set/patch/apply `raw` param as a value; prototype keys and oversized text are refused before anything else. */
export function parseRawParam(raw: string, what: string): unknown {
	const bytes = Buffer.byteLength(raw);
	if (bytes > maxConfigBytes) {
		throw invalidConfig([{path: '(root)', message: configTooLargeMessage(bytes)}]);
	}

	let parsed: unknown;
	try {
		parsed = raw.trim() === '' ? {} : JSON5.parse(raw);
	} catch (error) {
		const message = (error as Error).message.replace(/^JSON5: /, '');
		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `invalid ${what}: not valid JSON5: ${message}`,
			details: {issues: [{path: '(root)', message: `syntax: ${message}`}]},
		});
	}

	const keyIssues = configKeyIssues(parsed);
	if (keyIssues.length > 0) {
		throw invalidConfig(toIssues(keyIssues));
	}

	return parsed;
}

function checkBaseHash(current: ConfigFileSnapshot, baseHash: string | undefined): void {
	if (!current.exists) {
		if (baseHash !== undefined && baseHash !== current.hash) {
			throw new GatewayError({code: errorCodes.invalidRequest, message: 'config changed since last load; re-run config.get and retry'});
		}

		return;
	}

	if (baseHash === undefined || baseHash === '') {
		throw new GatewayError({code: errorCodes.invalidRequest, message: 'config base hash required; re-run config.get and retry'});
	}

	if (baseHash !== current.hash) {
		throw new GatewayError({code: errorCodes.invalidRequest, message: 'config changed since last load; re-run config.get and retry'});
	}
}

export type {ConfigWriteResult} from '../../source/protocol/methods/index.js';

/**
 * Write the config `build` makes from the current file. `build` gets the current parsed value (undefined when the
 * file does not parse) and returns the new object, with redaction sentinels still in it.
 */
export async function writeConfig(
	controller: ReloadController,
	options: {baseHash?: string; build: (current: ConfigFileSnapshot) => unknown; forceRestart?: (event: Pick<ReloadEvent, 'pendingPaths'>) => boolean},
): Promise<ConfigWriteResult> {
	return controller.serialize(async () => {
		const configPath = controller.configPath;
		const current = await readConfigFile(configPath);
		checkBaseHash(current, options.baseHash);
		const next = restoreRedacted(options.build(current), current.parsed);
		const issues = validateConfigObject(next);
		if (issues.length === 0) {
			issues.push(...toIssues(controller.policyIssues(configSchema.parse(next))));
		}

		if (issues.length > 0) {
			throw invalidConfig(issues);
		}

		const changedPaths = diffConfigPaths(current.parsed ?? {}, next);
		const written = configTextFor(current.raw, next);
		const raw = written.text;
		const bytes = Buffer.byteLength(raw);
		if (bytes > maxConfigBytes) {
			throw invalidConfig([{path: '(root)', message: configTooLargeMessage(bytes)}]);
		}

		const hash = hashConfigText(raw);
		if (changedPaths.length === 0 && current.exists && current.parsed !== undefined) {
			// The file already says this; what matters is whether the running gateway does (config.apply restarts for it).
			const {pendingPaths} = controller.state();
			const required = pendingPaths.some((path) => classifyPath(path) === 'restart');
			const scheduled = options.forceRestart?.({pendingPaths}) ?? false;
			return {ok: true, noop: true, path: configPath, hash: current.hash, config: redactConfig(next), changedPaths, restart: {required, scheduled}};
		}

		// A rewrite loses the operator's comments and layout: the atomic write still leaves the old bytes intact until
		// the new ones are complete, and the loss is logged and answered rather than silent.
		const warnings: string[] = [];
		if (written.formatting === 'rewritten') {
			warnings.push(`config file rewritten as plain JSON, its comments and formatting not kept: ${written.reason}`);
			controller.logger.warn('config file rewritten as plain JSON: its comments and formatting were not kept', {path: configPath, reason: written.reason});
		}

		await writeFileAtomic(configPath, raw);
		// What runs is what the file now says, parsed from the bytes just written: never the in-memory object, which
		// could differ from its own serialization (the `__proto__` attack read `{}` on disk and ran with auth none).
		const loaded: LoadedConfig = {path: configPath, exists: true, raw, config: parseConfigText(raw, configPath), hash};
		const event = controller.afterWrite(loaded);
		let scheduled = event.result === 'restarting';
		const required = scheduled || event.pendingPaths.some((path) => classifyPath(path) === 'restart');
		if (!scheduled && options.forceRestart?.(event)) {
			scheduled = true;
		}

		return {
			ok: true,
			path: configPath,
			hash,
			config: redactConfig(next),
			changedPaths,
			formatting: written.formatting,
			...(warnings.length > 0 ? {warnings} : {}),
			restart: {required, scheduled},
			reload: event,
		};
	});
}
