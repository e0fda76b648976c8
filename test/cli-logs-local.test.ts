// `openclaw logs` when the local gateway is down: without --follow it reads the gateway's log file itself and says
// so, as OpenClaw's CLI does ("Local Gateway RPC unavailable; reading configured file log instead."). A remote
// target, --follow, or a state dir with no log file still fail at once, naming the URL.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {freeLoopbackPort} from '../source/supervisor/loopback.js';
import {makeInstance, openclaw, startGatewayProcess, type Instance} from './helpers/cli-process.js';

const notice = 'Local Gateway RPC unavailable; reading configured file log instead.';

describe('openclaw logs with the local gateway down', () => {
	let instance: Instance;

	before(async () => {
		instance = await makeInstance({port: await freeLoopbackPort()});
		// A real gateway writes its log, answers `logs` over RPC, and stops.
		const gateway = await startGatewayProcess(instance);
		const live = await openclaw(['logs', '--limit', '50'], instance.env);
		assert.equal(live.exitCode, 0, live.stderr);
		assert.ok(!live.stderr.includes(notice), 'a running gateway answers itself');
		assert.match(live.stdout, new RegExp(`listening on ws://127\\.0\\.0\\.1:${instance.port}`));
		// One WARN line (a refused connect), followed by INFO lines as the gateway stops.
		assert.equal((await openclaw(['health', '--token', 'not-the-token'], instance.env)).exitCode, 1);
		await gateway.stop();
	});

	after(async () => {
		await instance?.cleanup();
	});

	it('prints the tail of the log file, with a notice naming why, and exits 0', async () => {
		const result = await openclaw(['logs', '--limit', '50'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.ok(result.stderr.includes(notice), result.stderr);
		assert.match(result.stderr, new RegExp(`not reachable at ws://127\\.0\\.0\\.1:${instance.port} \\(ECONNREFUSED\\)`));
		assert.match(result.stderr, /Log file: .*gateway\.log/);
		assert.match(result.stdout, new RegExp(`listening on ws://127\\.0\\.0\\.1:${instance.port}`));
		// The gateway's last words before it stopped are in the file too.
		assert.match(result.stdout, /stopp|shut/i);
	});

	it('--limit counts lines that pass --level: the last warning is found behind later INFO lines', async () => {
		const result = await openclaw(['logs', '--level', 'warn', '--limit', '1'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
		const lines = result.stdout.trim().split('\n');
		assert.equal(lines.length, 1, result.stdout);
		assert.match(lines[0], / WARN .*connect rejected/);
	});

	it('gives the same records as JSON lines, marked as read from the file', async () => {
		const result = await openclaw(['logs', '--json', '--limit', '5', '--level', 'info'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
		const records = result.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as Record<string, unknown>);
		assert.equal(records[0].type, 'notice');
		assert.equal(records[0].message, notice);
		assert.equal(records[1].type, 'meta');
		assert.equal(records[1].source, 'file');
		const logs = records.filter((record) => record.type === 'log');
		assert.ok(logs.length > 0 && logs.length <= 5, `${logs.length} log records`);
	});

	it('does not fall back with --follow, with an explicit --url, or with no log file', async () => {
		const follow = await openclaw(['logs', '--follow'], instance.env);
		assert.equal(follow.exitCode, 1);
		assert.match(follow.stderr, new RegExp(`not reachable at ws://127\\.0\\.0\\.1:${instance.port}`));
		assert.ok(!follow.stderr.includes(notice));

		const remote = await openclaw(['logs', '--url', `ws://127.0.0.1:${instance.port}`, '--token', instance.token], instance.env);
		assert.equal(remote.exitCode, 1);
		assert.ok(!remote.stderr.includes(notice), 'a URL given on the command line is not this machine’s gateway by default');

		const fresh = await makeInstance({port: await freeLoopbackPort()});
		try {
			const none = await openclaw(['logs'], fresh.env);
			assert.equal(none.exitCode, 1);
			assert.match(none.stderr, /not reachable/);
			assert.ok(!none.stderr.includes(notice));
		} finally {
			await fresh.cleanup();
		}
	});
});
