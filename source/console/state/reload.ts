// The Reload pane: the config's gateway.reload.mode (read with its hash from config.get), changes that wait for a
// restart, the last reload result (config.reload events, health.configReload), and the state of a mode change the
// operator asked for, including a conflict when the file changed under us (shown, never retried silently).
import {isRecord, nextReloadMode, reloadModes, type ReloadMode} from '../../protocol/index.js';

export type ReloadResult = {result: string; mode?: string; changedPaths: string[]; error?: string; at: number};

export type ReloadState = {
	mode?: ReloadMode;
	hash?: string;
	path?: string;
	valid?: boolean;
	configError?: string;
	pendingPaths: string[];
	last?: ReloadResult;
	/** A write in flight: the mode asked for. */
	writing?: ReloadMode;
	/** Written, waiting for the gateway to say it applied. */
	awaiting?: ReloadMode;
	error?: string;
	conflict: boolean;
};

export type ReloadAction =
	| {type: 'reload/config'; payload: unknown}
	| {type: 'reload/writeStart'; mode: ReloadMode}
	| {type: 'reload/written'; mode: ReloadMode; hash?: string}
	| {type: 'reload/writeFailed'; error: string; conflict: boolean}
	| {type: 'reload/event'; payload: unknown; at: number}
	| {type: 'reload/health'; payload: unknown; at: number};

export const initialReload: ReloadState = {pendingPaths: [], conflict: false};

export function asReloadMode(value: unknown): ReloadMode | undefined {
	return typeof value === 'string' && (reloadModes as readonly string[]).includes(value) ? (value as ReloadMode) : undefined;
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function sameStrings(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The mode the `m` key writes next. */
export function nextMode(state: ReloadState): ReloadMode {
	return nextReloadMode(state.mode ?? 'hybrid');
}

/** The JSON merge patch that sets the mode (config.patch `raw`). */
export function reloadModePatch(mode: ReloadMode): string {
	return JSON.stringify({gateway: {reload: {mode}}});
}

/**
 * What a config write's answer warns about, to flash after `m`: the gateway keeps the operator's comments and layout
 * when it edits the file, and says so here when it could not (the file was rewritten as plain JSON).
 */
export function writeWarning(result: unknown): string | undefined {
	return isRecord(result) ? strings(result.warnings)[0] : undefined;
}

/** A config issue as the operator needs it: the key and what is wrong (`gateway.port: must be <= 65535`). */
function issueText(issue: unknown): string | undefined {
	if (typeof issue === 'string') {
		return issue;
	}

	if (!isRecord(issue)) {
		return undefined;
	}

	const message = typeof issue.message === 'string' ? issue.message : '';
	const path = typeof issue.path === 'string' ? issue.path : Array.isArray(issue.path) ? issue.path.join('.') : '';
	return path && path !== '(root)' ? `${path}: ${message}` : message;
}

export function isConflictError(message: string): boolean {
	return /config changed since last load|base hash/i.test(message);
}

export function reloadReducer(state: ReloadState, action: ReloadAction): ReloadState {
	switch (action.type) {
		case 'reload/config': {
			if (!isRecord(action.payload)) {
				return state;
			}

			const payload = action.payload;
			const config = isRecord(payload.config) ? payload.config : {};
			const gateway = isRecord(config.gateway) ? config.gateway : {};
			const reload = isRecord(gateway.reload) ? gateway.reload : {};
			const issues = Array.isArray(payload.issues) ? payload.issues : [];
			const firstIssue = issueText(issues[0]);
			const mode = asReloadMode(reload.mode) ?? 'hybrid';
			return {
				...state,
				mode,
				hash: typeof payload.hash === 'string' ? payload.hash : state.hash,
				path: typeof payload.path === 'string' ? payload.path : state.path,
				valid: payload.valid !== false,
				configError: payload.valid === false ? firstIssue || 'config invalid' : undefined,
				awaiting: state.awaiting === mode ? undefined : state.awaiting,
			};
		}

		case 'reload/writeStart':
			return {...state, writing: action.mode, error: undefined, conflict: false};
		case 'reload/written':
			// The config.reload event may have beaten the answer here: then the mode is already shown.
			return {...state, writing: undefined, awaiting: state.mode === action.mode ? undefined : action.mode, hash: action.hash ?? state.hash};
		case 'reload/writeFailed':
			return {...state, writing: undefined, error: action.error, conflict: action.conflict};
		case 'reload/event': {
			if (!isRecord(action.payload)) {
				return state;
			}

			const event = action.payload;
			const last: ReloadResult = {
				result: typeof event.result === 'string' ? event.result : 'unknown',
				mode: typeof event.mode === 'string' ? event.mode : undefined,
				changedPaths: strings(event.changedPaths),
				error: typeof event.error === 'string' ? event.error : undefined,
				at: action.at,
			};
			const applied = last.result === 'applied' || last.result === 'restarting';
			const mode = asReloadMode(last.mode);
			return {
				...state,
				last,
				// The gateway's own word on the file: an error names it, a good reload clears the one shown before.
				configError: last.result === 'error' ? (last.error ?? state.configError) : applied ? undefined : state.configError,
				pendingPaths: event.pendingPaths === undefined ? state.pendingPaths : strings(event.pendingPaths),
				mode: applied && mode ? mode : state.mode,
				awaiting: applied && (mode === undefined || mode === state.awaiting) ? undefined : state.awaiting,
			};
		}

		case 'reload/health': {
			if (!isRecord(action.payload)) {
				return state;
			}

			const health = action.payload;
			const lastReload = isRecord(health.lastReload) ? health.lastReload : undefined;
			const mode = asReloadMode(health.mode);
			const pendingPaths = health.pendingPaths === undefined ? state.pendingPaths : strings(health.pendingPaths);
			const next: ReloadState = {
				...state,
				pendingPaths: sameStrings(pendingPaths, state.pendingPaths) ? state.pendingPaths : pendingPaths,
				// health says whether the running gateway holds a config error now: none means the file is good again.
				configError: typeof health.configError === 'string' && health.configError !== '' ? health.configError : undefined,
				mode: state.mode ?? mode,
				last:
					state.last ??
					(lastReload
						? {
								result: typeof lastReload.result === 'string' ? lastReload.result : 'unknown',
								mode: typeof lastReload.mode === 'string' ? lastReload.mode : undefined,
								changedPaths: strings(lastReload.changedPaths),
								error: typeof lastReload.error === 'string' ? lastReload.error : undefined,
								at: typeof lastReload.at === 'number' ? lastReload.at : action.at,
							}
						: undefined),
			};
			// Every poll and every `health` event repeats these facts: an answer that changes nothing is no new state,
			// so it costs the console no frame.
			return next.pendingPaths === state.pendingPaths && next.configError === state.configError && next.mode === state.mode && next.last === state.last
				? state
				: next;
		}

		default:
			return state;
	}
}
