// The top line: where the console is pointed and the link state, always visible; a flash message on the right.
import {Box, Text} from 'ink';
import {useTheme} from '../ThemeContext.js';
import type {StatusLine} from '../state/connection.js';
import type {Flash} from '../state/ui.js';
import {toneColour} from './Field.js';

export function Header({target, link, flash, width}: {target: string; link: StatusLine; flash?: Flash; width: number}) {
	const theme = useTheme();
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text bold color={theme.accent}>
					openclaw console
				</Text>
				<Text color={theme.muted}>{`  ${target}  `}</Text>
				<Text color={toneColour(theme, link.tone)}>{link.text}</Text>
				{flash ? <Text color={toneColour(theme, flash.tone)}>{`  | ${flash.text}`}</Text> : null}
			</Text>
		</Box>
	);
}
