// Where the gateway may keep its log: one directory, fixed at start-up (`<stateDir>/logs`, or OPENCLAW_LOG_DIR),
// never moved by config. `logging.file` only names a file in it, because it is hot-reloaded and writable over RPC:
// anywhere else it would let a token holder append attacker-chosen text to ~/.bashrc, read a private key through
// `logs.tail`, or rotate an arbitrary file away.
import {realpathSync} from 'node:fs';
import path from 'node:path';
import type {Env} from '../config/paths.js';
import type {GatewayConfig} from '../config/schema.js';

export const defaultLogFileName = 'gateway.log';

/** Env var naming the log directory; read once at start-up, so neither config nor RPC can move it. */
export const logDirEnvVar = 'OPENCLAW_LOG_DIR';

/** A log file name: letters, digits, `_`, `-`, `.`, ending in `.log` (so never a config, token or key file). */
const logFileNamePattern = /^[\w-][\w.-]*\.log$/;

export function resolveLogDir(stateDir: string, env: Env = process.env): string {
	const fromEnv = env[logDirEnvVar]?.trim();
	return fromEnv ? path.resolve(fromEnv) : path.join(stateDir, 'logs');
}

function sameDirectory(a: string, b: string): boolean {
	if (a === b) {
		return true;
	}

	try {
		return realpathSync(a) === realpathSync(b);
	} catch {
		// One of them does not exist yet: only the same spelling (above) is the same directory.
		return false;
	}
}

export type LogFileChoice = {ok: true; file: string} | {ok: false; error: string};

/**
 * The file `logging.file` selects inside `logDir`: a bare name, or a path whose directory is `logDir` itself (an
 * OpenClaw-style absolute path). The result is always `logDir/<name>`, never a spelling through another directory.
 */
export function chooseLogFile(logDir: string, configured: string | undefined): LogFileChoice {
	if (configured === undefined || configured.trim() === '') {
		return {ok: true, file: path.join(logDir, defaultLogFileName)};
	}

	const resolved = path.resolve(logDir, configured);
	const name = path.basename(resolved);
	const allowed = `a file name ending in .log (e.g. "${defaultLogFileName}") in the log directory ${logDir}`;
	if (!sameDirectory(path.dirname(resolved), logDir)) {
		return {
			ok: false,
			error: `logging.file: ${JSON.stringify(configured)} is outside the log directory; use ${allowed} (the directory is set at start-up with ${logDirEnvVar}, never by config)`,
		};
	}

	if (!logFileNamePattern.test(name)) {
		return {ok: false, error: `logging.file: ${JSON.stringify(name)} is not a log file name; use ${allowed}`};
	}

	return {ok: true, file: path.join(logDir, name)};
}

/** Config issues for path-valued settings, in the `key: message` form of schema issues (empty when fine). */
export function logLocationIssues(config: GatewayConfig, logDir: string): string[] {
	const choice = chooseLogFile(logDir, config.logging?.file);
	return choice.ok ? [] : [choice.error];
}

/** The log file a gateway with this config writes: `logging.file` if it is allowed, else the default one. */
export function logFilePath(logDir: string, config: GatewayConfig): string {
	const choice = chooseLogFile(logDir, config.logging?.file);
	return choice.ok ? choice.file : path.join(logDir, defaultLogFileName);
}
