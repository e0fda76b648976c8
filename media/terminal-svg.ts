// A terminal screen (text with ANSI SGR escapes, as `tmux capture-pane -e` prints it) to a standalone SVG, through
// @xterm/headless so every escape is interpreted the way a terminal would. Colours: the xterm 16-colour palette,
// the 256-colour cube and true colour; bold and inverse. One <text> per run of same-styled cells.
import xterm from '@xterm/headless';

const palette = [
	'#1e1e1e', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
	'#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff',
];
const defaultFg = '#d4d4d4';
const defaultBg = '#1e1e1e';

function colour256(index: number): string {
	if (index < 16) {
		return palette[index];
	}

	if (index >= 232) {
		const level = 8 + (index - 232) * 10;
		return `rgb(${level},${level},${level})`;
	}

	const cube = index - 16;
	const steps = [0, 95, 135, 175, 215, 255];
	return `rgb(${steps[Math.floor(cube / 36)]},${steps[Math.floor(cube / 6) % 6]},${steps[cube % 6]})`;
}

type Cell = {char: string; fg: string; bg: string; bold: boolean};

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

async function screenCells(text: string, columns: number, rows: number): Promise<Cell[][]> {
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
	await new Promise<void>((resolve) => {
		terminal.write(text.replaceAll('\n', '\r\n'), resolve);
	});
	const buffer = terminal.buffer.active;
	const cells: Cell[][] = [];
	for (let y = 0; y < rows; y++) {
		const line = buffer.getLine(y);
		const row: Cell[] = [];
		for (let x = 0; x < columns; x++) {
			const cell = line?.getCell(x);
			let fg = defaultFg;
			let bg = defaultBg;
			if (cell) {
				if (cell.isFgRGB()) {
					const value = cell.getFgColor();
					fg = `#${value.toString(16).padStart(6, '0')}`;
				} else if (cell.isFgPalette()) {
					fg = colour256(cell.getFgColor());
				}

				if (cell.isBgRGB()) {
					bg = `#${cell.getBgColor().toString(16).padStart(6, '0')}`;
				} else if (cell.isBgPalette()) {
					bg = colour256(cell.getBgColor());
				}

				if (cell.isInverse()) {
					[fg, bg] = [bg === defaultBg ? defaultBg : bg, fg];
				}
			}

			row.push({char: cell?.getChars() || ' ', fg, bg, bold: cell ? cell.isBold() !== 0 : false});
		}

		cells.push(row);
	}

	terminal.dispose();
	return cells;
}

export async function terminalSvg(text: string, options: {columns: number; rows: number; title?: string}): Promise<string> {
	const cellWidth = 8.4;
	const cellHeight = 17;
	const pad = 12;
	const bar = options.title ? 26 : 0;
	const width = Math.ceil(options.columns * cellWidth + pad * 2);
	const height = Math.ceil(options.rows * cellHeight + pad * 2 + bar);
	const cells = await screenCells(text, options.columns, options.rows);
	const parts: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
		`<rect width="100%" height="100%" rx="8" fill="${defaultBg}"/>`,
	];
	if (options.title) {
		parts.push(
			'<circle cx="18" cy="14" r="5" fill="#ff5f56"/><circle cx="34" cy="14" r="5" fill="#ffbd2e"/><circle cx="50" cy="14" r="5" fill="#27c93f"/>',
			`<text x="${width / 2}" y="18" fill="#999" font-family="sans-serif" font-size="12" text-anchor="middle">${escapeXml(options.title)}</text>`,
		);
	}

	parts.push(`<g font-family="'DejaVu Sans Mono','Menlo','Consolas',monospace" font-size="14" xml:space="preserve">`);
	cells.forEach((row, y) => {
		const top = pad + bar + y * cellHeight;
		// Backgrounds first, in runs.
		for (let x = 0; x < row.length; ) {
			const start = x;
			while (x < row.length && row[x].bg === row[start].bg) {
				x++;
			}

			if (row[start].bg !== defaultBg) {
				parts.push(`<rect x="${(pad + start * cellWidth).toFixed(1)}" y="${top}" width="${((x - start) * cellWidth).toFixed(1)}" height="${cellHeight}" fill="${row[start].bg}"/>`);
			}
		}

		for (let x = 0; x < row.length; ) {
			const start = x;
			while (x < row.length && row[x].fg === row[start].fg && row[x].bold === row[start].bold) {
				x++;
			}

			const text = row
				.slice(start, x)
				.map((cell) => cell.char)
				.join('');
			if (text.trim() !== '') {
				// Spaces as no-break spaces: Chromium ignores xml:space and collapses runs of spaces, and textLength then
				// stretches what is left over the run (a column of padding became wide letters in the README pictures).
				parts.push(
					`<text x="${(pad + start * cellWidth).toFixed(1)}" y="${top + 13}" fill="${row[start].fg}"${row[start].bold ? ' font-weight="bold"' : ''} textLength="${((x - start) * cellWidth).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escapeXml(text).replaceAll(' ', '&#160;')}</text>`,
				);
			}
		}
	});
	parts.push('</g>', '</svg>');
	return `${parts.join('\n')}\n`;
}
