// A cron job with a delivery target (OpenClaw's `openclaw cron add --message ... --announce --channel telegram --to
// 4242`, stored as delivery {mode: "announce", channel, to}) sends its run's answer to that peer through the channel's
// own transport (here the loopback Telegram fake), and its run log records what became of it in OpenClaw's words.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {CronService} from '../gateway/cron/service.js';
import type {CronJob} from '../gateway/cron/store.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {tempDir} from './helpers/gateway.js';
import {pause, startGateway, type Started} from './helpers/routing.js';

const announcing = (name: string, delivery: Record<string, unknown>) => ({
	name,
	enabled: true,
	schedule: {kind: 'cron', expr: '0 3 * * *'} as CronJob['schedule'],
	sessionTarget: 'isolated',
	wakeMode: 'now',
	payload: {kind: 'agentTurn' as const, message: `news from ${name}`},
	delivery,
});

describe('cron jobs that deliver their answer', {timeout: 30_000}, () => {
	let apis: FakeChannelApis;
	let state: {dir: string; cleanup: () => Promise<void>};
	let started: Started;
	let cron: CronService;

	/** Run the job now and return its run log entry once the run (and its delivery) is recorded. */
	async function runOnce(job: CronJob) {
		const runId = await cron.runNow(job.id);
		const deadline = Date.now() + 5000;
		for (;;) {
			const entry = (await cron.runs(job.id)).find((logged) => logged.runId === runId);
			if (entry) {
				return entry;
			}

			assert.ok(Date.now() < deadline, `timed out waiting for the run log entry of ${job.name}`);
			await pause(20);
		}
	}

	before(async () => {
		apis = await startFakeChannelApis();
		state = await tempDir('openclaw-cron-deliver-');
		started = await startGateway(state.dir, {channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1}}});
		cron = started.services.find((service): service is CronService => service instanceof CronService)!;
	});

	after(async () => {
		await started?.gw.stop();
		await apis?.close();
		await state?.cleanup();
	});

	test('announce to a telegram peer: sendMessage carries the answer, the run log says delivered', async () => {
		const job = await cron.add(announcing('morning', {mode: 'announce', channel: 'telegram', to: '4242'}));
		const entry = await runOnce(job);
		assert.equal(entry.status, 'ok');
		assert.equal(entry.deliveryStatus, 'delivered', JSON.stringify(entry));
		assert.equal(entry.delivered, true);
		assert.deepEqual(
			apis.telegram.sent.filter((message) => message.chat_id === 4242).map((message) => message.text),
			['news from morning'],
		);
	});

	test('a target the gateway cannot send to: the run is ok, the run log says not-delivered and why', async () => {
		const job = await cron.add(announcing('nowhere', {mode: 'announce', channel: 'last', to: 'discord:99'}));
		const entry = await runOnce(job);
		assert.equal(entry.status, 'ok');
		assert.equal(entry.deliveryStatus, 'not-delivered', JSON.stringify(entry));
		assert.equal(entry.delivered, false);
		assert.equal(entry.deliveryError, 'Discord bot token missing for account "default" (set channels.discord.botToken)');
	});
});
