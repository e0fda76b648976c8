// A status pane (Runtime, Channels, Reload): its view lines, fitted to the rows the box has (fitLines: what matters
// most stays, spare rows carry long values on), the title counting the lines a taller terminal would show.
import {Box} from 'ink';
import {memo} from 'react';
import {fitLines, type ViewLine} from '../state/view-lines.js';
import {Field, fieldLabelWidth} from './Field.js';
import {Pane} from './Pane.js';

export type LinesPaneProps = {title: string; lines: ViewLine[]; focused: boolean; width: number; height: number; labelWidth?: number};

function LinesPaneView({title, lines, focused, width, height, labelWidth}: LinesPaneProps) {
	// Borders and the title line take three rows.
	const room = Math.max(0, height - 3);
	const fitted = fitLines(lines, room, {rowWidth: width - 2, labelWidth: labelWidth ?? fieldLabelWidth});
	return (
		<Pane title={fitted.hidden > 0 ? `${title} +${fitted.hidden}` : title} focused={focused} width={width} height={height}>
			<Box flexDirection="column" overflowY="hidden" height={room}>
				{fitted.lines.map((line, index) => (
					// eslint-disable-next-line react/no-array-index-key -- lines have no identity beyond their position
					<Field key={index} label={line.label} value={line.value} tone={line.tone} labelWidth={labelWidth} width={width - 2} />
				))}
			</Box>
		</Pane>
	);
}

function sameLines(a: ViewLine[], b: ViewLine[]): boolean {
	return a.length === b.length && a.every((line, index) => line.label === b[index].label && line.value === b[index].value && line.tone === b[index].tone);
}

/** The lines are computed afresh on every render of the App: compare what they say, not the arrays. */
export const LinesPane = memo(
	LinesPaneView,
	(before, after) =>
		before.title === after.title &&
		before.focused === after.focused &&
		before.width === after.width &&
		before.height === after.height &&
		before.labelWidth === after.labelWidth &&
		sameLines(before.lines, after.lines),
);
