// One fuzz run against a real `openclaw gateway` process on loopback (bench/fuzz.ts prints it; test/fuzz-run.test.ts
// runs a seeded slice). Inputs come from fuzz-inputs.ts in seeded chunks; the invariants are checked as it goes:
// the gateway never exits or logs an unhandled error, a bystander client keeps getting `health` answers, RSS stays
// bounded, the config file stays valid JSON5, and at the end every log line is whole JSON. The channel webhook routes
// (fuzz-channels.ts) answer to the test suite's loopback fakes; no forged or replayed request may reach an agent and
// no log line may hold a channel secret or a refused body (fuzz-channel-watch.ts).
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import fc from 'fast-check';
import JSON5 from 'json5';
import WebSocket from 'ws';
import {freeLoopbackPort} from '../../source/supervisor/loopback.js';
import {startFakeChannelApis} from '../../test/helpers/fake-apis.js';
import {ChannelWatch, type ChannelFigures} from './fuzz-channel-watch.js';
import {fuzzChannelsConfig, sendChannelInput} from './fuzz-channels.js';
import {fuzzInput, type FuzzInput} from './fuzz-inputs.js';
import {memoryMiB} from './process-figures.js';

const cli = fileURLToPath(new URL('../../bin/openclaw.js', import.meta.url));
const chunkSize = 500;

export type FuzzOptions = {seed: number; count: number; timeBudgetMs: number; maxRssMiB?: number; bystanderStallMs?: number};

export type FuzzReport = {
	seed: number;
	inputs: number;
	ms: number;
	byKind: Record<string, number>;
	violations: Array<{what: string; index: number; recent: FuzzInput[]}>;
	rssMiB: {start: number; peak: number; end: number};
	/** Health answers, the slowest, how many over 100 ms, and how many in-process restarts (config writes) it rode out. */
	bystander: {answers: number; maxMs: number; over100: number; restarts: number};
	configWrites: {ok: number; refused: number};
	logLines: number;
	channels: ChannelFigures;
};

async function waitReady(port: number, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline && child.exitCode === null) {
		try {
			const response = await fetch(`http://127.0.0.1:${port}/readyz`);
			await response.arrayBuffer();
			if (response.status === 200) {
				return;
			}
		} catch {}

		await new Promise((resolve) => setTimeout(resolve, 50));
	}

	throw new Error(`fuzz: gateway on ${port} not ready (exit ${child.exitCode})`);
}

