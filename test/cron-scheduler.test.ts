// The cron scheduler in a real gateway (in process): jobs survive a restart on the same state dir, due jobs run the
// agent on their own, a run a crash interrupted is recorded as such, and a run missed while stopped runs on start.
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, test} from 'node:test';
import {buildServices} from '../gateway/assemble.js';
import {CronService} from '../gateway/cron/service.js';
import type {CronJob} from '../gateway/cron/store.js';
import {Logger} from '../gateway/logger.js';
import {GatewayServer} from '../gateway/server.js';
import {emptyConfig, tempDir, testToken} from './helpers/gateway.js';

async function startOn(stateDir: string): Promise<{server: GatewayServer; cron: CronService}> {
	const configPath = path.join(stateDir, 'openclaw.json');
	const logger = new Logger({level: 'silent'});
	const services = buildServices({stateDir, configPath, logger});
	const server = new GatewayServer({host: '127.0.0.1', port: 0, auth: {mode: 'token', token: testToken}, stateDir, configPath, config: emptyConfig(configPath), logger, services});
	await server.start();
	return {server, cron: services.find((service): service is CronService => service instanceof CronService)!};
}

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const agentJob = (name: string, schedule: CronJob['schedule']) => ({
	name,
	enabled: true,
	schedule,
	sessionTarget: 'isolated',
	wakeMode: 'now',
	payload: {kind: 'agentTurn' as const, message: `hello from ${name}`},
});

describe('cron scheduler', {timeout: 30_000}, () => {
	test('jobs and their next run survive a restart on the same state dir', async () => {
		const {dir, cleanup} = await tempDir();
		try {
			const first = await startOn(dir);
			const nightly = await first.cron.add(agentJob('nightly', {kind: 'cron', expr: '0 3 * * *'}));
			await first.server.stop();

			const second = await startOn(dir);
			const [kept] = second.cron.list();
			assert.equal(kept.id, nightly.id);
			assert.equal(kept.name, 'nightly');
			assert.equal(kept.state.nextRunAtMs, nightly.state.nextRunAtMs);
			assert.equal(second.cron.nextWakeAtMs(), nightly.state.nextRunAtMs);
			await second.server.stop();
		} finally {
			await cleanup();
		}
	});

	test('a due job runs the agent by itself and its run is logged with the reply', async () => {
		const {dir, cleanup} = await tempDir();
		const {server, cron} = await startOn(dir);
		try {
			const job = await cron.add(agentJob('ticker', {kind: 'every', everyMs: 1000}));
			const [entry] = await until(async () => cron.runs(job.id), (runs) => runs.length > 0, 'the first scheduled run');
			assert.equal(entry.status, 'ok');
			assert.equal(entry.summary, 'hello from ticker', 'the echo model answered the job message');
			assert.equal(entry.model, 'echo');
			const after = cron.get(job.id);
			assert.equal(after.state.lastRunStatus, 'ok');
			assert.ok(after.state.nextRunAtMs! > entry.runAtMs, 'the next run is scheduled after this one');
		} finally {
			await server.stop();
			await cleanup();
		}
	});

	test('a run interrupted by a crash is recorded as interrupted, and a run missed while stopped runs on start', async () => {
		const {dir, cleanup} = await tempDir();
		try {
			const first = await startOn(dir);
			const crashed = await first.cron.add(agentJob('crashed', {kind: 'cron', expr: '0 3 * * *'}));
			const missed = await first.cron.add(agentJob('missed', {kind: 'cron', expr: '0 4 * * *'}));
			await first.server.stop();
			// What a crash mid-run leaves: `crashed` marked running; `missed` was due an hour ago.
			const file = path.join(dir, 'cron', 'jobs.json');
			const stored = JSON.parse(await readFile(file, 'utf8')) as {jobs: CronJob[]};
			stored.jobs.find((job) => job.id === crashed.id)!.state.runningAtMs = Date.now() - 5000;
			stored.jobs.find((job) => job.id === missed.id)!.state.nextRunAtMs = Date.now() - 3_600_000;
			await writeFile(file, JSON.stringify(stored));

			const second = await startOn(dir);
			try {
				const [interrupted] = await second.cron.runs(crashed.id);
				assert.equal(interrupted.status, 'error');
				assert.match(interrupted.error ?? '', /interrupted/);
				assert.equal(second.cron.get(crashed.id).state.runningAtMs, undefined);
				const [caughtUp] = await until(async () => second.cron.runs(missed.id), (runs) => runs.length > 0, 'the missed run');
				assert.equal(caughtUp.status, 'ok');
				assert.ok(second.cron.get(missed.id).state.nextRunAtMs! > Date.now(), 'then it waits for its next time');
			} finally {
				await second.server.stop();
			}
		} finally {
			await cleanup();
		}
	});
});
