// Where the console keeps its own files (preferences, the gateways added from it, the default fleet file):
// $XDG_CONFIG_HOME/openclaw, else <home>/.config/openclaw, with home as the rest of the CLI finds it (OPENCLAW_HOME,
// else the user's). Apart from any gateway's state dir: the console watches many, and belongs to none.
import os from 'node:os';
import path from 'node:path';
import type {Env} from '../protocol/config/paths.js';

/** As resolvePaths finds it (source/protocol/config/paths.ts), so profiles and the console's files agree on home. */
export function homeDir(env: Env): string {
	return env.OPENCLAW_HOME?.trim() ? path.resolve(env.OPENCLAW_HOME) : os.homedir();
}

export function consoleConfigDir(env: Env): string {
	const xdg = env.XDG_CONFIG_HOME?.trim();
	return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'openclaw') : path.join(homeDir(env), '.config', 'openclaw');
}

/** Where `Ctrl-S` saves the Logs view: $XDG_STATE_HOME/openclaw/saved-logs, else <home>/.local/state/openclaw/saved-logs. */
export function savedLogsDir(env: Env): string {
	const xdg = env.XDG_STATE_HOME?.trim();
	return path.join(xdg && path.isAbsolute(xdg) ? path.join(xdg, 'openclaw') : path.join(homeDir(env), '.local', 'state', 'openclaw'), 'saved-logs');
}

export function defaultFleetFile(env: Env): string {
	return path.join(consoleConfigDir(env), 'fleet.json5');
}

/** `~/x` against the home above (a fleet file's tokenFile and identity), other paths against `base`. */
export function expandPath(value: string, env: Env, base = process.cwd()): string {
	if (value === '~') {
		return homeDir(env);
	}

	if (value.startsWith('~/')) {
		return path.join(homeDir(env), value.slice(2));
	}

	return path.resolve(base, value);
}

/** The console's store (console-store.ts); a read-only command opens it only when this exists (opening creates it). */
export function consoleStoreFile(env: Env, dir = consoleConfigDir(env)): string {
	return path.join(dir, 'console.json');
}
