// Log text cut by terminal cells, not string length: wide CJK and emoji take two cells, combining marks none. The
// text is terminal-safe already (cli-output/terminal-safe.ts): no control is left to measure. The Logs pane cuts
// every row to its width here, so Ink never has to clip a row sideways (the panes clip only rows, which spares a
// slice of every line of every frame).
import stringWidth from 'string-width';

/** Text whose every character is one cell: nearly every log line, measured by its length. */
const oneCellEach = /^[\u0020-\u007E\u00A0-\u02FF]*$/;

const segmenter = new Intl.Segmenter();

/** Terminal cells `text` (terminal-safe) takes. */
export function cellWidth(text: string): number {
	return oneCellEach.test(text) ? text.length : stringWidth(text);
}

/**
 * Split terminal-safe `text` after at most `cells` cells. A character wider than what is left ends the head early. With
 * `atLeastOne` (the start of a row) one character is taken even when it does not fit, so that cutting a line into
 * rows always moves on, however narrow the pane.
 */
export function cutCells(text: string, cells: number, atLeastOne = false): {head: string; rest: string; used: number} {
	if (oneCellEach.test(text)) {
		const head = text.slice(0, Math.max(atLeastOne ? 1 : 0, cells));
		return {head, rest: text.slice(head.length), used: head.length};
	}

	let used = 0;
	let end = 0;
	for (const {segment, index} of segmenter.segment(text)) {
		const width = stringWidth(segment);
		if (used + width > cells && !(atLeastOne && end === 0)) {
			break;
		}

		used += width;
		end = index + segment.length;
	}

	return {head: text.slice(0, end), rest: text.slice(end), used};
}
