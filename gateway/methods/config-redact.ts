// Secrets in config snapshots sent to clients: every string under a secret-named key becomes the sentinel, in the
// parsed object and in the raw text alike. A client that sends the sentinel back (it edited something else) gets
// the stored secret restored, so a read-modify-write never wipes a token it could not see.
import {errorCodes, GatewayError, isRecord} from '../../source/protocol/index.js';
import {secretKeyPattern} from '../logs/redact.js';

export const redactedSentinel = '__OPENCLAW_REDACTED__';

export function redactConfig<T>(value: T): T {
	if (Array.isArray(value)) {
		return value.map((item) => redactConfig(item)) as T;
	}

	if (isRecord(value)) {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			out[key] = typeof item === 'string' && secretKeyPattern.test(key) && item !== '' ? redactedSentinel : redactConfig(item);
		}

		return out as T;
	}

	return value;
}

function secretStrings(value: unknown, out = new Set<string>()): Set<string> {
	if (Array.isArray(value)) {
		for (const item of value) {
			secretStrings(item, out);
		}
	} else if (isRecord(value)) {
		for (const [key, item] of Object.entries(value)) {
			if (typeof item === 'string' && secretKeyPattern.test(key) && item !== '') {
				out.add(item);
			} else {
				secretStrings(item, out);
			}
		}
	}

	return out;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
	let out = raw.replace(secretAssignment, (_match, lead: string, quote: string) => `${lead}${quote}${redactedSentinel}${quote}`);
	for (const secret of [...secretStrings(parsed)].sort((a, b) => b.length - a.length)) {
		const escaped = JSON.stringify(secret).slice(1, -1);
		const forms = new Set([secret, escaped]);
		for (const form of forms) {
			const pattern = new RegExp(`(["'])${escapeRegExp(form)}\\1`, 'g');
			out = out.replace(pattern, `$1${redactedSentinel}$1`);
		}
	}

	return out;
}

/**
 * Put the stored secrets back where a submitted config carries the sentinel. A sentinel with no stored secret at
 * the same path is refused: writing the placeholder itself as a token would lock clients out.
 */
export function restoreRedacted(submitted: unknown, stored: unknown, path = ''): unknown {
	if (submitted === redactedSentinel) {
		if (typeof stored === 'string') {
			return stored;
		}

		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `${path || '(root)'} holds the redaction placeholder but no secret is stored there: send the real value`,
			details: {issues: [`${path || '(root)'}: redaction placeholder without a stored secret`]},
		});
	}

	if (Array.isArray(submitted)) {
		return submitted.map((item, index) => restoreRedacted(item, Array.isArray(stored) ? stored[index] : undefined, `${path}[${index}]`));
	}

	if (isRecord(submitted)) {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(submitted)) {
			out[key] = restoreRedacted(item, isRecord(stored) ? stored[key] : undefined, path ? `${path}.${key}` : key);
		}

		return out;
	}

	return submitted;
}
