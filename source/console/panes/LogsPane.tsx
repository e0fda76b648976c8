// The Logs pane: a title line with the view's state (follow or paused with new lines, filter, level, wrap), then
// exactly the rows that fit, computed by logWindow from the ring. Matches of the filter are shown inverse.
//
// Each row is a <Transform> over a constant placeholder: Ink 6.8 keeps every text it ever measured in a cache that
// is never emptied (measure-text.js), so rows given as <Text> would grow the heap with every log line ever shown.
// The placeholder is measured once; the transform writes the real row (already cut to the pane's width in terminal
// cells, with escape sequences and control characters taken out) at output time.
import {Box, Text, Transform} from 'ink';
import {memo} from 'react';
import {sgr} from '../ansi.js';
import {useTheme} from '../ThemeContext.js';
import type {LogLevel} from '../state/log-line.js';
import type {LogsState} from '../state/logs.js';
import type {LogRow, LogWindow} from '../state/log-window.js';
import type {Theme} from '../theme.js';
import {Pane} from './Pane.js';

function levelColour(theme: Theme, level: LogLevel | undefined): string | undefined {
	switch (level) {
		case 'fatal':
		case 'error':
			return theme.error;
		case 'warn':
			return theme.warn;
		case 'debug':
		case 'trace':
			return theme.muted;
		case 'info':
		case undefined:
			return undefined;
		// The return type allows undefined, so a missing case would not fail tsc by itself: this line does.
		default: {
			level satisfies never;
			return undefined;
		}
	}
}

function rowText(row: LogRow, theme: Theme): string {
	const colour = levelColour(theme, row.level);
	return row.segments
		.map((segment) => (segment.match ? sgr(segment.text, {inverse: true, color: theme.highlight}) : sgr(segment.text, {color: colour})))
		.join('');
}

function LogRowView({row, theme, placeholder}: {row: LogRow; theme: Theme; placeholder: string}) {
	const text = rowText(row, theme);
	return <Transform transform={() => text}>{placeholder}</Transform>;
}

export type LogsPaneProps = {logs: LogsState; window: LogWindow; focused: boolean; width: number; height: number; rows: number};

function LogsPaneView({logs, window, focused, width, height, rows}: LogsPaneProps) {
	const theme = useTheme();
	const placeholder = ' '.repeat(Math.max(1, width - 2));
	const chips: string[] = [];
	if (logs.filter) {
		chips.push(`filter "${logs.filter}" ${window.matched}`);
	}

	if (logs.level !== 'all') {
		chips.push(`level>=${logs.level}`);
	}

	if (logs.wrap) {
		chips.push('wrap');
	}

	const extra = (
		<Text wrap="truncate-end">
			{logs.follow ? (
				<Text color={theme.ok}>[FOLLOW]</Text>
			) : (
				<Text color={theme.warn} inverse={!theme.colour}>
					[PAUSED{window.newLines > 0 ? ` +${window.newLines} new lines` : ''}]
				</Text>
			)}
			<Text color={theme.muted}>
				{chips.length > 0 ? `  ${chips.join('  ')}` : ''}
				{`  ${logs.lines.length}/${logs.capacity} held, ${logs.received} received`}
			</Text>
		</Text>
	);
	return (
		<Pane title="Logs" focused={focused} width={width} height={height} extra={extra}>
			<Box flexDirection="column" height={rows} overflowY="hidden">
				{window.rows.length === 0 ? (
					<Text color={theme.muted}>{logs.lines.length === 0 ? 'waiting for log lines...' : 'no line matches the filter'}</Text>
				) : (
					window.rows.map((row) => <LogRowView key={row.key} row={row} theme={theme} placeholder={placeholder} />)
				)}
			</Box>
		</Pane>
	);
}

/** Redrawn only when the logs, their window or the box change: a poll that updates the Runtime pane leaves it alone. */
export const LogsPane = memo(LogsPaneView);
