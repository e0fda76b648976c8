// The console under a log flood, in a real terminal (tmux): a real gateway in this process writes 20,000 log lines
// per second for 10 s through its real logging path; `openclaw console --url` (the built CLI) follows them.
// Prints: lines shown per second, the console's CPU and peak RSS, key-to-redraw latency during the flood, whether
// the ring window is complete (no line lost), idle CPU over 30 s, and launch-to-first-frame with a child gateway.
// Run: npm run build && node --import tsx bench/console-flood.ts [--short] [--flood-only | --launch-only]
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {createGatewayLogging} from '../gateway/logs/runtime.js';
import {exitUnlessConsoleRunnable, startTmuxConsole, type TmuxConsole, type TmuxControl} from '../test/helpers/console-tmux.js';
import {consolePid, cpuSeconds, memoryMiB} from './lib/process-figures.js';
import {percentile} from './lib/stats.js';
import {lineReader} from './lib/line-reader.js';
import {startBenchGateway} from './lib/bench-gateway.js';

const short = process.argv.includes('--short');
const rate = 20_000;
const floodSeconds = short ? 5 : 10;
const idleSeconds = short ? 10 : 30;
// An operator's console is idle long after its launch: the idle figures are taken once start-up work (first
// compilations, the collection of start-up garbage, the first polls) is over, over two windows in a row, so that
// the one frame a minute the uptime costs in the first hour lands in one of them.
const settleSeconds = short ? 10 : 30;
const token = 'bench-console-token';
const cliPath = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));
// Extra node flags for the console process, e.g. CONSOLE_NODE_ARGS=--cpu-prof to profile it.
const nodeArgs = process.env.CONSOLE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

/** The process's CPU use over the next `seconds`, in % of one core. */
async function cpuPercentOver(pid: number, seconds: number): Promise<number> {
	const before = cpuSeconds(pid);
	const started = performance.now();
	await sleep(seconds * 1000);
	return ((cpuSeconds(pid) - before) / ((performance.now() - started) / 1000)) * 100;
}

function received(screen: string): number | undefined {
	const match = /held, (\d+) received/.exec(screen);
	return match ? Number(match[1]) : undefined;
}

function env(home: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
	return {PATH: process.env.PATH, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...extra};
}


const lastLogRow = (screen: string) => screen.split('\n').filter((line) => line.startsWith('║') && /flood #\d+/.test(line)).at(-1) ?? '';

/**
 * The gateway and the producer run in a child process of their own (`--serve`), so that writing 20,000 lines a
 * second never delays this process, which drives tmux and takes the measurements.
 */
async function serve(): Promise<void> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-console-'));
	const config = {logging: {maxFileBytes: 64 * 1024 * 1024, maxFiles: 4}};
	const logging = createGatewayLogging({stateDir: dir, config});
	const server = await startBenchGateway({stateDir: dir, token, config, logging});
	process.stdout.write(`ready ws://127.0.0.1:${server.port} ${dir}\n`);
	const bench = logging.logger.child('bench');
	process.stdin.setEncoding('utf8');
	for await (const chunk of process.stdin) {
		if (String(chunk).includes('flood')) {
			const total = rate * floodSeconds;
			const started = performance.now();
			let written = 0;
			await new Promise<void>((resolve) => {
				// Every 10 ms, catch up with rate x elapsed time; the gaps let the gateway answer logs.tail.
				const timer = setInterval(() => {
					const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
					while (written < due) {
						bench.info(`flood #${written}`, {seq: written, note: 'a log line of typical length for a busy gateway'});
						written++;
					}

					if (written >= total) {
						clearInterval(timer);
						resolve();
					}
				}, 10);
			});
			process.stdout.write(`done ${written} ${((performance.now() - started) / 1000).toFixed(2)}\n`);
		}

		if (String(chunk).includes('stop')) {
			break;
		}
	}

	await server.stop();
	logging.writer.close();
	await rm(dir, {recursive: true, force: true});
}

