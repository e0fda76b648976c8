// Renders media/fleet.svg (the README's Fleet view picture) from a real run: three gateways of ours started with the
// built CLI (two local profiles under a temp HOME, found as the fleet finds them, and one fleet-file URL entry whose
// token is in a tokenFile), plus a fleet-file entry on a port nothing listens on, so one row is unreachable. The built
// `openclaw console --fleet FILE` runs in tmux until every row has a few probes; the screen is captured with its
// escapes and drawn through @xterm/headless, as media/render.ts does for the panes.
// Run: npm run build && node --import tsx media/render-fleet.ts
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bin, makeInstance, makeProfileInstance, startGatewayProcess, type GatewayProcess} from '../test/helpers/cli-process.js';
import {exitUnlessConsoleRunnable, fleetConsoleEnv, startTmuxConsole, type TmuxConsole} from '../test/helpers/console-tmux.js';
import {freePort} from '../test/helpers/gateway.js';
import {terminalSvg} from './terminal-svg.js';

const columns = 150;
const rows = 12;
const output = fileURLToPath(new URL('fleet.svg', import.meta.url));
/** Probes this many times a row before the capture, so the trend column has something to show. */
const probesShown = 8;

/** The table line of one gateway (the selected one starts with the marker). */
const rowOf = (screen: string, name: string) => screen.split('\n').find((line) => new RegExp(`^║[▸ ] ${name}\\s`).test(line)) ?? '';
/** A running row's trend: the sparkline after its latency. */
const trendOf = (line: string) => /[\d.]+ ms ([▁▂▃▄▅▆▇█]+)/.exec(line)?.[1] ?? '';

await exitUnlessConsoleRunnable('media/render-fleet', {tmux: false});

const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-media-fleet-'));
const home = path.join(dir, 'home');
await mkdir(home);
const alpha = await makeProfileInstance(home, 'alpha', await freePort());
const beta = await makeProfileInstance(home, 'beta', await freePort());
const web = await makeInstance({port: await freePort()});
const gateways: GatewayProcess[] = [];
let term: TmuxConsole | undefined;
try {
	gateways.push(...(await Promise.all([alpha, beta, web].map(async (instance) => startGatewayProcess(instance)))));
	await writeFile(path.join(dir, 'web.token'), `${web.token}\n`, {mode: 0o600});
	// A port taken and let go: nothing listens there, as with a gateway that is down.
	const gone = await freePort();
	const fleetFile = path.join(dir, 'fleet.json5');
	await writeFile(
		fleetFile,
		`{gateways: [\n  {name: "web", url: "ws://127.0.0.1:${web.port}", tokenFile: "web.token"},\n  {name: "gone", url: "ws://127.0.0.1:${gone}", token: "unused"},\n]}\n`,
		{mode: 0o600},
	);
	term = await startTmuxConsole({
		command: [process.execPath, bin, 'console', '--fleet', fleetFile],
		env: fleetConsoleEnv({home, configHome: path.join(dir, 'xdg'), pollMs: 1000}),
		columns,
		rows,
	});
	await term.waitFor(
		(screen) =>
			['alpha', 'beta', 'web'].every((name) => /\brunning\b/.test(rowOf(screen, name)) && trendOf(rowOf(screen, name)).length >= probesShown) &&
			/unreachable since/.test(rowOf(screen, 'gone')),
		`three running rows with ${probesShown} probes each and one unreachable`,
		60_000,
	);
	const screen = await term.screen({escapes: true});
	await writeFile(output, await terminalSvg(screen, {columns, rows, title: 'openclaw console --fleet'}));
	console.log(`wrote ${path.relative(process.cwd(), output)} (${columns}x${rows})`);
	await term.keys('q');
	await term.waitFor((text) => text.includes('[console exited'), 'exit', 15_000);
} finally {
	await term?.kill();
	await Promise.all(gateways.map(async (gateway) => gateway.stop()));
	await web.cleanup();
	await rm(dir, {recursive: true, force: true});
}
