// OpenClaw's own CLI against our gateway (see peers-reference-cli): what runs the agent, cron jobs and `agent` turns,
// and what reads them back (usage cost, sessions, the sessions summary in status and health).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {referenceCliAgainstOurGateway} from './helpers/reference-cli-peer.js';
import {referenceVersion} from './helpers/reference-gateway.js';

describe(`OpenClaw ${referenceVersion}'s CLI against our gateway: runs`, {timeout: 240_000}, () => {
	const peer = referenceCliAgainstOurGateway();
	const run = peer.run.bind(peer);

	test('cron: add, list, status, run (the job runs the agent), runs, rm', async () => {
		const added = JSON.parse((await run(['cron', 'add', '--name', 'nightly-digest', '--cron', '0 3 * * *', '--message', 'digest please', '--agent', 'main'])).stdout) as {
			id: string;
			nextRunAtMs: number;
		};
		assert.ok(added.nextRunAtMs > Date.now());
		assert.match((await run(['cron', 'list'])).stdout, new RegExp(`${added.id}.*nightly-digest.*cron 0 3 \\* \\* \\*`));
		const status = JSON.parse((await run(['cron', 'status'])).stdout) as {enabled: boolean; jobs: number; nextWakeAtMs: number};
		assert.deepEqual([status.enabled, status.jobs, status.nextWakeAtMs], [true, 1, added.nextRunAtMs]);
		assert.equal((JSON.parse((await run(['cron', 'run', added.id])).stdout) as {enqueued: boolean}).enqueued, true);
		let runs: {entries: Array<{status: string; summary?: string}>} = {entries: []};
		for (let attempt = 0; attempt < 10 && runs.entries.length === 0; attempt++) {
			runs = JSON.parse((await run(['cron', 'runs', '--id', added.id])).stdout) as typeof runs;
		}

		assert.equal(runs.entries[0]?.status, 'ok');
		assert.equal(runs.entries[0]?.summary, 'digest please', 'the echo agent answered the job');
		assert.equal((JSON.parse((await run(['cron', 'rm', added.id])).stdout) as {removed: boolean}).removed, true);
		assert.match((await run(['cron', 'list'])).stdout, /No automations/);
	});

	test('gateway stability and gateway usage-cost (the cron run above counted its tokens)', async () => {
		assert.match((await run(['gateway', 'stability'])).stdout, /Events: \d+\/1000[\s\S]*diagnostic\.phase\.completed/);
		const cost = (await run(['gateway', 'usage-cost'])).stdout;
		assert.match(cost, /Usage cost \(30 days\)/);
		assert.match(cost, /Total: \$0\.0000 · [1-9]\d* tokens/);
	});

	test('agent: a turn through our gateway prints the echo agent\'s reply, in the session it named', async () => {
		assert.equal((await run(['agent', '--message', 'hello from the reference CLI', '--session-key', 'agent:main:reference-cli'])).stdout.trim(), 'hello from the reference CLI');
		const json = JSON.parse((await run(['agent', '--message', 'second turn', '--session-key', 'agent:main:reference-cli', '--json'])).stdout) as {
			status: string;
			result: {payloads: Array<{text: string}>; meta: {model: string}};
		};
		assert.equal(json.status, 'ok');
		assert.deepEqual(json.result.payloads.map((payload) => payload.text), ['second turn']);
		assert.equal(json.result.meta.model, 'echo');
		// --session-id and no session at all (the main session) are the other ways its users start a turn.
		assert.equal((await run(['agent', '--message', 'by session id', '--session-id', 'ref-cli-1'])).stdout.trim(), 'by session id');
		assert.equal((await run(['agent', '--agent', 'main', '--message', 'to the main session'])).stdout.trim(), 'to the main session');
		const list = JSON.parse((await run(['gateway', 'call', 'sessions.list', '--params', '{}', '--json'])).stdout) as {sessions: Array<{key: string; messageCount: number}>};
		assert.equal(list.sessions.find((row) => row.key === 'agent:main:reference-cli')?.messageCount, 4, 'both turns, user and assistant, in one session');
		assert.ok(list.sessions.some((row) => row.key === 'agent:main:main'));
	});

	test('sessions: runs and exits 0 (it reads the CLI\'s own local store, never the gateway: see peers-reference-sessions)', async () => {
		assert.match((await run(['sessions'])).stderr, /Sessions listed: 0/);
	});

	test('gateway call status and health carry the sessions summary the console and `health` read', async () => {
		const status = JSON.parse((await run(['gateway', 'call', 'status', '--json'])).stdout) as {sessions: {count: number; recent: Array<{key: string}>}};
		const health = JSON.parse((await run(['gateway', 'call', 'health', '--json'])).stdout) as {sessions: {count: number; recent: Array<{key: string}>}};
		const list = JSON.parse((await run(['gateway', 'call', 'sessions.list', '--params', '{}', '--json'])).stdout) as {totalCount: number};
		assert.ok(list.totalCount >= 3, 'the agent turns above made sessions');
		assert.equal(status.sessions.count, list.totalCount);
		assert.equal(health.sessions.count, list.totalCount, 'one agent: its store is all there is');
		assert.ok(status.sessions.recent.some((row) => row.key === 'agent:main:reference-cli'));
	});
});
