// Config reload latency on the real `openclaw gateway` process: milliseconds from writing the config file to
// (a) the hot change applied (the `config.reload` event says so) and (b) the gateway listening again after an
// in-process restart (a fresh client's connect succeeds). Both include the watcher's 300 ms debounce.
// Run: node --import tsx bench/reload.ts [rounds] [--short]   (loopback only; bounded in rounds and time)
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import WebSocket from 'ws';
import {freeLoopbackPort as freePort} from '../source/supervisor/loopback.js';

const token = 'bench-reload-token';
const cli = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));


type Client = {ws: WebSocket; events: any[]; waitEvent(predicate: (frame: any) => boolean, timeoutMs: number): Promise<any>};

/** Connect and complete the handshake; rejects if the gateway is not (yet) accepting. */
function connect(port: number): Promise<Client> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`ws://127.0.0.1:${port}`, {perMessageDeflate: false});
		const events: any[] = [];
		const waiters = new Set<() => void>();
		const client: Client = {
			ws,
			events,
			waitEvent(predicate, timeoutMs) {
				return new Promise((done, fail) => {
					const timer = setTimeout(() => fail(new Error('timed out waiting for an event')), timeoutMs);
					const check = () => {
						const found = events.find(predicate);
						if (found) {
							clearTimeout(timer);
							waiters.delete(check);
							done(found);
						}
					};

					waiters.add(check);
					check();
				});
			},
		};
		ws.on('error', reject);
		ws.on('close', () => reject(new Error('closed before hello')));
		ws.on('message', (data) => {
			const frame = JSON.parse(data.toString());
			if (frame.type === 'res' && frame.id === 'c') {
				if (frame.ok) {
					resolve(client);
				} else {
					reject(new Error(frame.error.message));
				}
			} else if (frame.type === 'event') {
				events.push(frame);
				for (const waiter of waiters) {
					waiter();
				}
			}
		});
		ws.on('open', () => {
			ws.send(JSON.stringify({
				type: 'req',
				id: 'c',
				method: 'connect',
				params: {minProtocol: 4, maxProtocol: 4, client: {id: 'cli', version: 'bench', platform: process.platform, mode: 'cli'}, scopes: ['operator.read'], auth: {token}},
			}));
		});
	});
}

function config(level: string, host: string): string {
	return JSON.stringify({gateway: {mode: 'local', auth: {token}, customBindHost: host}, logging: {level}});
}

function stats(values: number[]): string {
	const sorted = [...values].sort((a, b) => a - b);
	const median = sorted[Math.floor(sorted.length / 2)];
	return `median ${median.toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}, n=${values.length})`;
}

async function main(): Promise<void> {
	// run-all passes its own flags (e.g. --short) to every script: take the first number, if any.
	const requested = process.argv.slice(2).map(Number).find((value) => Number.isInteger(value) && value > 0);
	const rounds = Math.min(requested ?? (process.argv.includes('--short') ? 3 : 5), 20);
	const home = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-reload-'));
	const stateDir = path.join(home, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await mkdir(stateDir, {recursive: true});
	await writeFile(configPath, config('info', '127.0.0.2'));
	const port = await freePort();
	const child = execa('node', [cli, 'gateway', '--port', String(port), '--allow-unconfigured'], {
		env: {HOME: home, OPENCLAW_HOME: home, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath},
		reject: false,
		stdin: 'ignore',
	});
	try {
		let client: Client | undefined;
		for (let attempt = 0; !client && attempt < 100; attempt++) {
			client = await connect(port).catch(async () => {
				await new Promise((resolve) => setTimeout(resolve, 100));
				return undefined;
			});
		}

		if (!client) {
			throw new Error('the gateway did not start');
		}

		const hot: number[] = [];
		const restart: number[] = [];
		let level = 'info';
		let host = '127.0.0.2';
		for (let round = 0; round < rounds; round++) {
			level = level === 'info' ? 'debug' : 'info';
			const from = client.events.length;
			const written = performance.now();
			await writeFile(configPath, config(level, host));
			await client.waitEvent((frame) => client!.events.indexOf(frame) >= from && frame.event === 'config.reload' && frame.payload.result === 'applied', 10_000);
			hot.push(performance.now() - written);
		}

		for (let round = 0; round < rounds; round++) {
			host = host === '127.0.0.2' ? '127.0.0.3' : '127.0.0.2';
			const written = performance.now();
			await writeFile(configPath, config(level, host));
			await client.waitEvent((frame) => frame.event === 'shutdown', 10_000);
			client.ws.close();
			client = undefined;
			const deadline = Date.now() + 15_000;
			while (!client && Date.now() < deadline) {
				client = await connect(port).catch(async () => {
					await new Promise((resolve) => setTimeout(resolve, 10));
					return undefined;
				});
			}

			if (!client) {
				throw new Error('the gateway did not come back after a restart');
			}

			restart.push(performance.now() - written);
		}

		console.log('reload bench (real `openclaw gateway` process, loopback, debounce 300 ms included)');
		console.log(`  file write -> hot change applied:        ${stats(hot)}`);
		console.log(`  file write -> listening again (restart): ${stats(restart)}`);
		client.ws.close();
	} finally {
		child.kill('SIGTERM');
		await child;
		await rm(home, {recursive: true, force: true});
	}
}

await main();
