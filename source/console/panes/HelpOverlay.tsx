// `?`: every key, from the same keymap that handles input, the focused pane's section first.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../ThemeContext.js';
import {helpSections, keyLabel, type View} from '../keymap.js';
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
	const lines: Array<{key: string; node: ReactNode}> = [];
	for (const section of helpSections(focus)) {
		lines.push({
			key: `title:${section.title}`,
			node: (
				<Text bold color={theme.accent}>
					{section.title}
				</Text>
			),
		});
		for (const binding of section.bindings) {
			lines.push({
				key: `${section.title}:${binding.command}`,
				node: (
					<Text wrap="truncate-end">
						<Text bold color={theme.info}>{`  ${keyLabel(binding.keys).padEnd(10)}`}</Text>
						<Text>{binding.description}</Text>
					</Text>
				),
			});
		}
	}

	// Columns side by side when the list is taller than the box.
	const room = Math.max(1, height - 3 - (reach ? 4 : 0));
	const columns: Array<typeof lines> = [];
	for (let index = 0; index < lines.length; index += room) {
		columns.push(lines.slice(index, index + room));
	}

	const columnWidth = Math.floor((width - 2) / Math.max(1, columns.length));
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.focusBorder} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text bold>{'Keys  (? or Esc closes)'}</Text>
				<Text color={theme.muted}>{'   a pane title\'s +N: lines a taller terminal shows'}</Text>
			</Text>
			{reach ? (
				// Never cut: the command is meant to be copied whole (the box clips a line longer than the terminal).
				<Box flexDirection="column" marginBottom={1}>
					<Text>
						<Text bold color={theme.accent}>
							{'This gateway'}
						</Text>
						<Text color={theme.muted}>{` (temporary, removed on quit): port ${reach.port}, token file ${reach.tokenFile}`}</Text>
					</Text>
					<Text color={theme.muted}>{'From another terminal:'}</Text>
					<Text>{`  ${reach.command}`}</Text>
				</Box>
			) : undefined}
			<Box flexDirection="row" height={room} overflowY="hidden">
				{columns.map((column) => (
					<Box key={column[0].key} flexDirection="column" width={columnWidth} overflowY="hidden">
						{column.map((line) => (
							<Box key={line.key}>{line.node}</Box>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
