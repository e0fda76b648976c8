// Colours by role, not hue, as SGR codes. Callers decide whether colour is on (TTY and no NO_COLOR).
export type Role = 'ok' | 'warn' | 'fail' | 'muted' | 'strong';

const codes: Record<Role, [number, number]> = {
	ok: [32, 39],
	warn: [33, 39],
	fail: [31, 39],
	muted: [2, 22],
	strong: [1, 22],
};

export function paint(role: Role, text: string): string {
	const [open, close] = codes[role];
	return `\u001B[${open}m${text}\u001B[${close}m`;
}

/**
 * Exactly the codes `paint` writes: what a human line may keep when it is made terminal-safe. Text from a gateway
 * that carries one of them can at most colour itself green, yellow, red, dim or bold; never hide, move or retitle.
 */
export const paintCodes = new RegExp(
	`\u001B\\[(?:${[...new Set(Object.values(codes).flat())].join('|')})m`,
	'g',
);
