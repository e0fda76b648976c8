// A plain-text table for human output: columns padded to their widest cell, two spaces apart, the last one left
// unpadded (no trailing blanks). Cells are already terminal-safe text.

/** The header line, then one line per row of `cells` (each row as long as the header). */
export function alignedTable(header: readonly string[], cells: readonly string[][]): string[] {
	const widths = header.map((title, index) => Math.max(title.length, ...cells.map((cell) => cell[index]!.length)));
	const line = (cell: readonly string[]) => cell.map((text, index) => (index === cell.length - 1 ? text : text.padEnd(widths[index]!))).join('  ');
	return [line(header), ...cells.map(line)];
}
