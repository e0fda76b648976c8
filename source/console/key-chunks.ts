// Keys that arrive in one read: a paste, fast typing, a laggy SSH link, or `jjj` held down. Ink hands such a chunk to
// useInput as one `input` string ("jjj", "\t\t") that matches no binding, so every key in it was lost. Split it into
// the key presses it holds, in order. Escape sequences (arrows, Shift-Tab) and Ctrl/Meta chords stay whole: Ink
// already parsed those into one key.
import type {KeyPress} from './intents.js';
import type {KeyEvent} from './keymap.js';

function pressFor(character: string): KeyPress {
	const key: KeyEvent = {};
	switch (character) {
		case '\t': {
			key.tab = true;
			return {input: '', key};
		}

		case '\r':
		case '\n': {
			key.return = true;
			return {input: '', key};
		}

		case '\u007F':
		case '\b': {
			key.backspace = true;
			return {input: '', key};
		}

		default: {
			if (character !== character.toLowerCase()) {
				key.shift = true;
			}

			return {input: character, key};
		}
	}
}

export function splitKeyChunk(press: KeyPress): KeyPress[] {
	const {input, key} = press;
	const characters = [...input];
	if (characters.length <= 1 || input.includes('\u001B') || key.ctrl || key.meta) {
		return [press];
	}

	return characters.map((character) => pressFor(character));
}
