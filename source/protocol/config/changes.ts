// The fewest value changes that turn one config object into another, as set/remove at key paths: what a text editor
// of the config file has to do so that every line the change does not touch stays as the operator wrote it.
// Objects are compared key by key; anything else (arrays included) is one value, replaced whole when it differs,
// because an array's items have no stable names to edit by. Keys are read as own properties only, so a key named
// `__proto__` in a parsed file is a key like any other and never reaches a prototype.
import {isDeepStrictEqual} from 'node:util';
import {isRecord} from '../index.js';

export type ConfigChange = {op: 'set'; path: string[]; value: unknown} | {op: 'remove'; path: string[]};

export function configChanges(before: unknown, after: unknown): ConfigChange[] {
	const changes: ConfigChange[] = [];
	const walk = (from: Record<string, unknown>, to: Record<string, unknown>, at: string[]): void => {
		for (const key of Object.keys(from)) {
			if (!Object.hasOwn(to, key)) {
				changes.push({op: 'remove', path: [...at, key]});
			}
		}

		for (const key of Object.keys(to)) {
			const path = [...at, key];
			const next = to[key];
			if (!Object.hasOwn(from, key)) {
				changes.push({op: 'set', path, value: next});
				continue;
			}

			const previous = from[key];
			if (isRecord(previous) && isRecord(next)) {
				walk(previous, next, path);
			} else if (!isDeepStrictEqual(previous, next)) {
				changes.push({op: 'set', path, value: next});
			}
		}
	};

	if (isRecord(before) && isRecord(after)) {
		walk(before, after, []);
	} else if (!isDeepStrictEqual(before, after)) {
		changes.push({op: 'set', path: [], value: after});
	}

	return changes;
}
