// FleetProber against gateways in this process: it follows what each gateway lists in hello-ok (never a method it
// did not list), takes an announced restart as `restarting` until the gateway is back, and reports a row only when
// it changed.
import assert from 'node:assert/strict';
import net, {type AddressInfo} from 'node:net';
import {describe, test} from 'node:test';
import {startTestGateway} from './helpers/gateway.js';
import {listingGateway} from './helpers/listing-gateway.js';
import {FleetProber} from '../source/fleet/prober.js';
import type {FleetRow} from '../source/fleet/row.js';

const fleetAnswers = {health: {ok: true, sessions: {count: 2}}, status: {runtimeVersion: '2026.1.1-minimal', gateway: {reloadMode: 'off'}}};

const urlEntry = (name: string, url: string, token = 't') => ({kind: 'url' as const, name, url, auth: {token}, origin: {source: 'file' as const}});

describe('FleetProber follows what each gateway lists', () => {
	test('health only: probes with health, never asks status', async () => {
		const gateway = await listingGateway(['health'], fleetAnswers);
		const prober = new FleetProber([urlEntry('h', gateway.url)], {env: {}});
		try {
			const [row] = await prober.probeAll();
			await prober.probe('h');
			assert.equal(row.state, 'running');
			assert.equal(row.version, '2026.1.1-minimal');
			assert.equal(row.sessions, 2);
			assert.equal(row.reloadMode, undefined);
			assert.deepEqual(gateway.requested, ['connect', 'health', 'health'], 'one connection held between polls, nothing unlisted');
		} finally {
			await prober.stop();
			await gateway.close();
		}
	});

	test('status only: the probe is status (with its reload mode); health, unlisted, is never sent', async () => {
		const gateway = await listingGateway(['status'], fleetAnswers);
		const prober = new FleetProber([urlEntry('s', gateway.url)], {env: {}});
		try {
			const [row] = await prober.probeAll();
			assert.equal(row.state, 'running');
			assert.ok(!gateway.requested.includes('health'));
			assert.deepEqual([...new Set(gateway.requested)], ['connect', 'status']);
		} finally {
			await prober.stop();
			await gateway.close();
		}
	});
});

describe('FleetProber over time', () => {
	test('an announced restart is `restarting` while the gateway is away, then running again', async () => {
		const first = await startTestGateway();
		const prober = new FleetProber([urlEntry('g', first.url, first.token)], {env: {}, timeoutMs: 2000});
		let second: Awaited<ReturnType<typeof startTestGateway>> | undefined;
		try {
			assert.equal((await prober.probeAll())[0].state, 'running');
			const restarting = new Promise<FleetRow>((resolve) => {
				prober.on('row', (row) => {
					if (row.state === 'restarting') {
						resolve(row);
					}
				});
			});
			await first.server.stop({reason: 'test restart', restart: true, restartExpectedMs: 1500});
			assert.equal((await restarting).why, 'the gateway announced a restart');
			const away = await prober.probe('g');
			assert.equal(away!.state, 'restarting', 'refused while it restarts: still restarting, not unreachable');
			second = await startTestGateway({port: first.port});
			const back = await prober.probe('g');
			assert.equal(back!.state, 'running');
			assert.equal(back!.trend.length, 2);
		} finally {
			await prober.stop();
			await first.stop().catch(() => {});
			await second?.stop();
		}
	});

	test('polling: a gateway that stays down is reported once, not at every poll', async () => {
		// Accepts TCP and hangs up at once: a gateway that is not there, but whose attempts can be counted.
		let attempts = 0;
		const server = net.createServer((socket) => {
			attempts++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const prober = new FleetProber([urlEntry('down', `ws://127.0.0.1:${(server.address() as AddressInfo).port}`)], {env: {}, intervalMs: 50});
		const reported: FleetRow[] = [];
		prober.on('row', (row) => reported.push(row));
		prober.start();
		await new Promise((resolve) => setTimeout(resolve, 500));
		await prober.stop();
		await new Promise((resolve) => server.close(resolve));
		assert.ok(attempts >= 4, `polled ${attempts} times`);
		assert.equal(reported.length, 1, reported.map((row) => `${row.state} ${row.why}`).join(', '));
		assert.equal(reported[0].state, 'unreachable');
	});

	test('polling: every gateway is polled once at start, not one slot of the interval after another', async () => {
		// With a minute between polls, spread slots would put the fourth first poll 45 s out: all four come at once.
		const attempts = new Set<number>();
		const server = net.createServer((socket) => {
			attempts.add(socket.remotePort ?? 0);
			socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const prober = new FleetProber(
			['a', 'b', 'c', 'd'].map((name) => urlEntry(name, url)),
			{env: {}, intervalMs: 60_000},
		);
		const unreachable = new Set<string>();
		const all = new Promise<void>((resolve) => {
			prober.on('row', (row) => {
				if (row.state === 'unreachable') {
					unreachable.add(row.name);
				}

				if (unreachable.size === 4) {
					resolve();
				}
			});
		});
		prober.start();
		try {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
			clearTimeout(timer);
			assert.deepEqual([...unreachable].sort(), ['a', 'b', 'c', 'd']);
			assert.equal(attempts.size, 4);
		} finally {
			await prober.stop();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

describe('FleetProber as the fleet changes (the console adds and removes entries)', () => {
	test('an added entry is polled at once and with the others; a removed one is never polled or reported again', async () => {
		const first = await listingGateway(['health'], fleetAnswers);
		const added = await listingGateway(['health'], fleetAnswers);
		const prober = new FleetProber([urlEntry('first', first.url)], {env: {}, intervalMs: 100});
		const reported: string[] = [];
		prober.on('row', (row) => reported.push(`${row.name}:${row.state}`));
		try {
			prober.start();
			const row = prober.add(urlEntry('added', added.url));
			assert.equal(row.state, 'connecting');
			assert.throws(() => prober.add(urlEntry('first', added.url)), /a gateway named "first" is already in the fleet/);
			const deadline = Date.now() + 5000;
			while (added.requested.filter((method) => method === 'health').length < 2 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}

			assert.ok(reported.includes('added:running'), reported.join(' '));
			assert.ok(added.requested.filter((method) => method === 'health').length >= 2, 'polled again after the first probe');
			assert.equal(await prober.remove('added'), true);
			assert.equal(await prober.remove('added'), false);
			const polls = added.requested.length;
			const rowsReported = reported.length;
			await new Promise((resolve) => setTimeout(resolve, 350));
			assert.equal(added.requested.length, polls, 'no poll after removal');
			assert.ok(!reported.slice(rowsReported).some((text) => text.startsWith('added:')), 'no row after removal');
			assert.equal(prober.entry('added'), undefined);
			assert.ok(first.requested.filter((method) => method === 'health').length >= 3, 'the others go on');
		} finally {
			await prober.stop();
			await Promise.all([first.close(), added.close()]);
		}
	});
});