/**
 * Time from a key press to the screen showing its effect, polling capture-pane as fast as tmux answers, both through
 * one tmux control-mode client (no process start per key or per read).
 */
async function keyLatency(term: TmuxControl, key: string, shows: (screen: string) => boolean): Promise<number> {
	const pressed = performance.now();
	await term.keys(key);
	const deadline = pressed + 5000;
	while (performance.now() < deadline) {
		if (shows(await term.screen())) {
			return performance.now() - pressed;
		}
	}

	return Number.NaN;
}

async function flood(): Promise<void> {
	const self = fileURLToPath(import.meta.url);
	const child = execa(process.execPath, ['--import', 'tsx', self, '--serve', ...(short ? ['--short'] : [])], {stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', reject: false});
	const waitOutput = lineReader(child.stdout!);
	const [, url, dir] = await waitOutput(/ready (\S+) (\S+)\n/, 30_000);
	const launched = performance.now();
	const statsFile = path.join(os.tmpdir(), `openclaw-console-stats-${process.pid}.json`);
	const term = await startTmuxConsole({
		command: [process.execPath, ...nodeArgs, cliPath, 'console', '--url', url, '--token', token],
		env: env(dir, {OPENCLAW_CONSOLE_STATS: statsFile}),
	});
	let quietPresses = 0;
	let report = () => {};
	try {
		await term.waitFor((screen) => screen.includes('Logs') && screen.includes('Runtime'), 'the first frame', 20_000);
		const firstFrameMs = performance.now() - launched;
		await term.waitFor((screen) => screen.includes('link     connected') && received(screen) !== undefined, 'connected', 20_000);
		const connectedMs = performance.now() - launched;
		await sleep(500);
		const pid = await consolePid(term);
		const control = await term.control();
		// Before the flood: key latency through tmux alone (the floor of this way of measuring), and resident memory.
		const quietLatencies: number[] = [];
		let quietTimestamps = true;
		for (let press = 0; press < 5; press++) {
			quietTimestamps = !quietTimestamps;
			const want = quietTimestamps;
			quietLatencies.push(await keyLatency(control, 't', (screen) => /^║\d\d:\d\d:\d\d\.\d{3} |^║INFO |^║[A-Z]+ /.test(screen.split('\n').find((line) => line.startsWith('║') && /INFO|WARN/.test(line)) ?? '') && /^║\d\d:\d\d:\d\d\.\d{3} /.test(screen.split('\n').find((line) => line.startsWith('║') && /INFO|WARN/.test(line)) ?? '') === want));
			await sleep(100);
		}

		if (!quietTimestamps) {
			await keyLatency(control, 't', () => true);
		}

		quietPresses = quietLatencies.length + (quietTimestamps ? 0 : 1);
		// Idle: an attached console with nothing happening must do (almost) nothing.
		await sleep(Math.max(0, settleSeconds * 1000 - (performance.now() - launched)));
		const steadyIdleCpu = [await cpuPercentOver(pid, idleSeconds), await cpuPercentOver(pid, idleSeconds)];
		const rssBefore = memoryMiB(pid);
		const baseline = received(await term.screen()) ?? 0;
		const total = rate * floodSeconds;
		const cpuBefore = cpuSeconds(pid);
		const started = performance.now();
		child.stdin!.write('flood\n');
		const done = waitOutput(/done (\d+) ([\d.]+)\n/, (floodSeconds + 30) * 1000);
		let finished = false;
		void done.then(() => {
			finished = true;
		});
		const latencies: number[] = [];
		const shownSamples: Array<{at: number; count: number}> = [];
		let timestamps = true;
		while (!finished) {
			timestamps = !timestamps;
			const want = timestamps;
			const latency = await keyLatency(control, 't', (screen) => {
				const row = lastLogRow(screen);
				return row !== '' && /^║\d\d:\d\d:\d\d\.\d{3} /.test(row) === want;
			});
			latencies.push(latency);
			const count = received(await control.screen());
			if (count !== undefined) {
				shownSamples.push({at: performance.now(), count});
			}

			await sleep(250);
		}

		const [, producedText, producerSeconds] = await done;
		await control.close();
		const produced = Number(producedText);
		const floodEnded = performance.now();
		// Drain: wait until the console has received every line written (or give up and report the difference).
		const expected = baseline + produced;
		const drained = await term
			.waitFor((screen) => (received(screen) ?? 0) >= expected && screen, 'the console to receive every line', 15_000)
			.catch(() => undefined);
		const drainMs = performance.now() - floodEnded;
		const cpuFlood = cpuSeconds(pid) - cpuBefore;
		const floodWall = (performance.now() - started) / 1000;
		const rss = memoryMiB(pid, 'VmHWM');
		const screen = drained || (await term.screen());
		const got = received(screen) ?? 0;
		// The ring window on screen must be consecutive lines ending with the last one written.
		const seqs = screen
			.split('\n')
			.map((line) => /flood #(\d+)/.exec(line)?.[1])
			.filter((value): value is string => value !== undefined)
			.map(Number);
		const contiguous = seqs.every((seq, index) => index === 0 || seq === seqs[index - 1] + 1);
		const endsAtLast = seqs.at(-1) === produced - 1;
		const reanchored = /re-anchored|cursor reset/.test(screen);
		const first = shownSamples[0];
		const last = shownSamples.at(-1);
		const shownPerSecond = first && last && last.at > first.at ? ((last.count - first.count) / (last.at - first.at)) * 1000 : Number.NaN;
		const measured = latencies.filter((value) => Number.isFinite(value));

		// After the flood: the same idle console, now also returning the flood's memory (garbage collection).
		await sleep(1000);
		const afterFloodIdleCpu = await cpuPercentOver(pid, idleSeconds);

		report = () => {
			const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as {frames: number; renderMs: number; keyLatencies: number[]};
			const inFlood = stats.keyLatencies.slice(quietPresses, quietPresses + measured.length);
			const before = stats.keyLatencies.slice(0, quietPresses);
			console.log(
				`  key-to-redraw inside the console: no flood p50 ${percentile(before, 50).toFixed(0)} ms; flood p50 ${percentile(inFlood, 50).toFixed(0)} ms, p95 ${percentile(inFlood, 95).toFixed(0)} ms, max ${Math.max(...inFlood).toFixed(0)} ms (stdin bytes to the end of the next frame; target < 100 ms)`,
			);
			console.log(`  frames drawn:                    ${stats.frames}, ${(stats.renderMs / Math.max(1, stats.frames)).toFixed(1)} ms each on average`);
		};

		console.log(`console under a flood: ${rate} lines/s for ${floodSeconds} s through the real gateway logging path (${url}; producer took ${producerSeconds} s)`);
		console.log(`  load average at the end:         ${os.loadavg().map((value) => value.toFixed(1)).join(' ')} on ${os.cpus().length} cores (figures below are inflated when this is high)`);
		console.log(`  launch to first frame (attach):  ${firstFrameMs.toFixed(0)} ms; to connected ${connectedMs.toFixed(0)} ms`);
		console.log(`  lines written / received:        ${produced} / ${got - baseline}${got >= expected ? ' (none lost)' : ` (${expected - got} missing)`}, drained ${drainMs.toFixed(0)} ms after the flood`);
		console.log(`  lines shown per second:          ${shownPerSecond.toFixed(0)} (while the flood ran)`);
		console.log(`  ring window on screen:           ${seqs.length} rows, ${contiguous ? 'consecutive' : 'GAPS'}, ${endsAtLast ? 'ends at the last line written' : `ends at #${seqs.at(-1)}`}${reanchored ? ', cursor re-anchored (lines skipped)' : ''}`);
		const quiet = quietLatencies.filter((value) => Number.isFinite(value));
		console.log(`  key-to-redraw latency, no flood: p50 ${percentile(quiet, 50).toFixed(0)} ms, max ${Math.max(...quiet).toFixed(0)} ms over ${quiet.length} presses (the floor of measuring through tmux)`);
		console.log(`  key-to-redraw latency (t):       p50 ${percentile(measured, 50).toFixed(0)} ms, p95 ${percentile(measured, 95).toFixed(0)} ms, max ${Math.max(...measured).toFixed(0)} ms over ${measured.length} presses${measured.length < latencies.length ? ` (${latencies.length - measured.length} not seen within 5 s)` : ''} (target < 100 ms; through a tmux control-mode client)`);
		console.log(`  console CPU during the flood:    ${((cpuFlood / floodWall) * 100).toFixed(0)} % of one core (${cpuFlood.toFixed(2)} s over ${floodWall.toFixed(1)} s)`);
		console.log(`  console RSS:                     ${rssBefore.toFixed(0)} MiB before the flood, peak ${rss.toFixed(0)} MiB (target < 150 MiB), ${memoryMiB(pid).toFixed(0)} MiB after ${idleSeconds} s idle`);
		console.log(
			`  idle CPU over ${idleSeconds} s:             ${steadyIdleCpu.map((value) => `${value.toFixed(2)} %`).join(', then ')} (target < 1 %; attached, two windows from ${settleSeconds} s after launch)`,
		);
		console.log(`  idle CPU right after the flood:  ${afterFloodIdleCpu.toFixed(2)} % over ${idleSeconds} s (includes collecting the flood's garbage)`);
	} finally {
		// Quit through the UI first, so a profiled console writes its profile.
		await term.keys('q');
		await term.waitFor((screen) => screen.includes('[console exited'), 'exit', 10_000).catch(() => undefined);
		await term.kill();
		child.stdin!.write('stop\n');
		await child;
		if (existsSync(statsFile)) {
			report();
			await rm(statsFile, {force: true});
		}
	}
}

/** Local mode: launch to the first full frame, and to a connected child gateway. */
async function launchLocal(): Promise<void> {
	const frames: number[] = [];
	const connected: number[] = [];
	for (let run = 0; run < 3; run++) {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-console-local-'));
		const started = performance.now();
		const term = await startTmuxConsole({command: [process.execPath, cliPath, 'console'], env: env(dir, {OPENCLAW_STATE_DIR: path.join(dir, 'state')})});
		try {
			await term.waitFor((screen) => screen.includes('Runtime') && screen.includes('Logs') && screen.includes('? help'), 'the first frame', 20_000);
			frames.push(performance.now() - started);
			await term.waitFor((screen) => screen.includes('link     connected') && screen.includes('gateway  running'), 'a connected child', 30_000);
			connected.push(performance.now() - started);
			await term.keys('q');
			await term.waitFor((screen) => screen.includes('Quit and stop'), 'the quit question');
			await term.keys('y');
			await term.waitFor((screen) => screen.includes('[console exited'), 'exit', 15_000);
		} finally {
			await term.kill();
			await rm(dir, {recursive: true, force: true});
		}
	}

	console.log('local mode (child gateway), 3 launches:');
	console.log(`  launch to first full frame:      median ${percentile(frames, 50).toFixed(0)} ms (runs: ${frames.map((ms) => ms.toFixed(0)).join(', ')}; target < 700 ms)`);
	console.log(`  launch to child connected:       median ${percentile(connected, 50).toFixed(0)} ms (runs: ${connected.map((ms) => ms.toFixed(0)).join(', ')})`);
}

if (process.argv.includes('--serve')) {
	await serve();
	process.exit(0);
}

await exitUnlessConsoleRunnable('bench/console-flood', {tmux: true});

if (!process.argv.includes('--launch-only')) {
	await flood();
}

if (!process.argv.includes('--flood-only')) {
	await launchLocal();
}
