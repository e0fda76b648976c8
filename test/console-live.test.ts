// The console's moving parts without a screen: the store's log batching, and the logs.tail follower.
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {describe, test} from 'node:test';
import {ConsoleController} from '../source/console/live/controller.js';
import {LogFollower} from '../source/console/live/log-follower.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {filteredLines} from '../source/console/state/logs.js';
import {ConsoleStore} from '../source/console/store.js';
import type {LogsTailResult} from '../source/protocol/index.js';
import type {LocalGateway} from '../source/supervisor/local-gateway.js';
import type {SshTunnel} from '../source/supervisor/ssh-tunnel.js';
import {runtimeLines} from '../source/console/state/view-lines.js';
import {authedSocket, startTestGateway} from './helpers/gateway.js';

const wait = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await wait(5);
	}
}

describe('ConsoleStore', () => {
	test('log lines reach the state in batches: many lines, one change', async () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'local'}), {flushMs: 20});
		let changes = 0;
		store.subscribe(() => changes++);
		for (let index = 0; index < 1000; index++) {
			store.appendLog({message: `line ${index}`, source: 'file'});
		}

		assert.equal(store.getSnapshot().logs.lines.length, 0, 'nothing before the flush');
		await until(() => store.getSnapshot().logs.lines.length === 1000, 'the batch');
		assert.equal(changes, 1);
		store.dispose();
	});

	test('a flood between flushes is bounded: the oldest lines are dropped but counted', () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'local', logCapacity: 100}), {flushMs: 10_000});
		for (let index = 0; index < 1000; index++) {
			store.appendLog({message: `line ${index}`, source: 'file'});
		}

		store.flush();
		const {logs} = store.getSnapshot();
		assert.equal(logs.lines.length, 100);
		assert.equal(logs.lines.at(-1)?.message, 'line 999');
		assert.equal(logs.received, 1000);
		store.dispose();
	});

	test('dispatchAll applies several facts with one notification; a no-op notifies nobody', () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'attach'}));
		let changes = 0;
		store.subscribe(() => changes++);
		store.dispatchAll([
			{type: 'runtime/probe', probe: {ok: true, latencyMs: 2, at: 1}},
			{type: 'runtime/status', status: {pid: 5}, at: 1},
		]);
		store.dispatch({type: 'logs/append', lines: []});
		store.dispatch({type: 'runtime/restartDown'});
		assert.equal(changes, 1);
		assert.equal(store.getSnapshot().runtime.status?.pid, 5);
		store.dispose();
	});
});

describe('ConsoleStore skips frames nobody could see', () => {
	test('a clock tick that changes no visible text notifies nobody; one that changes the uptime does', () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', now: 0}), {clock: () => 0});
		store.dispatch({type: 'runtime/status', status: {pid: 5, uptimeMs: 60_000}, at: 0});
		let changes = 0;
		store.subscribe(() => changes++);
		store.dispatch({type: 'clock', now: 100});
		assert.equal(changes, 0, 'same screen: no frame');
		assert.equal(store.getSnapshot().now, 100, 'the state still moves on');
		store.dispatch({type: 'clock', now: 120_000});
		assert.equal(changes, 1, 'the uptime on screen changed');
		store.dispose();
	});

	test('steady polls (status, probe with jitter) cost an idle console no frame; a lasting latency change does', () => {
		let now = 0;
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', now: 0}), {clock: () => now});
		store.dispatch({type: 'connection/state', status: 'connected', attempt: 0, at: 0});
		const poll = (latencyMs: number) => {
			now += 10_000;
			store.dispatchAll([
				{type: 'runtime/probe', probe: {ok: true, latencyMs, at: now}},
				{type: 'runtime/status', status: {pid: 5, version: '1.0.0', uptimeMs: 120_000 + now}, at: now},
			]);
		};

		poll(3.2);
		let changes = 0;
		store.subscribe(() => changes++);
		for (const latency of [2.8, 3.4, 3.1, 2.6]) {
			poll(latency);
		}

		assert.equal(changes, 0, 'jitter around 3 ms within one minute of uptime: nothing visible changed');
		for (const latency of [30, 31, 29]) {
			poll(latency);
		}

		assert.ok(changes >= 1, 'the median moved to 30 ms, and the uptime passed a minute');
		assert.match(store.getSnapshot().runtime.probeLatencies.join(' '), /30 31 29$/);
		store.dispose();
	});
});

