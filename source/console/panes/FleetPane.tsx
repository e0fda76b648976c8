// The Fleet view's table: one line per gateway, the selected one inverted (no colour needed), the state coloured by
// role; above it, a line per collision doctor --all finds among this host's profiles. Each line is a memoized component keyed by gateway: a row the reducer kept (same object) with the same
// columns and selection is not rendered again.
import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import type {FleetRow} from '../../fleet/row.js';
import {useTheme} from '../ThemeContext.js';
import {collisionLines} from '../state/fleet-audit.js';
import {columnGap, fitCell, fitColumns, headerLine, rowCells, type FleetColumn, type FleetColumnId} from '../state/fleet-columns.js';
import {selectedIndex, visibleRows, windowStart, type FleetViewState} from '../state/fleet.js';
import {toneColour, type Tone} from './Field.js';
import {Pane} from './Pane.js';

/** A row's cells, computed once per row object (rows are replaced, never changed in place). */
const cellCache = new WeakMap<FleetRow, Record<FleetColumnId, string>>();
function cachedCells(row: FleetRow): Record<FleetColumnId, string> {
	let values = cellCache.get(row);
	if (!values) {
		values = rowCells(row);
		cellCache.set(row, values);
	}

	return values;
}

function stateTone(row: FleetRow): Tone {
	return row.state === 'running' ? 'ok' : row.state === 'restarting' || row.state === 'connecting' ? 'warn' : 'error';
}

const gap = ' '.repeat(columnGap);

const FleetLine = memo(function FleetLine({row, columns, selected}: {row: FleetRow; columns: readonly FleetColumn[]; selected: boolean}) {
	const theme = useTheme();
	const values = cachedCells(row);
	return (
		<Box height={1} overflowY="hidden">
			<Text wrap="truncate-end" inverse={selected}>
				{selected ? '▸ ' : '  '}
				{columns.map((column, index) => (
					<Text key={column.id} color={column.id === 'state' ? toneColour(theme, stateTone(row)) : undefined}>
						{(index === 0 ? '' : gap) + fitCell(values[column.id], column.width)}
					</Text>
				))}
			</Text>
		</Box>
	);
});

export function FleetPane({state, width, height}: {state: FleetViewState; width: number; height: number}) {
	const theme = useTheme();
	const visible = useMemo(() => visibleRows(state.rows, state.sort, state.filter), [state.rows, state.sort, state.filter]);
	const fitted = fitColumns(
		visible.map((row) => cachedCells(row)),
		Math.max(1, width - 4),
	);
	const columnsKey = fitted.map((column) => `${column.id}:${column.width}`).join(',');
	// The same widths keep the same array, so the memoized lines see their props unchanged.
	// eslint-disable-next-line react-hooks/exhaustive-deps
	const columns = useMemo(() => fitted, [columnsKey]);
	// The profiles' collisions above the table: at most a third of the pane, the table keeps the rest.
	const audit = collisionLines(state.collisions, Math.max(1, Math.floor((height - 4) / 3)));
	const rowsRoom = Math.max(1, height - 4 - audit.length);
	const selected = selectedIndex(visible, state.selected);
	const start = windowStart(visible.length, selected, rowsRoom);
	const shown = visible.slice(start, start + rowsRoom);
	const title = `Fleet  ${visible.length === state.rows.length ? visible.length : `${visible.length}/${state.rows.length}`} gateways  sort: ${state.sort}${state.filter ? `  filter: ${state.filter}` : ''}`;
	return (
		<Pane title={title} focused width={width} height={height}>
			{audit.map((line) => (
				<Box key={line.text} height={1} overflowY="hidden">
					<Text color={line.tone === 'muted' ? theme.muted : toneColour(theme, line.tone)} wrap="truncate-end">
						{line.text}
					</Text>
				</Box>
			))}
			<Box height={1} overflowY="hidden">
				<Text bold color={theme.muted} wrap="truncate-end">
					{`  ${headerLine(columns)}`}
				</Text>
			</Box>
			{shown.length === 0 ? (
				state.rows.length === 0 ? (
					// The first screen a new operator meets here: the ways in, not just the absence.
					<Box flexDirection="column">
						<Text color={theme.muted}>{'  no gateways in the fleet yet:'}</Text>
						<Text color={theme.muted} wrap="truncate-end">{'    a              adds one by ws:// URL or ssh user@host'}</Text>
						<Text color={theme.muted} wrap="truncate-end">{'    openclaw setup --profile NAME   makes a profile on this host (its rows appear here)'}</Text>
						<Text color={theme.muted} wrap="truncate-end">{'    --fleet FILE   reads gateways from a fleet file (JSON5)'}</Text>
					</Box>
				) : (
					<Text color={theme.muted}>{'  no row matches the filter (Esc clears it)'}</Text>
				)
			) : (
				shown.map((row) => <FleetLine key={row.name} row={row} columns={columns} selected={start + shown.indexOf(row) === selected} />)
			)}
		</Pane>
	);
}
