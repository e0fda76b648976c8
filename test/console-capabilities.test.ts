// A gateway that serves less than ours (an older or trimmed OpenClaw): the console follows its hello-ok
// (features.methods) and never sends a request it did not list. What it lacks is said where it would show: channels
// not served, `m` unavailable, no log follower, R refused with the reason; the rest works.
import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {WebSocketServer} from 'ws';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {tempDir} from './helpers/gateway.js';
import {openclaw} from './helpers/cli-process.js';
import {cliPath, isolatedEnv} from './helpers/gateway-process.js';

const served = ['health', 'status'];

/** Speaks protocol 4 (challenge, connect -> hello-ok listing only `served`), answers those, records every request. */
function minimalGateway(): Promise<{url: string; requested: string[]; close(): Promise<void>}> {
	const requested: string[] = [];
	const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
	wss.on('connection', (ws) => {
		ws.send(JSON.stringify({type: 'event', event: 'connect.challenge', payload: {nonce: 'n', ts: Date.now()}}));
		ws.on('message', (data) => {
			const frame = JSON.parse(String(data)) as {id: string; method: string};
			requested.push(frame.method);
			const answer = (payload: unknown) => ws.send(JSON.stringify({type: 'res', id: frame.id, ok: true, payload}));
			if (frame.method === 'connect') {
				answer({
					type: 'hello-ok',
					protocol: 4,
					server: {version: '2026.1.1-minimal', connId: 'c1'},
					features: {methods: served, events: ['tick']},
					snapshot: {presence: [], health: {}, stateVersion: {presence: 0, health: 0}, uptimeMs: 120_000},
					auth: {role: 'operator', scopes: ['operator.read']},
					policy: {maxPayload: 1_000_000, maxBufferedBytes: 1_000_000, tickIntervalMs: 30_000},
				});
			} else if (frame.method === 'health') {
				answer({ok: true});
			} else if (frame.method === 'status') {
				answer({pid: 4242, runtimeVersion: '2026.1.1-minimal'});
			} else {
				ws.send(JSON.stringify({type: 'res', id: frame.id, ok: false, error: {code: 'INVALID_REQUEST', message: `unknown method: ${frame.method}`}}));
			}
		});
	});
	return new Promise((resolve) => {
		wss.once('listening', () => {
			const {port} = wss.address() as AddressInfo;
			resolve({
				url: `ws://127.0.0.1:${port}`,
				requested,
				close: async () =>
					new Promise((done) => {
						for (const client of wss.clients) {
							client.terminate();
						}

						wss.close(() => done());
					}),
			});
		});
	});
}

describe('a gateway that serves only health and status', () => {
	let gateway: Awaited<ReturnType<typeof minimalGateway>>;
	let dir: string;
	let cleanup: () => Promise<void>;

	before(async () => {
		gateway = await minimalGateway();
		({dir, cleanup} = await tempDir('openclaw-capabilities-'));
	});

	after(async () => {
		await gateway.close();
		await cleanup();
	});

	test('console --once says what is not served and asks for nothing it did not list', async () => {
		gateway.requested.length = 0;
		const result = await openclaw(['console', '--once', '--url', gateway.url, '--token', 't'], {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1'});
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, /pid +4242 +up 2m +v2026\.1\.1-minimal/);
		assert.match(result.stdout, /channels\.status: not served by this gateway/);
		assert.match(result.stdout, /m +config\.patch: not served by this gateway/);
		assert.deepEqual([...new Set(gateway.requested)].sort(), ['connect', 'health', 'status']);
	});

	test('the live console: no log follower, R refused with the reason, m unavailable, nothing sent blind', {timeout: 60_000}, async () => {
		gateway.requested.length = 0;
		const term = await startTmuxConsole({
			command: [process.execPath, cliPath, 'console', '--url', gateway.url, '--token', 't'],
			env: isolatedEnv(dir, {TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH, NO_COLOR: '1'}),
		});
		try {
			await term.waitFor((screen) => screen.includes('link     connected') && screen.includes('logs.tail: not served by this gateway'), 'connected, logs.tail said to be missing', 20_000);
			await term.keys('R');
			await term.waitFor((screen) => screen.includes('Restart the attached gateway?'), 'the restart question');
			await term.keys('y');
			await term.waitFor((screen) => screen.includes('R unavailable: gateway.restart.request: not served by this gateway'), 'R refused with the reason', 10_000);
			await term.keys('m');
			await term.waitFor((screen) => screen.includes('m unavailable: config.patch: not served by this gateway'), 'm unavailable', 10_000);
			await term.keys('p');
			await term.waitFor((screen) => /probe {4}ok/.test(screen), 'a probe still works', 10_000);
			assert.deepEqual([...new Set(gateway.requested)].sort(), ['connect', 'health', 'status']);
		} finally {
			await term.kill();
		}
	});
});
