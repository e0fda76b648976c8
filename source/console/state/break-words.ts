// Breaking a line of text into rows of a width, at spaces where it can (mid-word when a word is longer than a third of
// the row): the status panes' long values and the `?` overlay's descriptions, which are read whole rather than cut.

/** `text` in rows of `width`, at most `maxRows` of them: the last row then keeps the rest, for its row to cut. */
export function breakWords(text: string, width: number, maxRows = Number.POSITIVE_INFINITY): string[] {
	const rows: string[] = [];
	let rest = text;
	while (rest.length > width && rows.length < maxRows - 1) {
		const space = rest.lastIndexOf(' ', width);
		const cut = space > width / 3 ? space : width;
		rows.push(rest.slice(0, cut).trimEnd());
		rest = rest.slice(cut).trimStart();
	}

	rows.push(rest);
	return rows;
}
