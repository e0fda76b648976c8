// Colours by role, not hue, as SGR codes. Callers decide whether colour is on (TTY and no NO_COLOR).
export const roles = ['ok', 'warn', 'fail', 'muted', 'strong'] as const;
export type Role = (typeof roles)[number];

const codes: Record<Role, [number, number]> = {
	ok: [32, 39],
	warn: [33, 39],
	fail: [31, 39],
	muted: [2, 22],
	strong: [1, 22],
};

/** The SGR code that starts the role's colour, or with `close` the one that ends it. */
export function colourCode(role: Role, close = false): string {
	return `\u001B[${codes[role][close ? 1 : 0]}m`;
}
