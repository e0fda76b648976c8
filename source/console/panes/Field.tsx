// One `label  value` line of a status pane, cut at the pane's width.
import {Text} from 'ink';
import {useTheme} from '../ThemeContext.js';
import type {Theme} from '../theme.js';
import {fitLine} from '../state/view-lines.js';

export type Tone = 'ok' | 'warn' | 'error' | 'muted' | 'info';

export function toneColour(theme: Theme, tone: Tone | undefined): string | undefined {
	switch (tone) {
		case 'ok':
			return theme.ok;
		case 'warn':
			return theme.warn;
		case 'error':
			return theme.error;
		case 'muted':
			return theme.muted;
		case 'info':
			return theme.info;
		case undefined:
			return undefined;
		// The return type allows undefined, so a missing case would not fail tsc by itself: this line does.
		default: {
			tone satisfies never;
			return undefined;
		}
	}
}

/** The columns a label takes (padded) unless the pane sets its own. */
export const fieldLabelWidth = 9;

export function Field({label, value, tone, labelWidth = fieldLabelWidth, width}: {label: string; value: string; tone?: Tone; labelWidth?: number; width: number}) {
	const theme = useTheme();
	const fitted = fitLine(label, value, labelWidth, width);
	return (
		<Text>
			<Text color={theme.muted}>{fitted.label}</Text>
			<Text color={toneColour(theme, tone)} bold={tone === 'error'}>
				{fitted.value}
			</Text>
		</Text>
	);
}
