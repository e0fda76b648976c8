// How unknown config keys are named to an operator (log lines, doctor, the console, the Control UI). Apart from
// unknown-keys.ts, which walks the zod schema, so that the browser bundle can say it without loading zod.
export type UnknownKey = {path: string; suggestion?: string};

/**
 * Key names are whatever the file says, and config.patch lets a token holder write the file: control characters are
 * shown escaped, so a line that reaches a terminal (the gateway's stderr) cannot drive it.
 */
function printable(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `gateway.prot (did you mean "port"?)`. */
export function describeUnknownKey(key: UnknownKey): string {
	return key.suggestion ? `${printable(key.path)} (did you mean "${key.suggestion}"?)` : printable(key.path);
}

/** Past this many, a log line or a doctor message names the count instead: a pasted foreign config can have hundreds. */
export const unknownKeysShown = 20;

/**
 * `unknown key gateway.prot (did you mean "port"?)`, or `unknown keys a, b, c and 7 more`; empty for none. `omitted`
 * counts keys the caller never had (a capped list from health).
 */
export function unknownKeysSummary(keys: readonly UnknownKey[], limit = unknownKeysShown, omitted = 0): string {
	const total = keys.length + omitted;
	if (total === 0) {
		return '';
	}

	const shown = keys.slice(0, limit).map(describeUnknownKey).join(', ');
	const more = total - Math.min(keys.length, limit);
	return `unknown key${total === 1 ? '' : 's'} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}