describe('LogFollower', () => {
	function fakeFile() {
		const lines: string[] = [];
		const calls: Array<{cursor?: number; limit: number}> = [];
		return {
			lines,
			calls,
			async request(params: {cursor?: number; limit: number; maxBytes: number}): Promise<LogsTailResult> {
				calls.push({cursor: params.cursor, limit: params.limit});
				const from = params.cursor ?? Math.max(0, lines.length - params.limit);
				const slice = lines.slice(from, from + params.limit);
				return {file: 'gateway.log', cursor: from + slice.length, size: lines.length, lines: slice};
			},
		};
	}

	test('first read shows the tail, then follows by cursor; a poke reads at once; a backlog is drained without waiting', async () => {
		const file = fakeFile();
		for (let index = 0; index < 500; index++) {
			file.lines.push(`old ${index}`);
		}

		const seen: string[] = [];
		const follower = new LogFollower({request: async (params) => file.request(params), onLines: (lines) => seen.push(...lines), onNotice() {}, initialLimit: 10, limit: 100, fallbackMs: 60_000});
		follower.start();
		await until(() => seen.length === 10, 'the initial tail');
		assert.equal(seen[0], 'old 490');
		for (let index = 0; index < 350; index++) {
			file.lines.push(`new ${index}`);
		}

		follower.poke();
		await until(() => seen.length === 360, 'the backlog, in limit-sized reads without a fallback wait');
		assert.equal(seen.at(-1), 'new 349');
		assert.ok(file.calls.filter((call) => call.limit === 100).length >= 4);
		follower.stop();
	});

	test('a cursor reset (rotation, skipped bytes) is reported, not hidden', async () => {
		const notices: string[] = [];
		let call = 0;
		const follower = new LogFollower({
			async request() {
				call++;
				return call === 1
					? {file: 'f', cursor: 10, size: 10, lines: ['a']}
					: {file: 'f', cursor: 5000, size: 5000, lines: ['b'], reset: true, truncated: true, skippedBytes: 4000};
			},
			onLines() {},
			onNotice: (text) => notices.push(text),
			fallbackMs: 60_000,
		});
		follower.start();
		await until(() => call === 1, 'the first read');
		follower.poke();
		await until(() => notices.length === 1, 'the notice');
		assert.equal(notices[0], 'log cursor re-anchored (skipped 4000 bytes)');
		follower.stop();
	});
});

describe('the console\'s own log lines', () => {
	test('carry a level: a gateway that fails to start is an error line, still shown with the level filter at warn', async () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'local'}), {flushMs: 5});
		// The supervisor's contract as the controller uses it: events, and a start() that can fail.
		const local = Object.assign(new EventEmitter(), {
			url: 'ws://127.0.0.1:1',
			async start() {
				throw new Error('config invalid: gateway.port: number must be less than or equal to 65535');
			},
		});
		const controller = new ConsoleController({store, local: local as unknown as LocalGateway});
		await controller.start();
		store.flush();
		store.dispatch({type: 'logs/cycleLevel'}); // debug
		store.dispatch({type: 'logs/cycleLevel'}); // info
		store.dispatch({type: 'logs/cycleLevel'}); // warn
		const state = store.getSnapshot();
		assert.equal(state.logs.level, 'warn');
		const shown = filteredLines(state.logs);
		assert.equal(shown.length, 1);
		assert.equal(shown[0].level, 'error');
		assert.match(shown[0].message, /gateway failed to start: config invalid/);
	});
});

