// The hot-reload plan: which config paths changed, what each change needs, and what a reload mode does about it.
// Pure functions; the controller (controller.ts) carries them out.
//
// Classes (longest matching prefix wins; a path nobody claimed needs a restart, to be safe):
//   restart  what the listening socket and the handshake are built from (port, bind, auth secrets, TLS, mode)
//   hot      what services re-read in place (channels, logging, agents, models, hooks, rate limits, origins, HTTP)
//   none     what the running gateway never reads (reload settings themselves, client-side remote settings, meta)
//
// Modes (gateway.reload.mode; a change of the mode itself applies at once, whatever the old mode was):
//   off      nothing is applied; changes are logged and listed as pending until a restart picks them up
//   hot      hot changes are applied; restart-class changes stay pending (logged) until a restart
//   restart  the running generation is never patched: any change that matters restarts it in-process, so the
//            next generation runs on the whole file (the conservative mode: one code path for every change)
//   hybrid   (default) hot changes are applied in place; a restart-class change restarts in-process
import {isRecord, reloadModes, type ReloadMode} from '../../source/protocol/index.js';
import {setOwn} from '../../source/protocol/config/object-keys.js';

export type ReloadClass = 'restart' | 'hot' | 'none';

const rules: ReadonlyArray<[prefix: string, kind: ReloadClass]> = [
	['gateway.port', 'restart'],
	['gateway.bind', 'restart'],
	['gateway.customBindHost', 'restart'],
	['gateway.mode', 'restart'],
	['gateway.tls', 'restart'],
	['gateway.auth', 'restart'],
	['gateway.auth.mode', 'restart'],
	['gateway.auth.token', 'restart'],
	['gateway.auth.password', 'restart'],
	['gateway.auth.rateLimit', 'hot'],
	['gateway.controlUi', 'hot'],
	['gateway.http', 'hot'],
	['gateway.reload', 'none'],
	['gateway.remote', 'none'],
	['meta', 'none'],
	['channels', 'hot'],
	['logging', 'hot'],
	['agents', 'hot'],
	['models', 'hot'],
	['hooks', 'hot'],
];

export const defaultReloadMode: ReloadMode = 'hybrid';

/** What a config path needs when it changes. */
export function classifyPath(path: string): ReloadClass {
	let best: [string, ReloadClass] | undefined;
	for (const rule of rules) {
		const [prefix] = rule;
		if ((path === prefix || path.startsWith(`${prefix}.`)) && (!best || prefix.length > best[0].length)) {
			best = rule;
		}
	}

	return best ? best[1] : 'restart';
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) {
		return true;
	}

	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
	}

	if (isRecord(a) && isRecord(b)) {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		return [...keys].every((key) => sameValue(Object.hasOwn(a, key) ? a[key] : undefined, Object.hasOwn(b, key) ? b[key] : undefined));
	}

	return false;
}

// More changed paths than this are listed by section: each path is a string of its keys, and a config of many
// leaves under a long prefix would otherwise turn into a list far larger than the config itself.
export const maxListedPaths = 200;

/**
 * Dotted paths of the leaves that differ (an array counts as one leaf; an added/removed object lists its leaves);
 * past `maxListedPaths`, by section (the first two levels), never less cautious: a section is classed by its prefix.
 */
export function diffConfigPaths(before: unknown, after: unknown): string[] {
	const out: string[] = [];
	return diffInto(before, after, '', out) ? out : sectionPaths(before, after);
}

/** Collect leaf paths into `out`; false as soon as there are too many to list. */
function diffInto(before: unknown, after: unknown, prefix: string, out: string[]): boolean {
	if (sameValue(before, after)) {
		return true;
	}

	if (isRecord(before) || isRecord(after)) {
		const a = isRecord(before) ? before : {};
		const b = isRecord(after) ? after : {};
		const own = (record: Record<string, unknown>, key: string) => (Object.hasOwn(record, key) ? record[key] : undefined);
		const found = out.length;
		for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
			if (!diffInto(own(a, key), own(b, key), prefix ? `${prefix}.${key}` : key, out)) {
				return false;
			}
		}

		// A leaf replaced by an empty object (or the reverse) still changed.
		if (out.length === found && prefix) {
			out.push(prefix);
		}
	} else if (prefix) {
		out.push(prefix);
	}

	return out.length <= maxListedPaths;
}

