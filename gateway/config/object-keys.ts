// Config objects come from text a token holder or an editor wrote. Three key names must never become properties:
// `__proto__` assigned with `obj[key] = v` replaces the object's prototype (a config that reads `{}` but whose
// lookups find `gateway.auth.mode: "none"` through the prototype), and `constructor`/`prototype` are how a payload
// reaches a prototype from a plain object. They are refused wherever a config is read, and every copy is made with
// own-property definitions, so a key that slipped through still could not set a prototype.
import {isRecord} from '../../source/protocol/index.js';

export const prototypeKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Where `value` holds a prototype key, as config paths (`gateway.__proto__`, `agents.list[0].constructor`). */
export function prototypeKeyPaths(value: unknown, at = '', out: string[] = []): string[] {
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) {
			prototypeKeyPaths(item, `${at}[${index}]`, out);
		}
	} else if (isRecord(value)) {
		for (const key of Object.keys(value)) {
			const keyPath = at ? `${at}.${key}` : key;
			if (prototypeKeys.has(key)) {
				out.push(keyPath);
			} else {
				prototypeKeyPaths(value[key], keyPath, out);
			}
		}
	}

	return out;
}

/** One issue line per prototype key, in the `path: message` form of schema issues. */
export function prototypeKeyIssues(value: unknown): string[] {
	return prototypeKeyPaths(value).map((keyPath) => `${keyPath}: key not allowed (__proto__, constructor and prototype are never config keys)`);
}

/** `target[key] = value` as an own data property, whatever the key (no prototype setter is ever invoked). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
}
