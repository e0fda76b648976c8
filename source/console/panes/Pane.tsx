// A bordered pane with a title line. Focus shows as a double border and a marker, not by colour alone (NO_COLOR).
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
			overflow="hidden"
			borderStyle={focused ? 'double' : 'single'}
			borderColor={focused ? theme.focusBorder : theme.border}
		>
			<Box height={1} overflow="hidden">
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