describe('r with an ssh tunnel that is not open', () => {
	test('opens the tunnel again now (one that gave up is not reopened on its own), then connects through it', async () => {
		const store = new ConsoleStore(initialConsoleState({mode: 'ssh', sshTarget: 'ops@gw.example'}), {flushMs: 5});
		// The tunnel's contract as the controller uses it: events, its state, start() and the failure explainer.
		let starts = 0;
		const tunnel = Object.assign(new EventEmitter(), {
			state: {status: 'open' as string},
			async start() {
				starts++;
				tunnel.state = {status: 'open'};
				return {localPort: 1};
			},
			explainConnectFailure: () => undefined,
			async dispose() {},
		});
		const controller = new ConsoleController({store, tunnel: tunnel as unknown as SshTunnel, token: 't', pollMs: 3_600_000});
		try {
			await controller.start();
			assert.equal(starts, 1);
			controller.run('reconnect');
			assert.equal(starts, 1, 'an open tunnel is left alone: r reconnects the link');
			tunnel.state = {status: 'failed'};
			controller.run('reconnect');
			await until(() => starts === 2, 'the tunnel opened again');
		} finally {
			await controller.shutdown();
			store.dispose();
		}
	});
});

describe('an announced restart on a real gateway', () => {
	test('its shutdown event shows restarting since (reason) while it is away, and running once it is back', async () => {
		const gateway = await startTestGateway();
		const {port} = gateway;
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: gateway.url}), {flushMs: 5});
		const controller = new ConsoleController({store, url: gateway.url, token: gateway.token, pollMs: 3_600_000});
		let next: Awaited<ReturnType<typeof startTestGateway>> | undefined;
		const first = () => runtimeLines(store.getSnapshot())[0].value;
		try {
			await controller.start();
			await until(() => first() === 'running', 'running', 10_000);
			await gateway.server.stop({restart: true, reason: 'test restart'});
			await until(() => /^restarting since \d\d:\d\d:\d\d \(test restart\)$/.test(first()), 'restarting since, with the reason', 10_000);
			assert.equal(runtimeLines(store.getSnapshot()).find((line) => line.label === 'pid')?.value, '-');
			next = await startTestGateway({port});
			await until(() => first() === 'running' && store.getSnapshot().runtime.announced === undefined, 'running again', 10_000);
		} finally {
			await controller.shutdown();
			store.dispose();
			await Promise.allSettled([gateway.stop(), next?.stop()]);
		}
	});
});

describe('sessions on a real gateway', () => {
	test('the controller subscribes: an agent run in a new session shows at once through sessions.changed, with no poll', async () => {
		const gateway = await startTestGateway();
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: gateway.url}), {flushMs: 5});
		// The poll is an hour away: only the connect's first read and sessions.changed can fill the line.
		const controller = new ConsoleController({store, url: gateway.url, token: gateway.token, pollMs: 3_600_000});
		const socket = await authedSocket(gateway.url, {scopes: ['operator.write']});
		try {
			await controller.start();
			await until(() => store.getSnapshot().sessions.count !== undefined, 'the first sessions summary', 10_000);
			const before = store.getSnapshot().sessions.count!;
			socket.send({type: 'req', id: 'run-1', method: 'agent', params: {message: 'hello', sessionKey: 'console-live', idempotencyKey: 'run-1'}});
			await until(() => store.getSnapshot().sessions.count === before + 1, 'the count after the run', 10_000);
			assert.equal(store.getSnapshot().sessions.last?.key, 'agent:main:console-live');
			assert.match(runtimeLines(store.getSnapshot()).find((line) => line.label === 'sessions')!.value, new RegExp(`^${before + 1} · last just now \\(agent:main:console-live\\)$`));
		} finally {
			socket.close();
			await controller.shutdown();
			store.dispose();
			await gateway.stop();
		}
	});
});
