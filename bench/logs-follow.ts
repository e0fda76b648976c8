// Log throughput: how many lines/s the gateway's log path (Logger -> redaction -> LogWriter with rotation) writes,
// and how many a follower reads through `logs.tail` over a real socket while they are being written, without loss
// or repeats. The gateway and the producer run in this process; the follower is a child process, as a real one is.
// Run: node --import tsx bench/logs-follow.ts [lines] [--short]   (loopback only; bounded in lines and time)
import {execa} from 'execa';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import WebSocket from 'ws';
import {createGatewayLogging} from '../gateway/logs/runtime.js';
import {startBenchGateway} from './lib/bench-gateway.js';

const token = 'bench-logs-token';
const marker = 'bench line';

async function follow(url: string, expected: number, timeoutMs: number): Promise<void> {
	const ws = new WebSocket(url, {perMessageDeflate: false});
	let nextId = 0;
	const pending = new Map<string, (frame: any) => void>();
	let nudge: (() => void) | undefined;
	ws.on('message', (data) => {
		const frame = JSON.parse(data.toString());
		if (frame.type === 'res') {
			pending.get(frame.id)?.(frame);
			pending.delete(frame.id);
		} else if (frame.event === 'logs.appended') {
			nudge?.();
		}
	});
	const call = (method: string, params: unknown) =>
		new Promise<any>((resolve) => {
			const id = String(++nextId);
			pending.set(id, resolve);
			ws.send(JSON.stringify({type: 'req', id, method, params}));
		});
	await new Promise((resolve) => ws.once('open', resolve));
	await call('connect', {minProtocol: 4, maxProtocol: 4, client: {id: 'cli', version: 'bench', platform: process.platform, mode: 'cli'}, scopes: ['operator.read'], auth: {token}});
	let cursor = (await call('logs.tail', {limit: 1})).payload.cursor as number;
	process.stdout.write('ready\n');
	const seen = new Set<number>();
	let duplicates = 0;
	let resets = 0;
	let calls = 0;
	let firstAt = 0;
	const deadline = Date.now() + timeoutMs;
	while (seen.size < expected && Date.now() < deadline) {
		const res = await call('logs.tail', {cursor, limit: 5000, maxBytes: 1_000_000});
		calls++;
		resets += res.payload.reset ? 1 : 0;
		for (const line of res.payload.lines as string[]) {
			if (!line.includes(marker)) {
				continue;
			}

			firstAt ||= performance.now();
			const seq = JSON.parse(line).fields.seq as number;
			if (seen.has(seq)) {
				duplicates++;
			}

			seen.add(seq);
		}

		cursor = res.payload.cursor;
		if (cursor >= res.payload.size) {
			await new Promise<void>((resolve) => {
				nudge = resolve;
				setTimeout(resolve, 200);
			});
		}
	}

	const seconds = (performance.now() - firstAt) / 1000;
	process.stdout.write(`${JSON.stringify({read: seen.size, duplicates, resets, calls, seconds})}\n`);
	ws.close();
}

async function main(): Promise<void> {
	// A number of lines, or --short (what `npm run bench -- --short` passes every script) for a quick run.
	const positional = process.argv.slice(2).find((arg) => /^\d+$/.test(arg));
	const lines = positional ? Number(positional) : process.argv.includes('--short') ? 20_000 : 100_000;
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-logs-'));
	const config = {logging: {maxFileBytes: 4 * 1024 * 1024, maxFiles: 10}};
	const logging = createGatewayLogging({stateDir: dir, config});
	logging.redactor.setSecrets('auth', [token]);
	const logger = logging.logger;
	const server = await startBenchGateway({stateDir: dir, token, config, logging});
	const bench = logger.child('bench');
	const fields = {seq: 0, connId: '5b7d3c1e-8f0a-4a55-9d0e-2b1f6a7c9e10', ip: '127.0.0.1', note: 'Authorization: Bearer not-a-real-secret'};

	// 1. Write path alone: Logger + redaction + rotation, no reader.
	const writeOnly = Math.min(lines, 50_000);
	let started = performance.now();
	for (let index = 0; index < writeOnly; index++) {
		bench.info('write-only line', {...fields, seq: -1 - index});
	}

	const writeSeconds = (performance.now() - started) / 1000;
	const bytesPerLine = logging.writer.end / Math.max(1, logging.writer.status().writtenLines);

	// 2. Write while a follower (another process) reads through logs.tail.
	const self = fileURLToPath(import.meta.url);
	const follower = execa('node', ['--import', 'tsx', self, '--follow', `ws://127.0.0.1:${server.port}`, String(lines)], {reject: false, stdin: 'ignore'});
	await new Promise<void>((resolve) => {
		follower.stdout?.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('ready')) {
				resolve();
			}
		});
	});
	started = performance.now();
	let written = 0;
	await new Promise<void>((resolve) => {
		const batch = () => {
			// Batches leave the event loop free to answer logs.tail between them, as a busy gateway would.
			for (let index = 0; index < 500 && written < lines; index++) {
				bench.info(marker, {...fields, seq: written++});
			}

			if (written < lines) {
				setImmediate(batch);
			} else {
				resolve();
			}
		};

		batch();
	});
	const produceSeconds = (performance.now() - started) / 1000;
	const result = await follower;
	const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
	const status = logging.writer.status();
	console.log('logs bench (loopback, one gateway process, follower in a child process)');
	console.log(`  write path alone:  ${Math.round(writeOnly / writeSeconds).toLocaleString('en')} lines/s (${writeOnly} lines, ~${Math.round(bytesPerLine)} B/line, redaction on)`);
	console.log(`  write while followed: ${Math.round(lines / produceSeconds).toLocaleString('en')} lines/s (${lines} lines in ${produceSeconds.toFixed(2)} s)`);
	console.log(`  follower via logs.tail: ${Math.round(report.read / report.seconds).toLocaleString('en')} lines/s (read ${report.read}/${lines}, duplicates ${report.duplicates}, resets ${report.resets}, ${report.calls} calls)`);
	console.log(`  rotations: ${status.rotations}, dropped: ${status.droppedLines}`);
	await server.stop();
	logging.writer.close();
	await rm(dir, {recursive: true, force: true});
}

if (process.argv[2] === '--follow') {
	await follow(process.argv[3], Number(process.argv[4]), 60_000);
} else {
	await main();
}
