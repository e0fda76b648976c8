// Secret masking for everything the gateway writes or serves as log text. It runs on the finished JSON line, so a
// secret is caught wherever it sits: in the message, in a field, or inside a JSON string nested in a string.
export const redactionMask = '***';

/** Keys whose string values are secrets, in config files and in log fields alike. */
export const secretKeyPattern = /(?:token|password|passwd|secret|api[-_]?key|private[-_]?key|authorization)$/i;

/** Secrets shorter than this are not masked literally: masking "ab" everywhere would shred the log. */
const minLiteralLength = 4;

const builtinPatterns: Array<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
	// "token":"x" and \"apiKey\":\"x\" (a JSON object serialized inside a JSON string)
	[
		/(\\*")([\w-]*(?:token|password|passwd|secret|api[-_]?key|private[-_]?key|authorization))(\\*"\s*:\s*\\*")((?:[^"\\]|\\(?!"))*)(?=\\*")/gi,
		(_match, open: string, key: string, middle: string, value: string) =>
			value === '' || value === redactionMask ? `${open}${key}${middle}${value}` : `${open}${key}${middle}${redactionMask}`,
	],
	// Authorization: Basic xyz / authorization=xyz in header dumps and query strings
	[/(authorization\s*[:=]\s*)(?!\*\*\*)(?:(bearer|basic|token)\s+)?[^\s"',;\\]+/gi, (_m, lead: string, scheme?: string) => `${lead}${scheme ? `${scheme} ` : ''}${redactionMask}`],
	[/\b(bearer\s+)(?!\*\*\*)[\w.~+/=-]{4,}/gi, `$1${redactionMask}`],
	// OpenAI-style keys (sk-..., sk-proj-...), Slack tokens (xoxb-...), GitHub tokens
	[/\bsk-[\w-]{12,}/g, `sk-${redactionMask}`],
	[/\bxox[abposr]-[\w-]{8,}/g, redactionMask],
	[/\bgh[pousr]_[A-Za-z\d]{20,}/g, redactionMask],
	// Telegram bot tokens: <bot id>:<35 chars>, also inside https://api.telegram.org/bot<token>/getMe
	[/(?<!\d)\d{6,12}:[\w-]{30,}/g, redactionMask],
];

export type RedactorOptions = {
	/** Extra regular expressions (logging.redactPatterns); each match is masked. */
	patterns?: readonly string[];
};

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks the configured secrets literally plus everything that looks like a credential. Secrets can change at runtime (hot reload, restart). */
export class Redactor {
	private readonly secretsBySource = new Map<string, string[]>();
	private literal?: RegExp;
	private custom: RegExp[] = [];

	constructor(options: RedactorOptions = {}) {
		this.setPatterns(options.patterns ?? []);
	}

	/** Replace the literal secrets from one source (e.g. 'auth' for the gateway token, 'config' for channel tokens). */
	setSecrets(source: string, values: ReadonlyArray<string | undefined>): void {
		this.secretsBySource.set(
			source,
			values.filter((value): value is string => typeof value === 'string' && value.length >= minLiteralLength),
		);
		const all = [...new Set([...this.secretsBySource.values()].flat())].sort((a, b) => b.length - a.length);
		// JSON.stringify escapes some characters, so a secret must also be found in its escaped form.
		const forms = new Set(all.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]));
		this.literal = forms.size > 0 ? new RegExp([...forms].map(escapeRegExp).join('|'), 'g') : undefined;
	}

	/** Invalid patterns are skipped (a typo in logging.redactPatterns must not stop logging). */
	setPatterns(patterns: readonly string[]): string[] {
		const invalid: string[] = [];
		this.custom = [];
		for (const pattern of patterns) {
			try {
				this.custom.push(new RegExp(pattern, 'g'));
			} catch {
				invalid.push(pattern);
			}
		}

		return invalid;
	}

	redact(text: string): string {
		let out = text;
		if (this.literal) {
			out = out.replace(this.literal, redactionMask);
		}

		for (const [pattern, replacement] of builtinPatterns) {
			out = out.replace(pattern, replacement as string);
		}

		for (const pattern of this.custom) {
			out = out.replace(pattern, redactionMask);
		}

		return out;
	}
}

/** Keys whose value is a URL that works as a credential by itself (Slack/Discord webhooks embed their token). */
export function isSecretUrlKey(key: string, parentKey: string): boolean {
	return /webhook[-_]?url$/i.test(key) || (/^url$/i.test(key) && /webhook/i.test(parentKey));
}

/** The credential parts of a URL string (its password, or a lone user name that stands for a key); none for text. */
function urlCredentials(value: string): string[] {
	if (!/^[a-z][a-z\d+.-]*:\/\/[^/?#]*@/i.test(value)) {
		return [];
	}

	try {
		const url = new URL(value);
		const secret = url.password || url.username;
		if (!secret) {
			return [];
		}

		let decoded = secret;
		try {
			decoded = decodeURIComponent(secret);
		} catch {}

		return [...new Set([secret, decoded])];
	} catch {
		return [];
	}
}

/**
 * Every string a log line must not show, anywhere in a config object (to mask those values literally): values under
 * secret-named keys, webhook URLs (the URL is the credential), and credentials inside URLs.
 */
export function collectSecretValues(value: unknown, out: string[] = [], parentKey = ''): string[] {
	if (Array.isArray(value)) {
		for (const item of value) {
			collectSecretValues(item, out, parentKey);
		}
	} else if (typeof value === 'object' && value !== null) {
		for (const [key, item] of Object.entries(value)) {
			if (typeof item !== 'string') {
				collectSecretValues(item, out, key);
			} else if (secretKeyPattern.test(key) || isSecretUrlKey(key, parentKey)) {
				out.push(item);
			} else {
				out.push(...urlCredentials(item));
			}
		}
	}

	return out;
}
