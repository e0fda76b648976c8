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
