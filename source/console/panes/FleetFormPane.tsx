// The Fleet view's "add gateway" form: one line per field (the focused one marked, with a cursor), its problem or
// its hint under it. It only draws formLines(form); the keys go through routeFleetKey.
import {Box, Text} from 'ink';
import {useTheme} from '../ThemeContext.js';
import {formLines, type FleetForm} from '../state/fleet-form.js';
import {Pane} from './Pane.js';

const labelWidth = 12;

export function FleetFormPane({form, width, height}: {form: FleetForm; width: number; height: number}) {
	const theme = useTheme();
	return (
		<Pane title="Add a gateway  (kept in the console's store)" focused width={width} height={height}>
			{formLines(form).map((line) => (
				<Box key={line.field} flexDirection="column">
					<Text wrap="truncate-end">
						<Text bold={line.focused}>{line.focused ? '▸ ' : '  '}</Text>
						<Text color={theme.muted}>{line.label.padEnd(labelWidth)}</Text>
						<Text bold={line.focused}>{line.value}</Text>
						{line.focused && line.field !== 'auth' ? <Text inverse> </Text> : null}
					</Text>
					<Text wrap="truncate-end" color={line.error ? theme.error : theme.muted}>
						{' '.repeat(labelWidth + 2)}
						{line.error ?? (line.focused ? line.hint : '')}
					</Text>
				</Box>
			))}
		</Pane>
	);
}
