// Faults on the SSH path (issue 6): the tunnel cut or stalled; a client with keepalive notices, the tunnel reopens,
// the client reconnects, and nothing is restarted. Real sshd, real ssh, real gateway.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {GatewayClient, type ClientState} from '../source/client/gateway-client.js';
import {SshTunnel, type SshTunnelState} from '../source/supervisor/ssh-tunnel.js';
import {startTestGateway, type TestGateway} from './helpers/gateway.js';
import {startTestSshd, type TestSshd} from './helpers/sshd.js';
import {waitForState} from './helpers/supervision.js';

let sshd: TestSshd;
let gateway: TestGateway;
const cleanups: Array<() => Promise<void> | void> = [];

before(async () => {
	// sshd first: when it cannot start, no gateway is left running to keep the file alive until its timeout.
	sshd = await startTestSshd();
	gateway = await startTestGateway();
});

after(async () => {
	for (const cleanup of cleanups.reverse()) {
		try {
			await cleanup();
		} catch {}
	}

	await Promise.allSettled([sshd?.stop(), gateway?.stop()]);
});

type Opened = {tunnel: SshTunnel; tunnelStates: SshTunnelState[]; client: GatewayClient; clientStates: ClientState[]};

async function openTunnelAndClient(): Promise<Opened> {
	const tunnel = new SshTunnel({...sshd.tunnelOptions(), remotePort: gateway.port, backoff: {initialMs: 200, maxMs: 1000}});
	cleanups.push(async () => tunnel.stop());
	const tunnelStates: SshTunnelState[] = [];
	tunnel.on('state', (state) => tunnelStates.push(state));
	await tunnel.start();
	const client = new GatewayClient({
		url: tunnel.url!,
		token: gateway.token,
		keepaliveMs: 500,
		connectTimeoutMs: 2000,
		reconnect: {initialMs: 200, maxMs: 1000, jitter: 0},
	});
	cleanups.push(async () => client.close());
	const clientStates: ClientState[] = [];
	client.on('state', (state) => clientStates.push(state));
	await client.connect();
	return {tunnel, tunnelStates, client, clientStates};
}

async function waitForClient(client: GatewayClient, wanted: ClientState, timeoutMs: number, seen: ClientState[]): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (client.state !== wanted && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}

	assert.equal(client.state, wanted, `client states: ${seen.join(' -> ')}`);
}

describe('faults: SSH tunnel', () => {
	test('tunnel cut (ssh killed): the client shows reconnecting, the tunnel reopens, the client is back', async () => {
		const {tunnel, tunnelStates, client, clientStates} = await openTunnelAndClient();
		const connId = client.hello!.server.connId;
		const firstPid = tunnel.pid!;
		process.kill(firstPid, 'SIGKILL');
		await waitForClient(client, 'reconnecting', 5000, clientStates);
		await waitForState(tunnel, (state: SshTunnelState) => state.status === 'open' && state.pid !== firstPid, 10_000);
		const statuses = tunnelStates.map((state) => state.status);
		assert.deepEqual(statuses.slice(0, 5), ['opening', 'open', 'down', 'reopening', 'open'], statuses.join(' -> '));
		await waitForClient(client, 'connected', 10_000, clientStates);
		assert.notEqual(client.hello!.server.connId, connId, 'a new connection');
		assert.equal((await client.request('health')).ok, true);
	});

	test('sshd gone for a while: the tunnel keeps retrying (Connection refused), then reopens when sshd is back', async () => {
		const {tunnel, client, clientStates} = await openTunnelAndClient();
		const errors: string[] = [];
		tunnel.on('state', (state) => {
			if (state.status === 'reopening' && state.error) {
				errors.push(state.error);
			}
		});
		const firstPid = tunnel.pid!;
		await sshd.stopListener();
		// Sessions outlive the listener; cut the client side too.
		process.kill(firstPid, 'SIGKILL');
		await waitForClient(client, 'reconnecting', 5000, clientStates);
		const deadline = Date.now() + 10_000;
		while (errors.length < 2 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}

		assert.ok(errors.length >= 2, `the tunnel retries: ${errors.join(' | ')}`);
		assert.match(errors.at(-1)!, /Connection refused/);
		assert.equal(tunnel.state.status === 'reopening' || tunnel.state.status === 'down', true, tunnel.state.status);
		await sshd.startListener();
		await waitForState(tunnel, (state: SshTunnelState) => state.status === 'open' && state.pid !== undefined && state.pid !== firstPid, 10_000);
		await waitForClient(client, 'connected', 10_000, clientStates);
		assert.equal((await client.request('health')).ok, true);
	});

	test('tunnel stalled (ssh SIGSTOP): keepalive notices, and after SIGCONT the client recovers on the same tunnel', async () => {
		const {tunnel, client, clientStates} = await openTunnelAndClient();
		const pid = tunnel.pid!;
		cleanups.push(() => {
			try {
				process.kill(pid, 'SIGCONT');
			} catch {}
		});
		process.kill(pid, 'SIGSTOP');
		await waitForClient(client, 'reconnecting', 5000, clientStates);
		process.kill(pid, 'SIGCONT');
		await waitForClient(client, 'connected', 10_000, clientStates);
		assert.equal(tunnel.pid, pid, 'the same ssh process');
		assert.equal(tunnel.state.status, 'open');
		assert.equal((await client.request('health')).ok, true);
	});
});
