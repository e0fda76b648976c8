// Agent run latency with the offline echo model: time from sending `agent` to the accepted answer, to the first
// `agent` event, to the first assistant delta, and to the final answer, over N sequential runs on one socket.
// Usage: node --import tsx bench/agent.ts [runs=200]
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import {Logger} from '../gateway/logger.js';
import {percentile} from './lib/stats.js';
import {startBenchGateway} from './lib/bench-gateway.js';

const runs = Math.max(1, Number(process.argv[2] ?? 200) || 200);
const token = 'bench-token-0123456789';


function row(name: string, values: number[]): string {
	const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(10);
	return `${name.padEnd(22)} median ${fmt(percentile(values, 50))}   p95 ${fmt(percentile(values, 95))}   max ${fmt(Math.max(...values))}`;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-agent-'));
// The bench measures run latency, not the per-client run budget (agents/run-policy.ts): lift it.
const server = await startBenchGateway({
	stateDir: dir,
	token,
	config: {agents: {defaults: {runRateLimit: {burst: 1e6, perSecond: 1e6}}}},
	logger: new Logger({level: 'silent'}),
});

const ws = new WebSocket(`ws://127.0.0.1:${server.port}`, {perMessageDeflate: false});
type Listener = (frame: any) => void;
const listeners = new Set<Listener>();
ws.on('message', (data) => {
	const frame = JSON.parse(data.toString());
	for (const listener of listeners) {
		listener(frame);
	}
});

function until(predicate: (frame: any) => boolean, timeoutMs = 10_000): Promise<any> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			listeners.delete(listener);
			reject(new Error('bench: timed out waiting for a frame'));
		}, timeoutMs);
		const listener: Listener = (frame) => {
			if (predicate(frame)) {
				clearTimeout(timer);
				listeners.delete(listener);
				resolve(frame);
			}
		};

		listeners.add(listener);
	});
}

await until((frame) => frame.event === 'connect.challenge');
ws.send(
	JSON.stringify({
		type: 'req',
		id: 'connect',
		method: 'connect',
		params: {
			minProtocol: 4,
			maxProtocol: 4,
			client: {id: 'cli', version: 'bench', platform: process.platform, mode: 'cli'},
			scopes: ['operator.read', 'operator.write'],
			auth: {token},
		},
	}),
);
const hello = await until((frame) => frame.id === 'connect');
if (!hello.ok) {
	throw new Error(`bench: connect failed: ${JSON.stringify(hello.error)}`);
}

const accepted: number[] = [];
const firstEvent: number[] = [];
const firstDelta: number[] = [];
const total: number[] = [];
const message = 'benchmark the echo model with a sentence of several words';
const wallStart = performance.now();
for (let index = 0; index < runs; index++) {
	const runId = `bench-${index}`;
	const t0 = performance.now();
	const marks: {accepted?: number; event?: number; delta?: number} = {};
	const onFrame: Listener = (frame) => {
		if (frame.type === 'res' && frame.id === runId && frame.payload?.status === 'accepted') {
			marks.accepted ??= performance.now() - t0;
		} else if (frame.event === 'agent' && frame.payload.runId === runId) {
			marks.event ??= performance.now() - t0;
			if (frame.payload.stream === 'assistant') {
				marks.delta ??= performance.now() - t0;
			}
		}
	};

	listeners.add(onFrame);
	const final = until((frame) => frame.type === 'res' && frame.id === runId && frame.payload?.status !== 'accepted');
	ws.send(JSON.stringify({type: 'req', id: runId, method: 'agent', params: {message, idempotencyKey: runId}}));
	const answer = await final;
	listeners.delete(onFrame);
	if (!answer.ok || answer.payload.status !== 'ok') {
		throw new Error(`bench: run failed: ${JSON.stringify(answer)}`);
	}

	total.push(performance.now() - t0);
	accepted.push(marks.accepted!);
	firstEvent.push(marks.event!);
	firstDelta.push(marks.delta!);
}

const wallMs = performance.now() - wallStart;
console.log(`agent runs with the echo model: ${runs} sequential runs on one socket (${(runs / (wallMs / 1000)).toFixed(1)} runs/s)`);
console.log(row('accepted answer', accepted));
console.log(row('first agent event', firstEvent));
console.log(row('first assistant delta', firstDelta));
console.log(row('final answer', total));
console.log('(the echo model pauses 5 ms between its deltas, so a run of 4 deltas takes at least 15 ms)');
ws.close();
await server.stop();
await rm(dir, {recursive: true, force: true});
