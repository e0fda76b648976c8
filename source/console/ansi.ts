// SGR escapes for the log rows, which are handed to Ink as finished strings (see panes/LogsPane.tsx for why).
// Colour names are the ones the theme uses; an undefined colour writes no colour code (NO_COLOR).
const foreground: Record<string, number> = {
	black: 30,
	red: 31,
	green: 32,
	yellow: 33,
	blue: 34,
	magenta: 35,
	cyan: 36,
	white: 37,
	gray: 90,
	grey: 90,
};

export type SgrStyle = {color?: string; inverse?: boolean; bold?: boolean};

export function sgr(text: string, style: SgrStyle): string {
	const codes: number[] = [];
	if (style.bold) {
		codes.push(1);
	}

	if (style.inverse) {
		codes.push(7);
	}

	const colour = style.color ? foreground[style.color] : undefined;
	if (colour !== undefined) {
		codes.push(colour);
	}

	return codes.length === 0 || text === '' ? text : `\u001B[${codes.join(';')}m${text}\u001B[0m`;
}
