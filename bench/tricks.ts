// What each speed trick in PERFORMANCE.md buys, measured with and without it in the same run (rounds alternate, so
// the machine's load falls on both sides alike). Prints medians and the ratio without/with.
// - the bundles (CLI, gateway, console): OPENCLAW_NO_BUNDLES=1 makes all of them step aside;
// - our WebSocket client against the `ws` package's, loaded and connected once to the same gateway.
// Run: npm run build && node --import tsx bench/tricks.ts [--short]
import {spawn, spawnSync} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {freeLoopbackPort} from '../source/supervisor/loopback.js';

const {values} = parseArgs({options: {short: {type: 'boolean', default: false}}, strict: false});
const rounds = values.short ? 5 : 11;
const cli = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));
const websocketModule = fileURLToPath(new URL('../dist/source/client/websocket.js', import.meta.url));
const probeWs = fileURLToPath(new URL('lib/probe-ws.mjs', import.meta.url));

function median(samples: number[]): number {
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
	const started = performance.now();
	const result = spawnSync(process.execPath, args, {env, stdio: ['ignore', 'ignore', 'pipe']});
	if (result.status !== 0) {
		throw new Error(`${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`);
	}

	return performance.now() - started;
}

async function readyz(port: number): Promise<boolean> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/readyz`);
		await response.arrayBuffer();
		return response.status === 200;
	} catch {
		return false;
	}
}

/** Spawn to /readyz 200 of `openclaw gateway`, polled every 5 ms. */
async function gatewayStartMs(env: NodeJS.ProcessEnv): Promise<number> {
	const port = await freeLoopbackPort();
	const started = performance.now();
	const child = spawn(process.execPath, [cli, 'gateway', '--allow-unconfigured', '--port', String(port)], {env, stdio: 'ignore'});
	try {
		const deadline = Date.now() + 20_000;
		while (!(await readyz(port))) {
			if (Date.now() > deadline) {
				throw new Error('gateway not ready in 20 s');
			}

			await new Promise((resolve) => setTimeout(resolve, 5));
		}

		return performance.now() - started;
	} finally {
		child.kill('SIGTERM');
		await new Promise((resolve) => child.once('exit', resolve));
	}
}

type Row = {label: string; with: number[]; without: number[]};

const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-tricks-'));
const port = await freeLoopbackPort();
const token = 'bench-tricks-token-0123456789';
const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: dir, OPENCLAW_STATE_DIR: path.join(dir, 'state'), OPENCLAW_GATEWAY_TOKEN: token, NO_COLOR: '1'};
const noBundles = {...env, OPENCLAW_NO_BUNDLES: '1'};
const gateway = spawn(process.execPath, [cli, 'gateway', '--allow-unconfigured', '--port', String(port)], {env, stdio: 'ignore'});
try {
	while (!(await readyz(port))) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}

	const target = ['--url', `ws://127.0.0.1:${port}`, '--token', token];
	const rows: Row[] = [
		{label: 'openclaw health --json (CLI bundle)', with: [], without: []},
		{label: 'openclaw console --once (console bundle)', with: [], without: []},
		{label: 'openclaw gateway: spawn to /readyz (gateway bundle)', with: [], without: []},
		{label: 'load + connect: our WebSocket client vs ws', with: [], without: []},
	];
	const node = [] as number[];
	for (let round = 0; round < rounds; round++) {
		node.push(wallMs(['-e', '0'], env));
		rows[0]!.with.push(wallMs([cli, 'health', '--json', ...target], env));
		rows[0]!.without.push(wallMs([cli, 'health', '--json', ...target], noBundles));
		rows[1]!.with.push(wallMs([cli, 'console', '--once', ...target], env));
		rows[1]!.without.push(wallMs([cli, 'console', '--once', ...target], noBundles));
		rows[2]!.with.push(await gatewayStartMs(env));
		rows[2]!.without.push(await gatewayStartMs(noBundles));
		rows[3]!.with.push(wallMs([probeWs, 'ours', `ws://127.0.0.1:${port}`, websocketModule], env));
		rows[3]!.without.push(wallMs([probeWs, 'ws', `ws://127.0.0.1:${port}`], env));
	}

	console.log(`speed tricks, with and without, ${rounds} alternating rounds (median ms), ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}; node -e 0: ${median(node).toFixed(0)} ms`);
	for (const row of rows) {
		const on = median(row.with);
		const off = median(row.without);
		console.log(`  ${row.label.padEnd(54)} with ${on.toFixed(0).padStart(5)}   without ${off.toFixed(0).padStart(5)}   ${(off / on).toFixed(2)}x`);
	}
} finally {
	gateway.kill('SIGTERM');
	await new Promise((resolve) => gateway.once('exit', resolve));
	await rm(dir, {recursive: true, force: true});
}
