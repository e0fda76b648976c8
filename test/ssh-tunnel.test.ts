// SshTunnel through a real sshd on 127.0.0.1 to a real gateway: open, errors, a dead tunnel reopened, clean stop.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {GatewayClient} from '../source/client/gateway-client.js';
import {SshTunnel, type SshTunnelState} from '../source/supervisor/ssh-tunnel.js';
import {freePort, startTestGateway, type TestGateway} from './helpers/gateway.js';
import {startTestSshd, type TestSshd} from './helpers/sshd.js';
import {eventually, processGone, waitForState} from './helpers/supervision.js';

let sshd: TestSshd;
let gateway: TestGateway;
const tunnels: SshTunnel[] = [];
const sshPids = new Set<number>();

before(async () => {
	// sshd first: when it cannot start, no gateway is left running to keep the file alive until its timeout.
	sshd = await startTestSshd();
	gateway = await startTestGateway();
});

after(async () => {
	await Promise.allSettled(tunnels.map(async (tunnel) => tunnel.stop()));
	for (const pid of sshPids) {
		if (!processGone(pid)) {
			process.kill(pid, 'SIGKILL');
		}
	}

	await Promise.allSettled([sshd?.stop(), gateway?.stop()]);
});

function tunnelTo(options: Partial<ConstructorParameters<typeof SshTunnel>[0]> = {}): SshTunnel {
	const tunnel = new SshTunnel({...sshd.tunnelOptions(), remotePort: gateway.port, backoff: {initialMs: 200, maxMs: 1000}, ...options});
	tunnels.push(tunnel);
	tunnel.on('state', (state) => {
		if (state.pid) {
			sshPids.add(state.pid);
		}
	});
	return tunnel;
}

