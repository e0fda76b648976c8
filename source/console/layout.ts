// Pane sizes from the terminal size. The frame is one row shorter than the terminal: in Ink 6.8 a frame as tall as
// the terminal is redrawn with a full clear every time (flicker, lost scrollback).
import type {PaneId} from './state/ui.js';

export type Layout = {
	width: number;
	height: number;
	/** The top band (Runtime | Channels | Reload) and its pane widths, borders included. */
	topHeight: number;
	topWidths: Record<Exclude<PaneId, 'logs'>, number>;
	logsHeight: number;
	/** Inside the Logs borders, minus its title line: the rows of log text. */
	logRows: number;
	logColumns: number;
};

export const minSize = {columns: 40, rows: 12};

export function computeLayout(size: {columns: number; rows: number}): Layout {
	const width = Math.max(minSize.columns, size.columns);
	const height = Math.max(minSize.rows, size.rows) - 1;
	// Header and footer rows; the rest is split between the top band and the logs.
	const body = height - 2;
	const topHeight = Math.max(6, Math.min(12, Math.floor(body * 0.4)));
	const logsHeight = body - topHeight;
	const runtime = Math.floor(width * 0.4);
	const channels = Math.floor(width * 0.33);
	const reload = width - runtime - channels;
	return {
		width,
		height,
		topHeight,
		topWidths: {runtime, channels, reload},
		logsHeight,
		logRows: Math.max(1, logsHeight - 3),
		logColumns: Math.max(1, width - 2),
	};
}