function sectionPaths(before: unknown, after: unknown): string[] {
	const a = isRecord(before) ? before : {};
	const b = isRecord(after) ? after : {};
	const out: string[] = [];
	for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
		const left = Object.hasOwn(a, key) ? a[key] : undefined;
		const right = Object.hasOwn(b, key) ? b[key] : undefined;
		if (sameValue(left, right)) {
			continue;
		}

		if (isRecord(left) && isRecord(right)) {
			const inner = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
			out.push(...inner.filter((child) => !sameValue(left[child], right[child])).map((child) => `${key}.${child}`));
		} else {
			out.push(key);
		}
	}

	return out;
}

export function reloadModeOf(config: unknown): ReloadMode {
	const mode = isRecord(config) && isRecord(config.gateway) && isRecord(config.gateway.reload) ? config.gateway.reload.mode : undefined;
	return (reloadModes as readonly unknown[]).includes(mode) ? (mode as ReloadMode) : defaultReloadMode;
}

export type ReloadAction = 'none' | 'apply' | 'restart';

export type ReloadPlan = {
	mode: ReloadMode;
	action: ReloadAction;
	changedPaths: string[];
	/** Applied to the running generation now (always includes the no-op class, e.g. the reload mode itself). */
	applyPaths: string[];
	/** Left for a later restart. */
	pendingPaths: string[];
	hotPaths: string[];
	restartPaths: string[];
};

/** Decide what to do with the paths that differ between the running config and the file. */
export function planReload(changedPaths: readonly string[], mode: ReloadMode): ReloadPlan {
	const byClass = (kind: ReloadClass) => changedPaths.filter((path) => classifyPath(path) === kind);
	const hotPaths = byClass('hot');
	const restartPaths = byClass('restart');
	const nonePaths = byClass('none');
	const base = {mode, changedPaths: [...changedPaths], hotPaths, restartPaths};
	const restartNeeded = mode === 'restart' ? hotPaths.length + restartPaths.length > 0 : restartPaths.length > 0;
	if ((mode === 'hybrid' || mode === 'restart') && restartNeeded) {
		return {...base, action: 'restart', applyPaths: [...changedPaths], pendingPaths: []};
	}

	const applyPaths = mode === 'off' ? nonePaths : [...nonePaths, ...hotPaths];
	const pendingPaths = mode === 'off' ? [...hotPaths, ...restartPaths] : restartPaths;
	return {...base, action: applyPaths.length > 0 ? 'apply' : 'none', applyPaths, pendingPaths};
}

function getPath(root: unknown, path: string): {found: boolean; value?: unknown} {
	let node: unknown = root;
	for (const key of path.split('.')) {
		// Own keys only: `key in node` also finds `__proto__`, `constructor`, `toString` on every object.
		if (!isRecord(node) || !Object.hasOwn(node, key)) {
			return {found: false};
		}

		node = node[key];
	}

	return {found: true, value: node};
}

/** `base` with the values at `paths` taken from `source` (deleted where `source` has none). Does not mutate. */
export function takePaths<T>(base: T, source: unknown, paths: readonly string[]): T {
	const out = structuredClone(base) as Record<string, unknown>;
	for (const path of paths) {
		const keys = path.split('.');
		const {found, value} = getPath(source, path);
		let node: Record<string, unknown> = out;
		for (const key of keys.slice(0, -1)) {
			if (!Object.hasOwn(node, key) || !isRecord(node[key])) {
				if (!found) {
					node = {};
					break;
				}

				setOwn(node, key, {});
			}

			node = node[key] as Record<string, unknown>;
		}

		const last = keys.at(-1)!;
		if (found) {
			setOwn(node, last, structuredClone(value));
		} else {
			delete node[last];
		}
	}

	return out as T;
}
