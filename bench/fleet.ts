// The Fleet view over a fleet of 100: 100 gateways of ours on loopback (real GatewayServers, each with its own state
// dir and token, in two child processes: 90 quiet ones, 10 that flood their logs on demand), a fleet file with 100
// url entries, and ONE console: the built `openclaw console --fleet FILE`, in tmux. Prints, each with its goal:
// launch to every row filled (all running, so each with a probe figure), console RSS, console idle CPU, and
// key-to-redraw p95 (j/k) while 10 of the gateways write logs as fast as a busy gateway does.
// Run: npm run build && node --import tsx bench/fleet.ts [--gateways N] [--idle-seconds S] [--short]
import {existsSync, readFileSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {execa, type ResultPromise} from 'execa';
import {exitUnlessConsoleRunnable, fleetConsoleEnv, startTmuxConsole, type TmuxConsole, type TmuxControl} from '../test/helpers/console-tmux.js';
import {consolePid, cpuSeconds, memoryMiB} from './lib/process-figures.js';
import {percentile} from './lib/stats.js';
import {lineReader} from './lib/line-reader.js';

const {values} = parseArgs({
	options: {
		gateways: {type: 'string'},
		'idle-seconds': {type: 'string'},
		short: {type: 'boolean'},
		serve: {type: 'string'},
		flooding: {type: 'string'},
	},
	strict: false,
});
const short = values.short === true;
const gatewayCount = Number(values.gateways ?? (short ? 20 : 100));
const idleSeconds = Number(values['idle-seconds'] ?? (short ? 5 : 30));
const floodingCount = Math.min(gatewayCount, Number(values.flooding ?? 10));
/** Log lines per second written by each flooding gateway: 10 x 2,000 is the 20,000 a second of bench/console-flood. */
const floodRate = 2000;
/** The flood lasts at most this long (the key presses end sooner), so a stuck run cannot flood forever. */
const floodCapSeconds = 120;
const keyPresses = short ? 20 : 60;
const quietPresses = 10;
/** The poll period users get (the console's default), so the idle figure is what they get too. */
const pollMs = 5000;
const cliPath = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));
const columns = 160;
const rows = 40;
// Extra node flags for the console process, e.g. CONSOLE_NODE_ARGS=--cpu-prof to profile it.
const nodeArgs = process.env.CONSOLE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

const name = (index: number) => `gw-${String(index).padStart(3, '0')}`;

/**
 * `--serve FIRST:COUNT`: gateways FIRST..FIRST+COUNT-1 in this process, one GatewayServer each with its own state dir,
 * logging and token; prints `ready [{port, token}...]`. `flood` on stdin makes every one of them write floodRate log
 * lines a second through its real logging path until `calm` (or floodCapSeconds); `stop` ends it.
 */
