// End to end, the Logs pane in a real terminal (tmux): a record whose message has line breaks (the gateway logs its
// agent model from the config, here a value with \n and \r\n in it) is drawn as several rows inside the Logs frame.
// Every row of the frame keeps its right border, the header stays on the top line, and g shows a full page.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cliPath, isolatedEnv, writeConfig} from './helpers/gateway-process.js';

const columns = 120;
const rows = 40;

/** The Logs pane's rows, top border to bottom border, as tmux shows them. */
function logsFrame(screen: string): string[] {
	const lines = screen.split('\n');
	const title = lines.findIndex((line) => /^[│║] *(▸ )?Logs/.test(line));
	const top = title - 1;
	const bottom = lines.findIndex((line, index) => index > top && /^[╰╚└]/.test(line));
	return title < 1 || bottom === -1 ? [] : lines.slice(top, bottom + 1);
}

function assertFrameIntact(screen: string): void {
	const lines = screen.split('\n');
	assert.match(lines[0], /^openclaw console/, `the header is not on the top line:\n${screen}`);
	assert.ok(screen.trimEnd().split('\n').length < rows, `the frame reaches the terminal's last row:\n${screen}`);
	const frame = logsFrame(screen);
	assert.ok(frame.length > 3, `no Logs frame:\n${screen}`);
	for (const line of frame) {
		assert.equal(line.length, columns, `a Logs row is not ${columns} wide: ${JSON.stringify(line)}\n${screen}`);
		assert.match(line.at(-1)!, /[│║╮╯╗╝┐┘]/, `a Logs row lost its right border: ${JSON.stringify(line)}\n${screen}`);
	}
}

/** Whether a frame row has nothing between its borders. */
const blank = (line: string) => line.slice(1, -1).trim() === '';

test('a multi-line log record is drawn as rows inside the Logs frame; borders and header stay; g shows a full page', {timeout: 90_000}, async () => {
	const {dir, cleanup} = await tempDir('openclaw-e2e-console-logs-');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	// Taller than the Logs pane (25 rows of text at 120x40), with a \r\n among the \n.
	const model = ['echo', ...Array.from({length: 39}, (_, index) => `model line ${index + 1}`)].join('\n').replace('\nmodel line 2', '\r\nmodel line 2');
	await writeConfig(configPath, JSON.stringify({gateway: {mode: 'local', reload: {mode: 'hybrid'}}, agents: {defaults: {model}}}, null, 2));
	const port = await freePort();
	const env = isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH});
	const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console', '--port', String(port)], env, columns, rows});
	try {
		// Following: the newest rows, the record's last lines among them, inside the frame.
		const following = await term.waitFor(
			(text) => text.includes('link     connected') && text.includes('model line 39') && text.includes('listening on ws://') && text,
			'the multi-line record in the Logs pane',
			30_000,
		);
		assertFrameIntact(following);
		assert.ok(!logsFrame(following).some((line) => blank(line)), `following, the pane is full:\n${following}`);
		assert.doesNotMatch(following, /\^J|\^M/, 'no line break is shown as a caret escape');

		// g: a full page from the oldest line held, the record's first row with time, level and subsystem.
		await term.keys('g');
		const top = await term.waitFor((text) => text.includes('[PAUSED') && text.includes('agent model: echo') && text, 'the top page after g');
		assertFrameIntact(top);
		const frame = logsFrame(top);
		assert.ok(!frame.some((line) => blank(line)), `g shows a full page, not the oldest line alone:\n${top}`);
		const first = frame.findIndex((line) => line.includes('agent model: echo'));
		assert.match(frame[first], /^[│║]\d\d:\d\d:\d\d\.\d{3} INFO {2}\S+ agent model: echo\s+[│║]$/, `the first row has time, level, subsystem:\n${top}`);
		// Continuation rows start in the message's column.
		const column = frame[first].indexOf('agent model');
		for (const [offset, text] of [
			[1, 'model line 1'],
			[2, 'model line 2'],
			[3, 'model line 3'],
		] as const) {
			assert.equal(frame[first + offset].indexOf(text), column, `"${text}" is not under the message:\n${top}`);
			assert.equal(frame[first + offset].slice(1, column).trim(), '', top);
		}

		// j after g moves the page one row.
		const secondRow = frame[3];
		await term.keys('j');
		const moved = await term.waitFor((text) => logsFrame(text)[2] === secondRow && text, 'the page one row down after j');
		assertFrameIntact(moved);

		// w wraps; G follows again; the frame holds.
		await term.keys('w');
		assertFrameIntact(await term.waitFor((text) => /Logs.*wrap/.test(text) && text, 'wrap on'));
		await term.keys('G');
		const back = await term.waitFor((text) => text.includes('[FOLLOW]') && text, 'following again after G');
		assertFrameIntact(back);
		assert.ok(!logsFrame(back).some((line) => blank(line)), back);
	} finally {
		await term.kill();
		await cleanup();
	}
});
