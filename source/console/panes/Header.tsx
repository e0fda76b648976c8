// The top line: where the console is pointed and the link state, always visible; a flash message on the right.
import {Box, Text} from 'ink';
import {terminalText} from '../../cli-output/terminal-text.js';
import {useTheme} from '../ThemeContext.js';
import type {StatusLine} from '../state/connection.js';
import type {Flash} from '../state/ui.js';
import {toneColour} from './Field.js';

/** Link states and flashes quote gateway errors and URLs: terminal-safe, on the one line the header has. */
function oneLine(text: string): string {
	return terminalText(text).replaceAll('\n', ' ');
}

export function Header({target, link, flash, width}: {target: string; link: StatusLine; flash?: Flash; width: number}) {
	const theme = useTheme();
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text bold color={theme.accent}>
					openclaw console
				</Text>
				<Text color={theme.muted}>{`  ${oneLine(target)}  `}</Text>
				<Text color={toneColour(theme, link.tone)}>{oneLine(link.text)}</Text>
				{flash ? <Text color={toneColour(theme, flash.tone)}>{`  | ${oneLine(flash.text)}`}</Text> : null}
			</Text>
		</Box>
	);
}