async function serve(spec: string): Promise<void> {
	const [{createGatewayLogging}, {startBenchGateway}] = await Promise.all([import('../gateway/logs/runtime.js'), import('./lib/bench-gateway.js')]);
	const [first, count] = spec.split(':').map(Number);
	const root = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-fleet-gw-'));
	const gateways: Array<{server: Awaited<ReturnType<typeof startBenchGateway>>; logging: ReturnType<typeof createGatewayLogging>; token: string; bench: ReturnType<ReturnType<typeof createGatewayLogging>['logger']['child']>}> = [];
	for (let index = first; index < first + count; index++) {
		const dir = path.join(root, name(index));
		await mkdir(dir);
		const token = `bench-fleet-token-${index}-${Math.random().toString(36).slice(2, 10)}`;
		const config = {logging: {maxFileBytes: 16 * 1024 * 1024, maxFiles: 2}};
		const logging = createGatewayLogging({stateDir: dir, config});
		const server = await startBenchGateway({stateDir: dir, token, config, logging});
		gateways.push({server, logging, token, bench: logging.logger.child('bench')});
	}

	process.stdout.write(`ready ${JSON.stringify(gateways.map((gateway) => ({port: gateway.server.port, token: gateway.token})))}\n`);
	let floodTimer: NodeJS.Timeout | undefined;
	let written = 0;
	const calm = () => {
		clearInterval(floodTimer);
		floodTimer = undefined;
	};

	process.stdin.setEncoding('utf8');
	for await (const chunk of process.stdin) {
		const text = String(chunk);
		if (text.includes('flood') && !floodTimer) {
			const started = performance.now();
			// Every 10 ms, each gateway catches up with rate x elapsed time; the gaps let the gateways answer probes.
			floodTimer = setInterval(() => {
				const elapsed = (performance.now() - started) / 1000;
				const due = Math.floor(Math.min(elapsed, floodCapSeconds) * floodRate);
				while (written < due) {
					for (const gateway of gateways) {
						gateway.bench.info(`flood #${written}`, {seq: written, note: 'a log line of typical length for a busy gateway'});
					}

					written++;
				}

				if (elapsed >= floodCapSeconds) {
					calm();
				}
			}, 10);
		}

		if (text.includes('calm')) {
			calm();
			process.stdout.write(`calm ${written * gateways.length}\n`);
		}

		if (text.includes('stop')) {
			break;
		}
	}

	calm();
	await Promise.all(gateways.map(async (gateway) => gateway.server.stop()));
	for (const gateway of gateways) {
		gateway.logging.writer.close();
	}

	await rm(root, {recursive: true, force: true});
}

type Server = {child: ResultPromise; wait: ReturnType<typeof lineReader>; gateways: Array<{port: number; token: string}>};

