// Secrets in config snapshots sent to clients: every string under a secret-named key becomes the sentinel, in the
// parsed object and in the raw text alike; so does a secret URL (a webhook URL is its own credential), and a URL that
// carries credentials (`https://user:pass@host`, `?token=...`) keeps its shape with the credentials masked. A client
// that sends the redacted form back (it edited something else) gets the stored value restored, so a
// read-modify-write never wipes a secret it could not see.
import {errorCodes, GatewayError, isRecord} from '../../source/protocol/index.js';
import {setOwn} from '../../source/protocol/config/object-keys.js';
import {isSecretUrlKey, secretKeyPattern} from '../logs/redact.js';

export const redactedSentinel = '__OPENCLAW_REDACTED__';

/** Query parameters that carry credentials in URLs people paste into configs. */
const secretQueryParameter = /^(?:access[-_]?token|token|key|api[-_]?key|sig|signature|secret|password|auth)$/i;

/** A URL string with its userinfo and credential query values masked; the string itself when it carries none. */
export function redactUrlCredentials(value: string): string {
	if (!/^[a-z][a-z\d+.-]*:\/\//i.test(value)) {
		return value;
	}

	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return value;
	}

	let changed = false;
	if (url.password) {
		url.password = redactedSentinel;
		changed = true;
	} else if (url.username) {
		// A lone userinfo part (`https://TOKEN@host`) is how many APIs take a key.
		url.username = redactedSentinel;
		changed = true;
	}

	for (const name of [...url.searchParams.keys()]) {
		if (secretQueryParameter.test(name)) {
			url.searchParams.set(name, redactedSentinel);
			changed = true;
		}
	}

	return changed ? url.href : value;
}

/** What a reader sees for the string `value` at `key` (inside `parentKey`). */
function redactString(key: string, parentKey: string, value: string): string {
	if (value === '') {
		return value;
	}

	if (secretKeyPattern.test(key) || isSecretUrlKey(key, parentKey)) {
		return redactedSentinel;
	}

	return redactUrlCredentials(value);
}

export function redactConfig<T>(value: T, key = '', parentKey = ''): T {
	if (typeof value === 'string') {
		return redactString(key, parentKey, value) as T;
	}

	if (Array.isArray(value)) {
		return value.map((item) => redactConfig(item, key, parentKey)) as T;
	}

	if (isRecord(value)) {
		const out: Record<string, unknown> = {};
		for (const [childKey, item] of Object.entries(value)) {
			setOwn(out, childKey, redactConfig(item, childKey, key));
		}

		return out as T;
	}

	return value;
}

/** Every string `redactConfig` would change, with what it becomes. */
function secretStrings(value: unknown, key = '', parentKey = '', out = new Map<string, string>()): Map<string, string> {
	if (typeof value === 'string') {
		const redacted = redactString(key, parentKey, value);
		if (redacted !== value) {
			out.set(value, redacted);
		}
	} else if (Array.isArray(value)) {
		for (const item of value) {
			secretStrings(item, key, parentKey, out);
		}
	} else if (isRecord(value)) {
		for (const [childKey, item] of Object.entries(value)) {
			secretStrings(item, childKey, key, out);
		}
	}

	return out;
}

/** `token: "x"`, `"apiKey": 'x'`: a quoted value after a secret-named key, found in text that may not even parse. */
const secretAssignment =
	/(\b[\w-]*(?:token|password|passwd|secret|api[-_]?key|private[-_]?key|authorization)["']?\s*:\s*)(["'])((?:(?!\2)[^\\]|\\.)+)\2/gi;

/**
 * The file text with each secret string literal (double- or single-quoted, as JSON5 allows) replaced by the
 * sentinel; layout and comments kept. Works on broken files too: values after secret-named keys are masked by
 * pattern, and the secrets of `parsed` (the last good config, if the text does not parse) wherever they appear.
 */
export function redactRawConfig(raw: string, parsed: unknown): string {
	const masked = raw.replace(secretAssignment, (_match, lead: string, quote: string) => `${lead}${quote}${redactedSentinel}${quote}`);
	const escape = (text: string) => JSON.stringify(text).slice(1, -1);
	const forms = new Map<string, string>();
	for (const [secret, redacted] of secretStrings(parsed)) {
		forms.set(secret, redacted);
		forms.set(escape(secret), escape(redacted));
	}

	return replaceStringLiterals(masked, forms);
}

/** A string literal starting at a quote (zero-width, so a stray apostrophe in a comment cannot misalign the scan). */
const quotedLiteralAhead = /(?=(["'])((?:(?!\1)[^\\\n\r]|\\[\s\S])*)\1)/g;

/**
 * Each quoted literal whose text is a key of `forms` replaced by its value, in one pass over the text. One regex scan
 * per secret made config.get quadratic: a read-scope client could block the event loop for seconds at will.
 */
function replaceStringLiterals(text: string, forms: ReadonlyMap<string, string>): string {
	if (forms.size === 0) {
		return text;
	}

	let out = '';
	let copied = 0;
	for (const match of text.matchAll(quotedLiteralAhead)) {
		const [, quote, body] = match;
		const replacement = forms.get(body);
		if (match.index < copied || replacement === undefined) {
			continue;
		}

		out += `${text.slice(copied, match.index)}${quote}${replacement}${quote}`;
		copied = match.index + body.length + 2;
	}

	return out + text.slice(copied);
}

/**
 * Put the stored secrets back where a submitted config carries their redacted form. A placeholder with no stored
 * secret at the same path is refused: writing the placeholder itself as a token would lock clients out.
 */
export function restoreRedacted(submitted: unknown, stored: unknown, path = '', key = '', parentKey = ''): unknown {
	if (typeof submitted === 'string' && submitted.includes(redactedSentinel)) {
		if (typeof stored === 'string' && (submitted === redactedSentinel || redactString(key, parentKey, stored) === submitted)) {
			return stored;
		}

		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `${path || '(root)'} holds the redaction placeholder but no secret is stored there: send the real value`,
			details: {issues: [`${path || '(root)'}: redaction placeholder without a stored secret`]},
		});
	}

	if (Array.isArray(submitted)) {
		return submitted.map((item, index) =>
			restoreRedacted(item, Array.isArray(stored) ? stored[index] : undefined, `${path}[${index}]`, key, parentKey),
		);
	}

	if (isRecord(submitted)) {
		const out: Record<string, unknown> = {};
		for (const [childKey, item] of Object.entries(submitted)) {
			const storedItem = isRecord(stored) && Object.hasOwn(stored, childKey) ? stored[childKey] : undefined;
			setOwn(out, childKey, restoreRedacted(item, storedItem, path ? `${path}.${childKey}` : childKey, childKey, key));
		}

		return out;
	}

	return submitted;
}
