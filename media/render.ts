// Renders media/console.svg (the README picture) from a real run: the built `openclaw console` in tmux, starting its
// own gateway on a temp config with three channels whose APIs are a loopback fake (one of them refusing the token),
// after a probe (p) and a restart (R, y). The screen is captured with its escapes and drawn through @xterm/headless.
// Run: npm run build && node --import tsx media/render.ts
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {freeLoopbackPort} from '../source/supervisor/loopback.js';
import {exitUnlessConsoleRunnable, startTmuxConsole} from '../test/helpers/console-tmux.js';
import {terminalSvg} from './terminal-svg.js';

const columns = 120;
const rows = 34;
const cliPath = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));
const output = fileURLToPath(new URL('console.svg', import.meta.url));

/** Telegram and the webhook answer well; Slack says the token is wrong, as it would. */
function fakeChannelApis(): Promise<{url: string; close: () => void}> {
	const server = http.createServer((request, response) => {
		const reply = (status: number, body: unknown) => {
			response.writeHead(status, {'content-type': 'application/json'});
			response.end(JSON.stringify(body));
		};

		if (request.url?.includes('getMe')) {
			reply(200, {ok: true, result: {id: 1, username: 'ops_bot'}});
		} else if (request.url?.includes('auth.test')) {
			reply(200, {ok: false, error: 'invalid_auth'});
		} else {
			reply(200, {ok: true});
		}
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			resolve({url: `http://127.0.0.1:${port}`, close: () => server.close()});
		});
	});
}

await exitUnlessConsoleRunnable('media/render', {tmux: false});

const apis = await fakeChannelApis();
const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-media-'));
const stateDir = path.join(dir, 'state');
await import('node:fs/promises').then(async (fs) => fs.mkdir(stateDir, {recursive: true}));
await writeFile(
	path.join(stateDir, 'openclaw.json'),
	JSON.stringify(
		{
			// A free port, not the default 18789: a gateway this machine already runs must not be in the way.
			gateway: {mode: 'local', port: await freeLoopbackPort(), reload: {mode: 'hybrid'}},
			channels: {
				telegram: {botToken: '123456:media-demo-token', apiBaseUrl: apis.url},
				slack: {botToken: 'xoxb-media-demo', apiBaseUrl: apis.url},
				webhook: {url: `${apis.url}/hook`},
			},
		},
		null,
		2,
	),
);
const term = await startTmuxConsole({
	command: [process.execPath, cliPath, 'console'],
	env: {PATH: process.env.PATH, HOME: dir, OPENCLAW_STATE_DIR: stateDir, TERM: 'xterm-256color', LANG: 'C.UTF-8'},
	columns,
	rows,
});
try {
	await term.waitFor((screen) => screen.includes('link     connected') && /Telegram/i.test(screen), 'a connected console with channels', 30_000);
	await term.keys('R');
	await term.waitFor((screen) => screen.includes('Restart the local gateway'), 'the restart question');
	await term.keys('y');
	await term.waitFor((screen) => /pid \d+ -> \d+/.test(screen) && screen.includes('link     connected'), 'the restart result', 30_000);
	await term.keys('p');
	await term.waitFor((screen) => /probe ok/.test(screen) && /probe FAIL/.test(screen), 'channel probe results', 20_000);
	await new Promise((resolve) => {
		setTimeout(resolve, 600);
	});
	const screen = await term.screen({escapes: true});
	await writeFile(output, await terminalSvg(screen, {columns, rows, title: 'openclaw console'}));
	console.log(`wrote ${path.relative(process.cwd(), output)} (${columns}x${rows})`);
	await term.keys('q');
	await term.waitFor((text) => text.includes('Quit and stop'), 'the quit question');
	await term.keys('y');
	await term.waitFor((text) => text.includes('[console exited'), 'exit', 15_000);
} finally {
	await term.kill();
	apis.close();
	await rm(dir, {recursive: true, force: true});
}
