// A status pane (Runtime, Channels, Reload): its view lines, cut to the rows the box has.
import {Box} from 'ink';
import type {ViewLine} from '../state/view-lines.js';
import {Field} from './Field.js';
import {Pane} from './Pane.js';

export type LinesPaneProps = {title: string; lines: ViewLine[]; focused: boolean; width: number; height: number; labelWidth?: number};

export function LinesPane({title, lines, focused, width, height, labelWidth}: LinesPaneProps) {
	// Borders and the title line take three rows.
	const room = Math.max(0, height - 3);
	return (
		<Pane title={title} focused={focused} width={width} height={height}>
			<Box flexDirection="column" overflow="hidden" height={room}>
				{lines.slice(0, room).map((line, index) => (
					// eslint-disable-next-line react/no-array-index-key -- lines have no identity beyond their position
					<Field key={index} label={line.label} value={line.value} tone={line.tone} labelWidth={labelWidth} width={width - 2} />
				))}
			</Box>
		</Pane>
	);
}
