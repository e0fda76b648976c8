// JSON merge patch (RFC 7396) for `config.patch`: objects merge key by key, `null` deletes, anything else replaces.
import {isRecord} from '../../source/protocol/index.js';
import {setOwn} from '../../source/protocol/config/object-keys.js';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
	if (!isRecord(patch)) {
		return structuredClone(patch);
	}

	const out: Record<string, unknown> = isRecord(target) ? structuredClone(target) : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) {
			delete out[key];
		} else {
			setOwn(out, key, applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value));
		}
	}

	return out;
}
