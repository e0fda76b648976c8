// What the config file holds right now, for the reload controller: its text and hash, or why it cannot be read;
// then, for a text worth parsing, the config it describes or why it may not run (schema, then the start-up policy).
// No reload state here: the controller decides what each outcome means for the running gateway.
import {readFileSync} from 'node:fs';
import {ConfigError, hashConfigText, parseConfigText, type LoadedConfig} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';

export type ConfigFileRead =
	| {kind: 'missing'}
	| {kind: 'unreadable'; message: string}
	| {kind: 'text'; raw: string; hash: string};

export function readConfigFile(path: string): ConfigFileRead {
	try {
		const raw = readFileSync(path, 'utf8');
		return {kind: 'text', raw, hash: hashConfigText(raw)};
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? {kind: 'missing'} : {kind: 'unreadable', message: (error as Error).message};
	}
}

export type ConfigFileParse = {ok: true; loaded: LoadedConfig} | {ok: false; issues: string};

/** Parse and check the file's text; `policy` gives the `key: problem` lines of checks beyond the schema. */
export function parseConfigFile(path: string, raw: string, hash: string, policy: (config: GatewayConfig) => string[]): ConfigFileParse {
	try {
		const loaded: LoadedConfig = {path, exists: true, raw, config: parseConfigText(raw, path), hash};
		const refused = policy(loaded.config);
		if (refused.length > 0) {
			throw new ConfigError(path, refused);
		}

		return {ok: true, loaded};
	} catch (error) {
		return {ok: false, issues: error instanceof ConfigError ? error.issues.join('; ') : (error as Error).message};
	}
}
