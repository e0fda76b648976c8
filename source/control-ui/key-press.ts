// A browser key as the console's key handlers read it (Ink's `input` and `key`), so the page asks the console's own
// functions what a key means (keymap.ts matchBinding, intents.ts confirmKey) instead of spelling the rules again.
import type {KeyPress} from '../console/intents.js';
import type {KeyEvent} from '../console/keymap.js';

const named: Record<string, keyof KeyEvent> = {
	Enter: 'return',
	Escape: 'escape',
	Tab: 'tab',
	ArrowUp: 'upArrow',
	ArrowDown: 'downArrow',
	ArrowLeft: 'leftArrow',
	ArrowRight: 'rightArrow',
	PageUp: 'pageUp',
	PageDown: 'pageDown',
	Home: 'home',
	End: 'end',
	Backspace: 'backspace',
	Delete: 'delete',
};

export function keyPressOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'shiftKey'>): KeyPress {
	const name = named[event.key];
	return {
		// A printable key is its character (shift already applied, as Ink gives it); a named key has no input.
		input: name === undefined && event.key.length === 1 ? event.key : '',
		key: {ctrl: event.ctrlKey, shift: event.shiftKey, ...(name ? {[name]: true} : {})},
	};
}