describe('SshTunnel (real sshd)', () => {
	test('opens a forward on a free local port; a real gateway answers through it with the token', async () => {
		const tunnel = tunnelTo();
		const states: string[] = [];
		tunnel.on('state', (state) => states.push(state.status));
		const {localPort} = await tunnel.start();
		assert.notEqual(localPort, gateway.port);
		assert.equal(tunnel.url, `ws://127.0.0.1:${localPort}`);
		assert.deepEqual(states, ['opening', 'open']);
		assert.deepEqual(tunnel.command!.slice(0, 4), ['ssh', '-N', '-L', `127.0.0.1:${localPort}:127.0.0.1:${gateway.port}`]);
		assert.ok(tunnel.pid && !processGone(tunnel.pid));
		const client = new GatewayClient({url: tunnel.url!, token: gateway.token});
		const hello = await client.connect();
		assert.equal(hello.type, 'hello-ok');
		const health = await client.request('health');
		assert.equal(health.ok, true);
		await client.close();
		const pid = tunnel.pid;
		await tunnel.stop();
		assert.equal(tunnel.state.status, 'closed');
		assert.ok(await eventually(() => processGone(pid), 3000), 'stop leaves no ssh process');
	});

	test('a key the server does not accept: a clear Permission denied error, state failed, no ssh left', async () => {
		const tunnel = tunnelTo({identity: sshd.wrongIdentity});
		await assert.rejects(tunnel.start(), /^SshTunnelError: ssh to \S+ failed: Permission denied \(publickey\)\. Fix: pass --identity/);
		assert.equal(tunnel.state.status, 'failed');
		assert.equal(tunnel.pid, undefined);
	});

	test('nothing listening for ssh: Connection refused, with the fix', async () => {
		const closedPort = await freePort();
		const tunnel = tunnelTo({target: `${sshd.user}@127.0.0.1:${closedPort}`});
		await assert.rejects(tunnel.start(), /Connection refused: nothing accepts ssh there\. Fix: check the host and port/);
	});

	test('an unknown host key is refused under strict checking', async () => {
		const tunnel = tunnelTo({knownHostsFile: '/dev/null'});
		await assert.rejects(tunnel.start(), /host key is unknown or has changed/);
	});

	test('a bad target is refused before anything runs', async () => {
		const tunnel = tunnelTo({target: '-oProxyCommand=touch /tmp/pwned'});
		await assert.rejects(tunnel.start(), /invalid ssh target .*use user@host or user@host:port/);
		assert.equal(tunnel.command, undefined, 'ssh never ran');
	});

	test('stop() right after start(): the start fails, no ssh is left', async () => {
		const tunnel = tunnelTo();
		const starting = tunnel.start();
		await tunnel.stop();
		await assert.rejects(starting, /stopped before it opened/);
		assert.equal(tunnel.state.status, 'closed');
		assert.equal(tunnel.pid, undefined);
	});

	test('an open tunnel to a remote port where nothing listens says so, about the remote side', async () => {
		const remotePort = await freePort();
		const tunnel = tunnelTo({remotePort});
		const {localPort} = await tunnel.start();
		const warned = await waitForState(tunnel, (state: SshTunnelState) => Boolean(state.warning), 5000);
		assert.match(warned.warning!, new RegExp(`^nothing answers on 127\\.0\\.0\\.1:${remotePort} on the remote side .*start the gateway there \\(ssh -p ${sshd.port} \\S+@127\\.0\\.0\\.1 openclaw gateway\\)`));
		// A client through the tunnel fails as "not reachable" at ssh's local end; the tunnel says what that means.
		const client = new GatewayClient({url: tunnel.url!, token: gateway.token});
		const error = await client.connect().then(
			() => assert.fail('connected through a dead remote port'),
			(reason: unknown) => reason,
		);
		await client.close();
		const explained = tunnel.explainConnectFailure(error)!;
		assert.match(explained, new RegExp(`nothing answers on 127\\.0\\.0\\.1:${remotePort} on the remote side`));
		assert.doesNotMatch(explained, new RegExp(`${localPort}|Start it with`));
		const dropped = Object.assign(new Error('gateway closed (1006)'), {kind: 'closed', detail: {code: 1006}});
		assert.match(tunnel.explainConnectFailure(dropped) ?? '', /on the remote side/, 'a drop mid-upgrade is the same dead port');
		const refused = Object.assign(new Error('gateway closed (1013): gateway starting'), {kind: 'closed', detail: {code: 1013}});
		assert.equal(tunnel.explainConnectFailure(refused), undefined, 'a gateway\'s own close code is its own answer');
		assert.equal(tunnel.explainConnectFailure(Object.assign(new Error('unauthorized'), {kind: 'auth'})), undefined, 'auth is not the tunnel\'s to explain');
		await tunnel.stop();
	});

	test('a missing --identity file is reported as such before ssh is started', async () => {
		const tunnel = tunnelTo({identity: `${sshd.dir}/no-such-key`});
		await assert.rejects(tunnel.start(), (error: Error) => {
			assert.equal(error.message, `identity file ${sshd.dir}/no-such-key not found. Fix: pass --identity with the path of an ssh private key the server accepts (e.g. ~/.ssh/id_ed25519).`);
			return true;
		});
		assert.equal(tunnel.command, undefined, 'ssh never ran');
		assert.equal(tunnel.state.status, 'failed');
	});

	test('ssh killed: down with the reason, reopening with a delay, open again on the same local port', async () => {
		const tunnel = tunnelTo();
		const {localPort} = await tunnel.start();
		const firstPid = tunnel.pid!;
		const seen: SshTunnelState[] = [];
		tunnel.on('state', (state) => seen.push(state));
		process.kill(firstPid, 'SIGKILL');
		await waitForState(tunnel, (state: SshTunnelState) => state.status === 'down', 5000);
		const reopened = await waitForState(tunnel, (state: SshTunnelState) => state.status === 'open', 10_000);
		assert.equal(reopened.localPort, localPort);
		assert.notEqual(tunnel.pid, firstPid);
		const down = seen.find((state) => state.status === 'down');
		assert.match(down?.error ?? '', /ssh killed by SIGKILL/);
		const reopening = seen.find((state) => state.status === 'reopening');
		assert.equal(reopening?.attempt, 1);
		assert.ok(reopening?.retryInMs && reopening.retryInMs > 0);
		assert.equal(reopened.attempt, 0);
		const client = new GatewayClient({url: tunnel.url!, token: gateway.token});
		await client.connect();
		await client.close();
		await tunnel.stop();
	});

	test('sessions cut by the server: reopened', async () => {
		const tunnel = tunnelTo();
		await tunnel.start();
		assert.ok(sshd.killSessions() > 0);
		await waitForState(tunnel, (state: SshTunnelState) => state.status === 'down', 5000);
		await waitForState(tunnel, (state: SshTunnelState) => state.status === 'open', 10_000);
		await tunnel.stop();
		assert.equal(tunnel.state.status, 'closed');
	});

	test('no ssh process outlives its tunnel', async () => {
		await Promise.all(tunnels.map(async (tunnel) => tunnel.stop()));
		assert.ok(sshPids.size >= 6, `ssh processes seen: ${sshPids.size}`);
		assert.ok(await eventually(() => [...sshPids].every((pid) => processGone(pid)), 3000), `still running: ${[...sshPids].filter((pid) => !processGone(pid)).join(', ')}`);
		assert.ok(tunnels.every((tunnel) => tunnel.state.status === 'closed' || tunnel.state.status === 'failed'));
	});
});
