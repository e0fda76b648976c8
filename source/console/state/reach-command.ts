// How another terminal reaches a throwaway gateway (temp-dir mode: nothing configured, so the console made a state
// dir of its own). Its token is in a file no one else knows of: the `?` help names the file and the exact command.
import {tokenFilePath} from '../../protocol/config/token-file.js';
import type {ConsoleState} from './index.js';

/** A word as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
function shellWord(text: string): string {
	return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

export type ReachCommand = {stateDir: string; tokenFile: string; port: number; command: string};

/** Undefined unless the console runs a throwaway gateway whose port is known. */
export function reachCommand(state: ConsoleState): ReachCommand | undefined {
	const {supervisor} = state.runtime;
	const stateDir = supervisor?.temporaryStateDir;
	if (state.runtime.mode !== 'local' || !stateDir || !supervisor.port) {
		return undefined;
	}

	// The state dir alone finds the token (status reads <state dir>/gateway.token); --port because the throwaway took
	// a free one, which no config file records.
	const command = `OPENCLAW_STATE_DIR=${shellWord(stateDir)} openclaw status --port ${supervisor.port}`;
	return {stateDir, tokenFile: tokenFilePath(stateDir), port: supervisor.port, command};
}