/** An authenticated socket with a tiny request helper; frames it did not ask for are ignored. */
async function operator(url: string, token: string): Promise<{ws: WebSocket; request(method: string, params?: unknown, timeoutMs?: number): Promise<{ok: boolean; payload?: any; error?: any}>}> {
	const ws = new WebSocket(url, {perMessageDeflate: false});
	ws.on('error', () => {}); // a refused upgrade (503 while the gateway restarts) surfaces as the reject below or a close
	const pending = new Map<string, (frame: any) => void>();
	let next = 0;
	ws.on('message', (data) => {
		let frame: any;
		try {
			frame = JSON.parse(String(data));
		} catch {
			return;
		}

		if (frame?.type === 'res' && pending.has(frame.id)) {
			pending.get(frame.id)!(frame);
			pending.delete(frame.id);
		}
	});
	ws.on('close', () => {
		// A restart (config writes may cause one) closes the socket: nothing pending will be answered on it.
		for (const [id, settle] of pending) {
			pending.delete(id);
			settle({ok: false, error: {code: 'CLOSED', message: 'socket closed'}});
		}
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	const request = (method: string, params?: unknown, timeoutMs = 10_000) =>
		new Promise<{ok: boolean; payload?: any; error?: any}>((resolve, reject) => {
			const id = `f${++next}`;
			const timer = setTimeout(() => {
				pending.delete(id);
				reject(new Error(`${method} timed out after ${timeoutMs} ms`));
			}, timeoutMs);
			pending.set(id, (frame) => {
				clearTimeout(timer);
				resolve(frame);
			});
			ws.send(JSON.stringify({type: 'req', id, method, params}));
		});
	const hello = await request('connect', {minProtocol: 4, maxProtocol: 4, client: {id: 'cli', version: 'fuzz', platform: 'linux', mode: 'cli'}, role: 'operator', scopes: ['operator.admin'], auth: {token}});
	if (!hello.ok) {
		throw new Error(`fuzz: connect refused: ${JSON.stringify(hello.error)}`);
	}

	return {ws, request};
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-fuzz-'));
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	const port = await freeLoopbackPort();
	const token = 'fuzz-gateway-token-0123456789';
	const hooksToken = 'fuzz-hooks-token-0123456789';
	await import('node:fs/promises').then(async ({mkdir}) => mkdir(stateDir, {recursive: true, mode: 0o700}));
	const apis = await startFakeChannelApis();
	const channels = fuzzChannelsConfig(apis.url);
	const watch = new ChannelWatch();
	await writeFile(configPath, JSON.stringify({gateway: {mode: 'local', reload: {mode: 'hybrid'}, http: {endpoints: {responses: {enabled: true}}}}, hooks: {enabled: true, token: hooksToken}, channels}, null, 2));
	// Port by flag and token by env: config writes may change gateway.port or auth, but these win, so the run keeps
	// its way in while the file is rewritten under it.
	const child = spawn(process.execPath, [cli, 'gateway', '--port', String(port)], {
		env: {PATH: process.env.PATH, HOME: dir, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: token, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const violations: FuzzReport['violations'] = [];
	const recent: FuzzInput[] = [];
	let index = 0;
	const violate = (what: string) => {
		if (violations.length < 20) {
			violations.push({what, index, recent: recent.slice(-10)});
		}
	};

	for (const stream of [child.stdout!, child.stderr!]) {
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			output = (output + chunk).slice(-20_000);
			if (/unhandled|uncaught|UnhandledPromiseRejection/i.test(chunk)) {
				violate(`the gateway logged an unhandled error: ${chunk.slice(0, 300)}`);
			}
		});
	}

	const started = Date.now();
	const byKind: Record<string, number> = {};
	const configWrites = {ok: 0, refused: 0};
	const rss = {start: 0, peak: 0, end: 0};
	const bystanderStats = {answers: 0, maxMs: 0, over100: 0, restarts: 0};
	try {
		await waitReady(port, child);
		rss.start = memoryMiB(child.pid!) || 0;
		rss.peak = rss.start;
		const url = `ws://127.0.0.1:${port}`;
		let main = await operator(url, token);
		/** Reconnect after an in-process restart (a config write may cause one): the gateway must be back within 10 s. */
		const reconnect = async (what: string) => {
			const deadline = Date.now() + 10_000;
			while (Date.now() < deadline) {
				try {
					return await operator(url, token);
				} catch {
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			}

			violate(`${what} could not reconnect within 10 s`);
			return undefined;
		};

		const bystander = new Worker(new URL('fuzz-bystander.mjs', import.meta.url), {workerData: {url, token}});
		const bystanderDone = new Promise<typeof bystanderStats & {failures: string[]}>((resolve, reject) => {
			bystander.once('message', resolve);
			bystander.once('error', reject);
			bystander.once('exit', (code) => {
				reject(new Error(`the bystander worker exited (${code}) without its figures`));
			});
		});
		bystanderDone.catch(() => {}); // awaited at the end; a failure meanwhile must not be an unhandled rejection
		let hash: string | undefined = (await main.request('config.get', {})).payload?.hash;
		/** Every listing of sessions is checked against what the channel inputs may and may not have made. */
		const checkSessions = async () => {
			// Config writes restart the gateway often: a listing refused as it shuts down is asked again (bounded).
			for (let attempt = 0; attempt < 5; attempt++) {
				if (main.ws.readyState !== WebSocket.OPEN) {
					await new Promise((resolve) => setTimeout(resolve, 200));
					main = (await reconnect('the fuzzing client')) ?? main;
				}

				const list = await main.request('sessions.list', {limit: 1000}, 30_000).catch(() => undefined);
				if (list?.ok) {
					for (const problem of watch.sessions(list.payload.sessions)) {
						violate(problem);
					}

					return;
				}

				await new Promise((resolve) => setTimeout(resolve, 300));
			}
		};
		const httpInFlight = new Set<Promise<unknown>>();
		const arbitrary = fuzzInput(hooksToken, token);
		for (let chunk = 0; index < options.count && Date.now() - started < options.timeBudgetMs; chunk++) {
			const inputs = fc.sample(arbitrary, {seed: options.seed + chunk, numRuns: Math.min(chunkSize, options.count - index)});
			for (const input of inputs) {
				recent.push(input);
				if (recent.length > 50) {
					recent.shift();
				}

				byKind[input.kind] = (byKind[input.kind] ?? 0) + 1;
				if (main.ws.readyState !== WebSocket.OPEN) {
					// The gateway may close on a bad frame (1007, 1009) or restart for a config write: that is its right.
					const again = await reconnect('the fuzzing client');
					if (!again) {
						break;
					}

					main = again;
				}

				switch (input.kind) {
					case 'frame':
						main.ws.send(input.text);
						break;
					case 'binary':
						main.ws.send(Buffer.from(input.bytes));
						break;
					case 'preauth': {
						const raw = new WebSocket(url, {perMessageDeflate: false});
						raw.on('error', () => {});
						raw.on('open', () => {
							for (const frame of input.frames) {
								raw.send(frame);
							}

							setTimeout(() => raw.terminate(), 50);
						});
						break;
					}

					case 'http': {
						const request = fetch(`http://127.0.0.1:${port}${input.path}`, {
							method: input.method,
							headers: input.headers,
							body: input.method === 'GET' || input.method === 'OPTIONS' ? undefined : input.body,
							signal: AbortSignal.timeout(10_000),
						})
							.then(async (response) => {
								await response.arrayBuffer();
								if (response.status >= 500 && response.status !== 503) {
									violate(`HTTP ${response.status} for ${input.method} ${input.path}`);
								}
							})
							.catch(() => {});
						httpInFlight.add(request);
						void request.finally(() => httpInFlight.delete(request));
						if (httpInFlight.size >= 16) {
							await Promise.race(httpInFlight);
						}

						break;
					}

					case 'config': {
						const answer = await main.request(input.method, {raw: input.raw, ...(input.withHash && hash ? {baseHash: hash} : {})}).catch(() => undefined);
						if (answer?.ok) {
							configWrites.ok++;
							hash = answer.payload?.hash ?? hash;
							try {
								JSON5.parse(await readFile(configPath, 'utf8'));
							} catch (error) {
								violate(`the config file is not valid JSON5 after ${input.method}: ${(error as Error).message}`);
							}

							if (input.method !== 'config.patch') {
								// set/apply replaced the whole file: put the channel routes (and hooks) back, or the rest
								// of the run would fuzz only their 404s.
								if (main.ws.readyState !== WebSocket.OPEN) {
									main = (await reconnect('the fuzzing client')) ?? main;
								}

								const back = await main.request('config.patch', {raw: JSON.stringify({channels, hooks: {enabled: true, token: hooksToken}}), baseHash: hash}).catch(() => undefined);
								hash = back?.payload?.hash ?? (await main.request('config.get', {}).catch(() => undefined))?.payload?.hash ?? hash;
							}
						} else {
							configWrites.refused++;
							if (/hash/i.test(JSON.stringify(answer?.error ?? ''))) {
								hash = (await main.request('config.get', {}).catch(() => undefined))?.payload?.hash ?? hash;
							}
						}

						break;
					}

					case 'logs':
						main.ws.send(JSON.stringify({type: 'req', id: `logs${index}`, method: 'logs.tail', params: input.params}));
						break;
					case 'channel': {
						const sentAs = index;
						const request = sendChannelInput(port, input, sentAs).then((outcome) => {
							watch.sent(input, sentAs, outcome.statuses);
							if (outcome.violation) {
								violate(outcome.violation);
							}
						});
						httpInFlight.add(request);
						void request.finally(() => httpInFlight.delete(request));
						if (httpInFlight.size >= 16) {
							await Promise.race(httpInFlight);
						}

						break;
					}

					default:
						break;
				}

				index++;
				if (child.exitCode !== null || child.signalCode !== null) {
					violate(`the gateway exited (${child.exitCode ?? child.signalCode})`);
					break;
				}

				if (index % 200 === 0) {
					// A sync point: what was sent has been read, so the next burst does not pile up unbounded.
					await main.request('health', {}, 30_000).catch(() => undefined);
					const now = memoryMiB(child.pid!) || 0;
					rss.peak = Math.max(rss.peak, now);
					if (options.maxRssMiB !== undefined && now > options.maxRssMiB) {
						violate(`RSS ${now.toFixed(0)} MiB over the bound of ${options.maxRssMiB} MiB`);
					}
				}
			}

			await checkSessions();
			if (violations.length > 0 || child.exitCode !== null) {
				break;
			}
		}

		await Promise.allSettled(httpInFlight);
		// The last channel turns finish within moments (the echo model); then one more look at every session.
		await new Promise((resolve) => setTimeout(resolve, 500));
		await checkSessions();
		bystander.postMessage('stop');
		// Bounded like everything else here: a stuck bystander is a finding, not a hang.
		const seen = await Promise.race([
			bystanderDone,
			new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the bystander did not stop within 15 s')), 15_000).unref()),
		]).finally(() => void bystander.terminate());
		Object.assign(bystanderStats, {answers: seen.answers, maxMs: seen.maxMs, over100: seen.over100, restarts: seen.restarts});
		for (const failure of seen.failures) {
			violate(`the bystander: ${failure}`);
		}
		rss.end = memoryMiB(child.pid!) || 0;
		main.ws.terminate();
	} finally {
		child.kill('SIGTERM');
		await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(undefined)));
		await apis.close();
	}

	// Every line of every log file the gateway wrote must be one whole JSON record.
	let logLines = 0;
	const logDir = path.join(stateDir, 'logs');
	for (const name of await readdir(logDir).catch(() => [] as string[])) {
		if (!name.endsWith('.log') && !/\.log\.\d+$/.test(name)) {
			continue;
		}

		for (const line of (await readFile(path.join(logDir, name), 'utf8')).split('\n')) {
			if (line === '') {
				continue;
			}

			logLines++;
			try {
				JSON.parse(line);
			} catch {
				violate(`a torn log line in ${name}: ${line.slice(0, 200)}`);
				break;
			}

			const leak = watch.logLine(line);
			if (leak) {
				violate(leak);
			}
		}
	}

	await rm(dir, {recursive: true, force: true});
	if (violations.length > 0) {
		violations[0]!.what += `\n(gateway output tail: ${output.slice(-1500)})`;
	}

	return {seed: options.seed, inputs: index, ms: Date.now() - started, byKind, violations, rssMiB: rss, bystander: bystanderStats, configWrites, logLines, channels: watch.figures};
}
