// Text from a gateway, a log or a remote API as a terminal may show it. Such text is data, never instructions to the
// operator's terminal: an OSC 0 would retitle the window, OSC 52 write the clipboard, CSI sequences move the cursor
// or clear the screen, SGR recolour or hide what follows, and bidi overrides make text read differently than it is.
// Escape sequences are taken out whole; any other control or invisible format character becomes a visible `?`, so
// tampering shows instead of vanishing. The console (every pane) and the CLI's human output both go through here.

// Whole sequences: CSI (ESC [ or 8-bit 0x9B ... final byte); OSC, DCS, SOS, PM, APC strings (ESC ] P X ^ _ or 8-bit
// 0x9D 0x90 0x98 0x9E 0x9F, up to BEL or ST, or to the end when unterminated); any other two-byte ESC sequence.
const escapeSequence =
	/(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]|(?:\u001B[\]PX^_]|[\u009D\u0090\u0098\u009E\u009F])[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)?|\u001B[ -/]*[0-~]/g;
/** C0 and C1 controls (tab and newline handled by the caller), and lone ESC. */
const controlCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Bidi embeddings, overrides and isolates, and other zero-width format characters that change how text reads. */
const formatCharacter = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const needsCleaning = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** `text` safe to write to a terminal, on one line: tabs become two spaces, newlines stay (callers split rows). */
export function terminalText(text: string): string {
	if (!needsCleaning.test(text)) {
		return text;
	}

	return text.replace(escapeSequence, '').replaceAll('\t', '  ').replace(controlCharacter, '?').replace(formatCharacter, '?');
}

/** The sequences `keep` matches (a global regex of our own colour codes) survive; the rest is made safe as above. */
export function terminalTextKeepingSgr(text: string, keep: RegExp): string {
	let out = '';
	let last = 0;
	for (const match of text.matchAll(keep)) {
		out += terminalText(text.slice(last, match.index)) + match[0];
		last = match.index + match[0].length;
	}

	return out + terminalText(text.slice(last));
}
