// Text from outside this process (a gateway's answers, a channel API's error text, a log line, ssh's stderr) made
// safe to put on a terminal: no character of it is one the terminal would obey. Raw, an escape sequence retitles the
// window (OSC 0), writes the clipboard (OSC 52), moves the cursor or recolours the screen, and a bidi override makes
// text read as something it is not. Every such character is replaced by a visible stand-in, never dropped, so the
// operator sees that something tried: C0 controls and DEL in caret notation as `cat -v` and `less` show them (ESC is
// `^[`, BEL `^G`), so `\e]0;title\a` reads `^[]0;title^G`; C1 controls (0x9b is CSI, 0x9d OSC on many terminals),
// bidi controls, invisible format characters and lone surrogates as U+FFFD. Character by character, with no
// parsing of sequences: whatever a sequence looks like, none of its bytes reaches the terminal as a control.

export type TerminalSafeOptions = {
	/**
	 * Keep line feeds and tabs (a CLI's multi-line output, where they lay text out and control nothing else).
	 * Otherwise (one status line, one log row) a line feed shows as `^J` and a tab becomes two spaces.
	 */
	multiline?: boolean;
};

// C0, DEL, C1; bidi marks, embeddings, overrides and isolates; zero-width space, word joiner and invisible
// operators, line and paragraph separators, BOM, interlinear annotation; lone surrogates. Not ZWJ and ZWNJ: emoji
// sequences and several scripts need them, and they control nothing.
const bidiAndInvisible = String.raw`\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB`;
const unsafePattern = String.raw`[\p{Cc}\p{Cs}${bidiAndInvisible}]`;
const hasUnsafe = new RegExp(unsafePattern, 'u');
const unsafeCharacters = new RegExp(unsafePattern, 'gu');

function standIn(character: string, multiline: boolean): string {
	if (character === '\t') {
		return multiline ? '\t' : '  ';
	}

	if (character === '\n' && multiline) {
		return '\n';
	}

	const code = character.codePointAt(0)!;
	if (code < 0x20) {
		return `^${String.fromCodePoint(code + 0x40)}`;
	}

	return code === 0x7f ? '^?' : '\uFFFD';
}

/** `text` with every control, bidi and invisible format character replaced by a visible stand-in. */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
	if (!hasUnsafe.test(text)) {
		return text;
	}

	const multiline = options.multiline === true;
	return text.replace(unsafeCharacters, (character) => standIn(character, multiline));
}

// JSON.stringify escapes C0 controls and lone surrogates itself; these it leaves raw.
const rawInJson = new RegExp(String.raw`[\u007F-\u009F${bidiAndInvisible}]`, 'g');

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal obeys or hides (DEL, C1 controls such as
 * 0x9b CSI, bidi and invisible format characters) written as \u escapes: the same JSON value, safe to print. Outside
 * strings JSON has only ASCII, so every such character is inside a string, where a \u escape means the same.
 */
export function terminalSafeJson(json: string): string {
	return json.replace(rawInJson, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPlainObject(value: object): value is Record<string, unknown> {
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

// Deeper than any answer a view reads from; JSON from a peer can nest far deeper, and this walk must not overflow.
const maxDepth = 32;

/**
 * `value` with every string in it made terminal-safe: array items, object values and object keys, at any depth up to
 * 32 levels (deeper values are left out). Returns the very same value when nothing needed a change, so state that
 * did not change keeps its identity. Only plain objects and arrays are walked; other objects are kept as they are.
 */
export function terminalSafeStrings<T>(value: T, options: TerminalSafeOptions = {}): T {
	return safeValue(value, options, 0) as T;
}

function safeValue(value: unknown, options: TerminalSafeOptions, depth: number): unknown {
	if (typeof value === 'string') {
		return terminalSafe(value, options);
	}

	if (typeof value !== 'object' || value === null) {
		return value;
	}

	if (depth >= maxDepth) {
		return undefined;
	}

	if (Array.isArray(value)) {
		// Copied only from the first item that changes: a log batch of clean lines costs no allocation.
		let items: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const item: unknown = value[index];
			const safe = safeValue(item, options, depth + 1);
			if (!items && safe !== item) {
				items = value.slice(0, index);
			}

			items?.push(safe);
		}

		return items ?? value;
	}

	if (!isPlainObject(value)) {
		return value;
	}

	const keys = Object.keys(value);
	let entries: Array<[string, unknown]> | undefined;
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index];
		const item = value[key];
		const safeKey = terminalSafe(key, options);
		const safe = safeValue(item, options, depth + 1);
		if (!entries && (safeKey !== key || safe !== item)) {
			entries = keys.slice(0, index).map((kept) => [kept, value[kept]]);
		}

		entries?.push([safeKey, safe]);
	}

	// fromEntries defines own properties: a key named `__proto__` stays a key and never becomes the prototype.
	return entries ? Object.fromEntries(entries) : value;
}
