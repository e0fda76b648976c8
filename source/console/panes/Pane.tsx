// A bordered pane with a title line. Focus shows as a double border and a marker, not by colour alone (NO_COLOR).
// The console's boxes clip rows only (overflowY): every text in them is wrapped or cut to its box already (log rows
// by terminal cells, state/cell-width.ts), and clipping sideways would make Ink slice every line of every frame.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../ThemeContext.js';

export type PaneProps = {
	title: string;
	focused: boolean;
	width: number;
	height: number;
	/** Right side of the title line (status chips). */
	extra?: ReactNode;
	children?: ReactNode;
};

export function Pane({title, focused, width, height, extra, children}: PaneProps) {
	const theme = useTheme();
	return (
		<Box
			flexDirection="column"
			width={width}
			height={height}
			overflowY="hidden"
			borderStyle={focused ? 'double' : 'single'}
			borderColor={focused ? theme.focusBorder : theme.border}
		>
			<Box height={1} overflowY="hidden">
				<Text wrap="truncate-end" bold={focused}>
					{focused ? '▸ ' : '  '}
					{title}
				</Text>
				{extra ? <Box marginLeft={2}>{extra}</Box> : null}
			</Box>
			{children}
		</Box>
	);
}
