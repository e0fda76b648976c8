// `?`: every key, from the same keymap that handles input, the focused pane's section first.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../ThemeContext.js';
import {layoutHelp, type HelpRow} from '../help-columns.js';
import {helpSections, type View} from '../keymap.js';
import type {Theme} from '../theme.js';
import type {ReachCommand} from '../state/reach-command.js';

export type HelpOverlayProps = {
	focus: View;
	width: number;
	height: number;
	/** A throwaway gateway: where its token is and the command another terminal runs to reach it. */
	reach?: ReachCommand;
};

export function HelpOverlay({focus, width, height, reach}: HelpOverlayProps) {
	const theme = useTheme();
	// The reach block is never cut (its command is meant to be copied whole): the rows it takes once wrapped to the
	// box, and its blank line, come off the keys' room, or the box would clip rows out of the middle of the list.
	const reachLines = reach
		? [`This gateway (temporary, removed on quit): port ${reach.port}`, `Token file: ${reach.tokenFile}`, 'From another terminal:', `  ${reach.command}`]
		: [];
	const reachRows = reachLines.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / Math.max(1, width - 2))), 0);
	const room = Math.max(1, height - 3 - (reach ? reachRows + 1 : 0));
	const {columns, columnWidth} = layoutHelp(helpSections(focus), focus, width - 2, room);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.focusBorder} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text bold>{'Keys  (? or Esc closes)'}</Text>
				{focus === 'fleet' ? undefined : <Text color={theme.muted}>{'   a pane title\'s +N: lines a taller terminal shows'}</Text>}
			</Text>
			{reach ? (
				<Box flexDirection="column" marginBottom={1}>
					<Text>
						<Text bold color={theme.accent}>
							{'This gateway'}
						</Text>
						<Text color={theme.muted}>{reachLines[0].slice('This gateway'.length)}</Text>
					</Text>
					<Text color={theme.muted}>{reachLines[1]}</Text>
					<Text color={theme.muted}>{reachLines[2]}</Text>
					<Text>{reachLines[3]}</Text>
				</Box>
			) : undefined}
			<Box flexDirection="row" height={room} overflowY="hidden">
				{columns.map((column, index) => (
					// eslint-disable-next-line react/no-array-index-key -- columns have no identity beyond their position
					<Box key={index} flexDirection="column" width={columnWidth + 1} overflowY="hidden">
						{column.map((row, rowIndex) => (
							// eslint-disable-next-line react/no-array-index-key -- rows have no identity beyond their position
							<Box key={rowIndex}>{helpRow(row, theme)}</Box>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}

function helpRow(row: HelpRow, theme: Theme): ReactNode {
	switch (row.kind) {
		case 'title':
			return (
				<Text bold color={theme.accent}>
					{row.text}
				</Text>
			);
		case 'brief':
			return <Text wrap="truncate-end">{`  ${row.text}`}</Text>;
		default:
			return (
				<Text wrap="truncate-end">
					<Text bold color={theme.info}>{`  ${(row.key ?? '').padEnd(10)}`}</Text>
					<Text>{row.text}</Text>
				</Text>
			);
	}
}