async function startServers(first: number, count: number): Promise<Server> {
	const self = fileURLToPath(import.meta.url);
	const child = execa(process.execPath, ['--import', 'tsx', self, '--serve', `${first}:${count}`], {stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', reject: false});
	const wait = lineReader(child.stdout!);
	const [, list] = await wait(/ready (\[.*\])\n/, 120_000);
	return {child, wait, gateways: JSON.parse(list) as Server['gateways']};
}

/** The selected row's gateway: the table line that starts with the marker (the pane title's `▸ Fleet` is not one). */
const selectedName = (screen: string) => /^║▸ (gw-\d{3})\s/m.exec(screen)?.[1];

/**
 * Time from a key press to the screen showing the selection on `want`, polling capture-pane as fast as tmux answers,
 * both through one tmux control-mode client (no process start per key or per read).
 */
async function keyLatency(control: TmuxControl, key: string, want: string): Promise<number> {
	const pressed = performance.now();
	await control.keys(key);
	const deadline = pressed + 5000;
	while (performance.now() < deadline) {
		if (selectedName(await control.screen()) === want) {
			return performance.now() - pressed;
		}
	}

	return Number.NaN;
}

/** Presses j (or k at the last row, back to the first), `count` times; each latency until the marker moved. */
async function pressKeys(control: TmuxControl, count: number, at: {index: number; down: boolean}): Promise<number[]> {
	const latencies: number[] = [];
	for (let press = 0; press < count; press++) {
		if (at.index === gatewayCount - 1) {
			at.down = false;
		} else if (at.index === 0) {
			at.down = true;
		}

		at.index += at.down ? 1 : -1;
		latencies.push(await keyLatency(control, at.down ? 'j' : 'k', name(at.index)));
		// A person's pace, and room for the probes' frames in between.
		await sleep(150);
	}

	return latencies;
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const summary = (values: readonly number[]) => {
	const seen = values.filter((value) => Number.isFinite(value));
	const lost = values.length - seen.length;
	return `p50 ${percentile(seen, 50).toFixed(0)} ms, p95 ${percentile(seen, 95).toFixed(0)} ms, max ${Math.max(...seen).toFixed(0)} ms over ${seen.length} presses${lost ? ` (${lost} not seen within 5 s)` : ''}`;
};

async function main(): Promise<void> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-fleet-'));
	const home = path.join(dir, 'home');
	await mkdir(home);
	// The quiet ones first (gw-000...), the flooding ones last: the rows the keys walk over are the quiet ones first.
	const servers: Server[] = [];
	let term: TmuxConsole | undefined;
	let control: TmuxControl | undefined;
	const statsFile = path.join(dir, 'console-stats.json');
	const lines: string[] = [];
	const print = (line: string) => {
		lines.push(line);
	};

	let presses = {quiet: [] as number[], flood: [] as number[]};
	try {
		const startedServers = performance.now();
		const quietCount = gatewayCount - floodingCount;
		servers.push(...(await Promise.all([quietCount > 0 ? startServers(0, quietCount) : undefined, floodingCount > 0 ? startServers(quietCount, floodingCount) : undefined])).filter((server): server is Server => server !== undefined));
		const gateways = servers.flatMap((server) => server.gateways);
		const serversMs = performance.now() - startedServers;
		const fleetFile = path.join(dir, 'fleet.json5');
		// profiles: false: the fleet is exactly these entries, whatever is under the bench's temp HOME.
		await writeFile(fleetFile, JSON.stringify({profiles: false, gateways: gateways.map((gateway, index) => ({name: name(index), url: `ws://127.0.0.1:${gateway.port}`, token: gateway.token}))}, null, 1), {mode: 0o600});

		const launched = performance.now();
		term = await startTmuxConsole({
			command: [process.execPath, ...nodeArgs, cliPath, 'console', '--fleet', fleetFile],
			env: fleetConsoleEnv({home, configHome: path.join(dir, 'xdg'), pollMs, extra: {OPENCLAW_CONSOLE_STATS: statsFile}}),
			columns,
			rows,
		});
		control = await term.control();
		// Launch to every row filled, polling the screen through the control client as fast as it answers.
		const everyRow = `${gatewayCount} running`;
		let firstFrameMs = Number.NaN;
		let reads = 0;
		let filledMs = Number.NaN;
		const fillDeadline = launched + 120_000;
		while (performance.now() < fillDeadline) {
			const screen = await control.screen();
			reads++;
			if (Number.isNaN(firstFrameMs) && screen.includes('sort: name')) {
				firstFrameMs = performance.now() - launched;
			}

			if (new RegExp(`fleet\\s+${everyRow}\\b`).test(screen)) {
				filledMs = performance.now() - launched;
				break;
			}

			await sleep(2);
		}

		const readEveryMs = (performance.now() - launched) / reads;
		const pid = await consolePid(term);
		// The first poll of every gateway is done; the steady state is one probe per gateway per poll period.
		await sleep(pollMs);
		const rssSteady = memoryMiB(pid, 'VmRSS');
		const cpuBefore = cpuSeconds(pid);
		const idleStarted = performance.now();
		await sleep(idleSeconds * 1000);
		const idleCpu = ((cpuSeconds(pid) - cpuBefore) / ((performance.now() - idleStarted) / 1000)) * 100;
		const rssAfterIdle = memoryMiB(pid, 'VmRSS');

		const at = {index: 0, down: true};
		presses.quiet = await pressKeys(control, quietPresses, at);
		for (const server of servers.slice(quietCount > 0 ? 1 : 0)) {
			server.child.stdin!.write('flood\n');
		}

		// Let the flood get going (and the gateways' log files grow) before measuring under it.
		await sleep(2000);
		const floodCpuBefore = cpuSeconds(pid);
		const floodStarted = performance.now();
		presses.flood = await pressKeys(control, keyPresses, at);
		const floodCpu = ((cpuSeconds(pid) - floodCpuBefore) / ((performance.now() - floodStarted) / 1000)) * 100;
		const loadDuringFlood = os.loadavg()[0];
		const floodServer = servers.at(-1)!;
		floodServer.child.stdin!.write('calm\n');
		const [, floodLines] = await floodServer.wait(/calm (\d+)\n/, 10_000);
		const floodSeconds = (performance.now() - floodStarted) / 1000 + 2;
		const stillRunning = /fleet\s+(\d+) running/.exec(await control.screen())?.[1];
		const rssPeak = memoryMiB(pid, 'VmHWM');

		print(`Fleet view over ${gatewayCount} gateways of ours on loopback (${servers.length} server processes, started in ${serversMs.toFixed(0)} ms), one console (the built CLI in tmux, ${columns}x${rows}), polled every ${pollMs} ms`);
		print(`  load average now:                ${os.loadavg().map((value) => value.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared machine: figures below are inflated when this is high)`);
		print(`  launch to first frame:           ${firstFrameMs.toFixed(0)} ms`);
		print(
			`  launch to every row filled:      ${filledMs.toFixed(0)} ms (${everyRow}, each with a probe figure; screen read every ${readEveryMs.toFixed(1)} ms; every gateway's first poll at once, connections opened 8 at a time)`,
		);
		print(`  console RSS:                     ${rssSteady.toFixed(0)} MiB once filled, ${rssAfterIdle.toFixed(0)} MiB after the idle window, peak ${rssPeak.toFixed(0)} MiB — goal < 200 MiB: ${verdict(rssPeak < 200)}`);
		print(`  console idle CPU over ${idleSeconds} s:      ${idleCpu.toFixed(2)} % of one core (every gateway probed each ${pollMs / 1000} s, no key pressed) — goal < 2 %: ${verdict(idleCpu < 2)}`);
		print(`  key-to-redraw (j/k), quiet:      ${summary(presses.quiet)} (through a tmux control-mode client: the floor of this way of measuring)`);
		const floodP95 = percentile(presses.flood.filter((value) => Number.isFinite(value)), 95);
		print(
			`  key-to-redraw (j/k), ${floodingCount} flooding: ${summary(presses.flood)} — goal p95 < 100 ms: ${verdict(floodP95 < 100 && presses.flood.every((value) => Number.isFinite(value)))}`,
		);
		print(`  the flood:                       ${floodingCount} gateways x ${floodRate} lines/s, ${floodLines} lines in ${floodSeconds.toFixed(1)} s; load average (1 min) ${loadDuringFlood.toFixed(1)}; console CPU meanwhile ${floodCpu.toFixed(1)} %; ${stillRunning ?? '?'} of ${gatewayCount} rows running at its end`);
		print(`  p95 quiet / flood ratio:         ${(floodP95 / percentile(presses.quiet.filter((value) => Number.isFinite(value)), 95)).toFixed(2)}`);
	} finally {
		await control?.close();
		if (term) {
			// Quit through the UI first, so the console writes its own figures (and a profile, when asked).
			await term.keys('q');
			await term.waitFor((screen) => screen.includes('[console exited'), 'exit', 10_000).catch(() => undefined);
			await term.kill();
		}

		for (const server of servers) {
			server.child.stdin!.write('stop\n');
		}

		await Promise.all(servers.map(async (server) => server.child));
		for (const line of lines) {
			console.log(line);
		}

		if (existsSync(statsFile)) {
			const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as {frames: number; renderMs: number; keyLatencies: number[]};
			// The console's own count: a key's bytes on stdin to the end of the next frame (no tmux in between).
			const inside = {quiet: stats.keyLatencies.slice(0, presses.quiet.length), flood: stats.keyLatencies.slice(presses.quiet.length, presses.quiet.length + presses.flood.length)};
			const p95 = percentile(inside.flood, 95);
			console.log(`  key-to-redraw inside the console: quiet p50 ${percentile(inside.quiet, 50).toFixed(0)} ms, p95 ${percentile(inside.quiet, 95).toFixed(0)} ms; flooding p50 ${percentile(inside.flood, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...inside.flood).toFixed(0)} ms over ${inside.flood.length} presses — goal p95 < 100 ms: ${verdict(p95 < 100)}`);
			console.log(`  frames drawn:                    ${stats.frames}, ${(stats.renderMs / Math.max(1, stats.frames)).toFixed(1)} ms each on average`);
		}

		await rm(dir, {recursive: true, force: true});
	}
}

if (typeof values.serve === 'string') {
	await serve(values.serve);
	process.exit(0);
}

await exitUnlessConsoleRunnable('bench/fleet', {tmux: true});

await main();
