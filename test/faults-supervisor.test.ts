// Faults around the console's child gateway (issue 6): killed, failing at start, stalled. Real processes.
import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, describe, test} from 'node:test';
import {GatewayClient, type ClientState} from '../source/client/gateway-client.js';
import {LocalGateway, type LocalGatewayState} from '../source/supervisor/local-gateway.js';
import {freePort, tempDir} from './helpers/gateway.js';
import {cleanEnv, httpStatus, processGone, waitForState} from './helpers/supervision.js';

let home: {dir: string; cleanup: () => Promise<void>};
const cleanups: Array<() => Promise<void> | void> = [];

before(async () => {
	home = await tempDir('openclaw-faults-');
});

after(async () => {
	for (const cleanup of cleanups.reverse()) {
		try {
			await cleanup();
		} catch {}
	}

	await home.cleanup();
});

function supervised(options: ConstructorParameters<typeof LocalGateway>[0] = {}): LocalGateway {
	const gateway = new LocalGateway({env: cleanEnv(home.dir), ...options});
	cleanups.push(async () => gateway.dispose());
	return gateway;
}

function clientStates(client: GatewayClient): ClientState[] {
	const states: ClientState[] = [];
	client.on('state', (state) => states.push(state));
	return states;
}

async function waitForClient(client: GatewayClient, wanted: ClientState, timeoutMs: number, seen: ClientState[]): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (client.state !== wanted && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}

	assert.equal(client.state, wanted, `client states: ${seen.join(' -> ')}`);
}

describe('faults: supervised child gateway', () => {
	test('SIGKILL: shown as crashed (signal), restarted after a backoff with a new pid, the port answers again', async () => {
		const gateway = supervised({restartPolicy: {backoff: {initialMs: 300}}});
		await gateway.start();
		const firstPid = gateway.pid!;
		const seen: LocalGatewayState[] = [];
		let backoffMs: number | undefined;
		gateway.on('state', (state) => {
			seen.push(state);
			if (state.status === 'backoff') {
				backoffMs = state.nextRestartAt! - Date.now();
			}
		});
		process.kill(firstPid, 'SIGKILL');
		const crashed = await waitForState(gateway, (state) => state.status === 'crashed', 5000);
		assert.equal(crashed.signal, 'SIGKILL');
		assert.equal(crashed.pid, firstPid);
		const running = await waitForState(gateway, (state) => state.status === 'running' && state.pid !== firstPid, 15_000);
		assert.equal(running.restarts, 1);
		assert.ok(backoffMs !== undefined && backoffMs > 200 && backoffMs <= 300, `the backoff state says when the next start happens: in ${backoffMs} ms`);
		assert.deepEqual(
			seen.map((state) => state.status).filter((status, index, all) => all.indexOf(status) === index),
			['crashed', 'backoff', 'restarting', 'running'],
		);
		assert.ok(processGone(firstPid));
		assert.equal(await httpStatus(`http://127.0.0.1:${gateway.port}/readyz`), 200);
		const client = new GatewayClient({url: gateway.url!, token: gateway.token});
		await client.connect();
		await client.close();
	});

	test('exiting with an error at start (port taken): retried with growing delays, then failed with the reason', async () => {
		const port = await freePort();
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
		cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
		const gateway = supervised({port, restartPolicy: {maxRestarts: 2, windowMs: 60_000, backoff: {initialMs: 100, factor: 2}}});
		const seen: LocalGatewayState[] = [];
		const backoffDelays: number[] = [];
		gateway.on('state', (state) => {
			seen.push(state);
			if (state.status === 'backoff') {
				backoffDelays.push(state.nextRestartAt! - Date.now());
			}
		});
		await assert.rejects(gateway.start(), /exited with code 1 before it was ready:\n.*already listening on ws:\/\/127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
		const failed = await waitForState(gateway, (state) => state.status === 'failed', 20_000);
		assert.match(failed.lastError!, /crashed 3 times within 60 s \(last: exited with code 1\); stopped restarting/);
		assert.match(failed.lastError!, /Last error: Gateway failed to start: another gateway instance is already listening/);
		assert.ok(failed.stderrTail!.some((line) => line.includes('EADDRINUSE')));
		assert.equal(failed.restarts, 2);
		assert.equal(seen.filter((state) => state.status === 'crashed').length, 3);
		assert.equal(backoffDelays.length, 2);
		assert.ok(backoffDelays[0] <= 100 && backoffDelays[1] > 100 && backoffDelays[1] <= 200, `delays grow: ${backoffDelays.join(', ')}`);
		// No further attempt after giving up.
		await new Promise((resolve) => setTimeout(resolve, 500));
		assert.equal(gateway.state.status, 'failed');
		assert.equal(gateway.pid, undefined);

		// Once the cause is gone, a user start works again (the crash history is forgotten).
		await new Promise<void>((resolve) => blocker.close(() => resolve()));
		await gateway.start();
		assert.equal(gateway.state.status, 'running');
	});

	test('stop() during a backoff cancels the pending restart', async () => {
		const gateway = supervised({restartPolicy: {backoff: {initialMs: 1500}}});
		await gateway.start();
		process.kill(gateway.pid!, 'SIGKILL');
		await waitForState(gateway, (state) => state.status === 'backoff', 5000);
		await gateway.stop();
		assert.equal(gateway.state.status, 'stopped');
		await new Promise((resolve) => setTimeout(resolve, 2000));
		assert.equal(gateway.state.status, 'stopped');
		assert.equal(gateway.pid, undefined);
	});

	test('SIGSTOP: a client with keepalive sees the dead link, and recovers after SIGCONT with the same gateway pid', async () => {
		const gateway = supervised();
		await gateway.start();
		const pid = gateway.pid!;
		cleanups.push(() => {
			try {
				process.kill(pid, 'SIGCONT');
			} catch {}
		});
		const gatewayStates: string[] = [];
		gateway.on('state', (state) => gatewayStates.push(state.status));
		const client = new GatewayClient({
			url: gateway.url!,
			token: gateway.token,
			keepaliveMs: 500,
			connectTimeoutMs: 2000,
			reconnect: {initialMs: 200, maxMs: 1000, jitter: 0},
		});
		cleanups.push(async () => client.close());
		const states = clientStates(client);
		await client.connect();
		process.kill(pid, 'SIGSTOP');
		await waitForClient(client, 'reconnecting', 5000, states);
		process.kill(pid, 'SIGCONT');
		await waitForClient(client, 'connected', 10_000, states);
		const health = await client.request('health');
		assert.equal(health.ok, true);
		assert.equal(gateway.pid, pid, 'nothing was restarted');
		assert.equal(gateway.state.status, 'running');
		assert.deepEqual(gatewayStates, [], 'the supervisor saw no crash');
	});
});
