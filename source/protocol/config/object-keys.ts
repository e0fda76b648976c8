// Config objects come from text a token holder or an editor wrote. Three key names must never become properties:
// `__proto__` assigned with `obj[key] = v` replaces the object's prototype (a config that reads `{}` but whose
// lookups find `gateway.auth.mode: "none"` through the prototype), and `constructor`/`prototype` are how a payload
// reaches a prototype from a plain object. They are refused wherever a config is read, and every copy is made with
// own-property definitions, so a key that slipped through still could not set a prototype.
import {isRecord} from '../index.js';

export const prototypeKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// Past these a config is refused: real configs are a few levels deep with short keys, and every changed path is a
// string as long as its keys together, so deep or long keys let a 2 MiB config turn into gigabytes of paths.
export const maxConfigDepth = 32;
export const maxConfigKeyLength = 256;

/** Prototype keys, over-long keys and too-deep nesting in `value`, as `path: message` issue lines (at most `limit`). */
export function configKeyIssues(value: unknown, limit = 100): string[] {
	const out: string[] = [];
	const walk = (node: unknown, at: string, depth: number): void => {
		if (out.length >= limit) {
			return;
		}

		if (depth > maxConfigDepth && (Array.isArray(node) || isRecord(node))) {
			out.push(`${at}: nested deeper than ${maxConfigDepth} levels`);
			return;
		}

		if (Array.isArray(node)) {
			for (const [index, item] of node.entries()) {
				walk(item, `${at}[${index}]`, depth + 1);
			}
		} else if (isRecord(node)) {
			for (const key of Object.keys(node)) {
				const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
				const keyPath = at ? `${at}.${shown}` : shown;
				if (prototypeKeys.has(key)) {
					out.push(`${keyPath}: key not allowed (__proto__, constructor and prototype are never config keys)`);
				} else if (key.length > maxConfigKeyLength) {
					out.push(`${keyPath}: key longer than ${maxConfigKeyLength} characters`);
				} else {
					walk(node[key], keyPath, depth + 1);
				}

				if (out.length >= limit) {
					return;
				}
			}
		}
	};

	walk(value, '', 0);
	return out;
}

/** `target[key] = value` as an own data property, whatever the key (no prototype setter is ever invoked). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
}
