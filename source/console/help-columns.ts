// The `?` overlay's layout, as plain rows in columns: the fewest columns (at most three) in which every key and its
// whole description fit the box, each description broken onto rows under its key rather than cut. Cut descriptions
// were what a 30-row terminal showed once one key too many pushed the list into a second column of half the width.
// When even three columns cannot hold it all, the sections past the first two (the focused pane's keys and the global
// ones) are given in brief (their keys and short names) and what still does not fit is cut by the row.
import {compactSectionRows, helpText, keyLabel, type Binding, type View} from './keymap.js';
import {breakWords} from './state/break-words.js';

export type HelpSection = {title: string; bindings: readonly Binding[]};
/** `key` is set on a key's first row; a description's further rows have `key: ''`. */
export type HelpRow = {kind: 'title' | 'key' | 'brief'; text: string; key?: string};

/** The key column: two spaces of indent and the longest key label (`Shift-Tab`), one space after. */
const keyColumn = 12;

export function layoutHelp(sections: readonly HelpSection[], view: View, width: number, room: number): {columns: HelpRow[][]; columnWidth: number} {
	for (const count of [1, 2, 3]) {
		const columnWidth = Math.floor(width / count) - 1;
		if (columnWidth - keyColumn < 16) {
			break;
		}

		const rows = sections.flatMap((section) => [titleRow(section), ...section.bindings.flatMap((binding) => keyRows(binding, view, columnWidth - keyColumn))]);
		const columns = splitColumns(rows, room);
		if (columns.length <= count) {
			return {columns, columnWidth};
		}
	}

	const columnWidth = Math.floor(width / 2) - 1;
	const rows = sections.flatMap((section, index) => [
		titleRow(section),
		...(index < 2
			? section.bindings.map((binding): HelpRow => ({kind: 'key', key: keyLabel(binding.keys), text: helpText(binding, view)}))
			: compactSectionRows(section, columnWidth - 2).map((text): HelpRow => ({kind: 'brief', text}))),
	]);
	return {columns: splitColumns(rows, room), columnWidth};
}

function titleRow(section: HelpSection): HelpRow {
	return {kind: 'title', text: section.title};
}

function keyRows(binding: Binding, view: View, width: number): HelpRow[] {
	return breakWords(helpText(binding, view), width).map((text, index) => ({kind: 'key', key: index === 0 ? keyLabel(binding.keys) : '', text}));
}

/** Columns of `room` rows; a column never starts with a description's further row (its key moves along with it). */
function splitColumns(rows: readonly HelpRow[], room: number): HelpRow[][] {
	const columns: HelpRow[][] = [];
	let start = 0;
	while (start < rows.length) {
		let end = Math.min(rows.length, start + room);
		while (end < rows.length && end > start + 1 && rows[end].kind === 'key' && rows[end].key === '') {
			end--;
		}

		columns.push(rows.slice(start, end));
		start = end;
	}

	return columns;
}
