// A gateway that serves less than ours (an older or trimmed OpenClaw): the console follows its hello-ok
// (features.methods) and never sends a request it did not list. What it lacks is said where it would show: channels
// not served, `m` unavailable, no log follower, R refused with the reason; the rest works.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {tempDir} from './helpers/gateway.js';
import {listingGateway, type ListingGateway} from './helpers/listing-gateway.js';
import {openclaw} from './helpers/cli-process.js';
import {cliPath, isolatedEnv} from './helpers/gateway-process.js';

const served = ['health', 'status'];

describe('a gateway that serves only health and status', () => {
	let gateway: ListingGateway;
	let dir: string;
	let cleanup: () => Promise<void>;

	before(async () => {
		gateway = await listingGateway(served, {health: {ok: true}, status: {pid: 4242, runtimeVersion: '2026.1.1-minimal'}}, {uptimeMs: 120_000});
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
