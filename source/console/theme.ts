// Colours by role, never by hue in components. NO_COLOR is honoured here because chalk 5 (inside Ink) ignores it:
// with NO_COLOR set every role has no colour, and emphasis falls back to bold/inverse, which carry no colour.
export type Theme = {
	/** Colour names for Ink's `color` prop; undefined means the terminal's default. */
	error?: string;
	warn?: string;
	ok?: string;
	info?: string;
	muted?: string;
	accent?: string;
	focusBorder?: string;
	border?: string;
	highlight?: string;
	colour: boolean;
};

export const colourTheme: Theme = {
	error: 'red',
	warn: 'yellow',
	ok: 'green',
	info: 'cyan',
	muted: 'gray',
	accent: 'magenta',
	focusBorder: 'cyan',
	border: 'gray',
	highlight: 'yellow',
	colour: true,
};

export const monoTheme: Theme = {colour: false};

/** https://no-color.org: any non-empty NO_COLOR disables colour. */
export function themeFor(env: NodeJS.ProcessEnv = process.env): Theme {
	return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? monoTheme : colourTheme;
}
