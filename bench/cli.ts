// Whole-process wall time of the operator commands against a real local gateway (median of several runs), next to
// the cost of starting Node itself. Target: under 150 ms each; `gateway status` and `health --json` at most +50 ms over
// `node -e 0` in the same round (PASS/MISS). Run: node --import tsx bench/cli.ts [--runs 9] [--short]
import {spawn, spawnSync} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {freeLoopbackPort as freePort} from '../source/supervisor/loopback.js';

// Not strict: run-all passes its extra arguments (e.g. --short) to every bench script.
const {values} = parseArgs({options: {runs: {type: 'string'}, short: {type: 'boolean', default: false}}, strict: false});
const runs = Math.max(1, Number(values.runs ?? (values.short ? 5 : 9)));
const cli = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));


async function waitReady(port: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
				return;
			}
		} catch {}

		await new Promise((resolve) => setTimeout(resolve, 100));
	}

	throw new Error(`gateway on ${port} not ready after ${timeoutMs} ms`);
}

function time(command: string, args: string[], env: NodeJS.ProcessEnv): {ms: number; status: number | null} {
	const started = process.hrtime.bigint();
	const result = spawnSync(command, args, {env, stdio: ['ignore', 'ignore', 'pipe']});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return {ms, status: result.status};
}

function stats(samples: number[]): {median: number; min: number; max: number} {
	const sorted = [...samples].sort((a, b) => a - b);
	return {median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1)!};
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-cli-'));
const port = await freePort();
const stateDir = path.join(dir, 'state');
const configPath = path.join(stateDir, 'openclaw.json');
const env = {PATH: process.env.PATH, HOME: dir, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath, NO_COLOR: '1'};
await writeFile(path.join(dir, '.keep'), '');
spawnSync(process.execPath, [cli, 'setup', '--port', String(port)], {env, stdio: 'ignore'});
const gateway = spawn(process.execPath, [cli, 'gateway'], {env, stdio: 'ignore'});
try {
	await waitReady(port, 20_000);
	// Goals are the cost over Node's own start-up in the same round (the ratio-like figure that survives a busy machine).
	const commands: Array<{label: string; command: string; args: string[]; goalMs?: number}> = [
		{label: 'node -e 0 (Node start-up alone)', command: process.execPath, args: ['-e', '0']},
		{label: 'openclaw gateway status', command: process.execPath, args: [cli, 'gateway', 'status'], goalMs: 50},
		{label: 'openclaw health --json', command: process.execPath, args: [cli, 'health', '--json'], goalMs: 50},
		{label: 'openclaw channels status', command: process.execPath, args: [cli, 'channels', 'status']},
	];
	console.log(`openclaw CLI wall time, ${runs} rounds (median / min / max), gateway on ws://127.0.0.1:${port}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
	// Round-robin: every round runs each command once, so a slow spell of a shared machine lands on all of them alike,
	// and each command's cost over Node's own start-up is the median of its per-round differences.
	const samples = commands.map(() => [] as number[]);
	for (const {label, command, args} of commands) {
		const {status} = time(command, args, env);
		if (status !== 0) {
			throw new Error(`${label} exited ${status}`);
		}
	}

	for (let round = 0; round < runs; round++) {
		for (const [index, {label, command, args}] of commands.entries()) {
			const {ms, status} = time(command, args, env);
			if (status !== 0) {
				throw new Error(`${label} exited ${status}`);
			}

			samples[index].push(ms);
		}
	}

	for (const [index, {label, goalMs}] of commands.entries()) {
		const {median, min, max} = stats(samples[index]);
		const cost = stats(samples[index].map((ms, round) => ms - samples[0][round])).median;
		const overhead = index === 0 ? '' : `  +${cost.toFixed(0)} ms over Node start-up`;
		const goal = goalMs === undefined ? '' : `  goal +${goalMs} ms ${cost <= goalMs ? 'PASS' : 'MISS'}`;
		console.log(`${label.padEnd(34)} ${median.toFixed(0).padStart(5)} ms  (min ${min.toFixed(0)}, max ${max.toFixed(0)})${overhead}${goal}`);
	}
} finally {
	gateway.kill('SIGTERM');
	await new Promise((resolve) => gateway.once('exit', resolve));
	await rm(dir, {recursive: true, force: true});
}
