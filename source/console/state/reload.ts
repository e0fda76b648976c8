// The Reload pane: the config's gateway.reload.mode (read with its hash from config.get), changes that wait for a
// restart, the last reload result (config.reload events, health.configReload), and the state of a mode change the
// operator asked for, including a conflict when the file changed under us (shown, never retried silently), and the
// keys of the file the gateway does not know (health.configReload.unknownKeys: typos it silently ignores otherwise).
import type {UnknownKey} from '../../protocol/unknown-keys-summary.js';
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
	/** The gateway's own words on the last write when the file did take the mode (e.g. "persisted but not applied"). */
	notice?: string;
	conflict: boolean;
	/** The modes this gateway accepts (its config.schema.lookup); undefined: not asked or not served, all known modes. */
	allowedModes?: ReloadMode[];
	/** False when the gateway does not serve config.patch: `m` is unavailable there. */
	writable?: boolean;
	/** As health lists them (capped), and how many more it left out. */
	unknownKeys: UnknownKey[];
	unknownKeysOmitted: number;
};

export type ReloadAction =
	| {type: 'reload/config'; payload: unknown}
	| {type: 'reload/writeStart'; mode: ReloadMode}
	| {type: 'reload/written'; mode: ReloadMode; hash?: string}
	/** A write answered with an error; `mode` (the mode asked for) is given when the file was read back first. */
	| {type: 'reload/writeFailed'; error: string; conflict: boolean; mode?: ReloadMode}
	| {type: 'reload/capabilities'; allowedModes?: string[]; writable: boolean}
	| {type: 'reload/event'; payload: unknown; at: number}
	| {type: 'reload/health'; payload: unknown; at: number};

export const initialReload: ReloadState = {pendingPaths: [], conflict: false, unknownKeys: [], unknownKeysOmitted: 0};

export function asReloadMode(value: unknown): ReloadMode | undefined {
	return typeof value === 'string' && (reloadModes as readonly string[]).includes(value) ? (value as ReloadMode) : undefined;
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function sameStrings(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** `[{path, suggestion?}]` from health; a gateway without the field (a real OpenClaw) has none. */
function unknownKeysOf(value: unknown): UnknownKey[] {
	if (!Array.isArray(value)) {
		return [];
	}

	return value.flatMap((item): UnknownKey[] => {
		if (!isRecord(item) || typeof item.path !== 'string') {
			return [];
		}

		return [typeof item.suggestion === 'string' ? {path: item.path, suggestion: item.suggestion} : {path: item.path}];
	});
}

function sameUnknownKeys(a: UnknownKey[], b: UnknownKey[]): boolean {
	return a.length === b.length && a.every((key, index) => key.path === b[index].path && key.suggestion === b[index].suggestion);
}

/** The mode the `m` key writes next: the one after the current in the gateway's allowed list (all known modes if it did not say). */
export function nextMode(state: ReloadState): ReloadMode {
	const current = state.mode ?? 'hybrid';
	const allowed = state.allowedModes;
	if (!allowed || allowed.length === 0) {
		return nextReloadMode(current);
	}

	const order = reloadModes.filter((mode) => allowed.includes(mode));
	const after = order.find((mode) => reloadModes.indexOf(mode) > reloadModes.indexOf(current));
	return after ?? order[0]!;
}

/**
 * The values a JSON Schema node allows, when it is a closed set: `enum`, or `anyOf`/`oneOf` of `const`s (OpenClaw's
 * shape for gateway.reload.mode). Undefined for an open node (any string), so the caller keeps its default.
 */
export function allowedValues(schema: unknown): string[] | undefined {
	if (!isRecord(schema)) {
		return undefined;
	}

	if (Array.isArray(schema.enum)) {
		return schema.enum.filter((value): value is string => typeof value === 'string');
	}

	if (typeof schema.const === 'string') {
		return [schema.const];
	}

	const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
	if (!branches) {
		return undefined;
	}

	const values: string[] = [];
	for (const branch of branches) {
		const some = allowedValues(branch);
		if (!some) {
			return undefined;
		}

		values.push(...some);
	}

	return values;
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
			return {...state, writing: action.mode, error: undefined, notice: undefined, conflict: false};
		case 'reload/written':
			// The config.reload event may have beaten the answer here: then the mode is already shown.
			return {...state, writing: undefined, awaiting: state.mode === action.mode ? undefined : action.mode, hash: action.hash ?? state.hash};
		case 'reload/writeFailed':
			// Read back first (config.get): if the file holds the mode asked for, the write did happen (OpenClaw:
			// "config.patch persisted but was not applied to the active Gateway"), so it is no error: the mode shows and
			// the gateway's words stay as a notice. Otherwise the error stands.
			return action.mode !== undefined && state.mode === action.mode && !action.conflict
				? {...state, writing: undefined, awaiting: undefined, error: undefined, conflict: false, notice: action.error}
				: {...state, writing: undefined, error: action.error, conflict: action.conflict};
		case 'reload/capabilities': {
			const allowedModes = action.allowedModes?.map((mode) => asReloadMode(mode)).filter((mode): mode is ReloadMode => mode !== undefined);
			return {...state, allowedModes: allowedModes && allowedModes.length > 0 ? allowedModes : undefined, writable: action.writable};
		}
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
			const unknownKeys = unknownKeysOf(health.unknownKeys);
			const next: ReloadState = {
				...state,
				pendingPaths: sameStrings(pendingPaths, state.pendingPaths) ? state.pendingPaths : pendingPaths,
				unknownKeys: sameUnknownKeys(unknownKeys, state.unknownKeys) ? state.unknownKeys : unknownKeys,
				unknownKeysOmitted: typeof health.unknownKeysOmitted === 'number' ? health.unknownKeysOmitted : 0,
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
			return next.pendingPaths === state.pendingPaths &&
				next.unknownKeys === state.unknownKeys &&
				next.unknownKeysOmitted === state.unknownKeysOmitted &&
				next.configError === state.configError &&
				next.mode === state.mode &&
				next.last === state.last
				? state
				: next;
		}

		default:
			return state;
	}
}
