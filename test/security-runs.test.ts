// Runs as a memory and CPU lever (issue 18 item 5): the runner keeps results within a byte budget (not 1,000 runs of
// whatever came in), refuses input over the policy's size, and rates runs per client. On a real gateway: in process
// over real sockets, and as a child process whose heap is small enough that the old cache killed it.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {AgentRunner} from '../gateway/agents/runner.js';
import {runPolicy, RunRateLimiter} from '../gateway/agents/run-policy.js';
import {Logger} from '../gateway/logger.js';
import {authedSocket, freePort, startTestGateway, tempDir, testToken, type RawSocket} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig} from './helpers/gateway-process.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

describe('RunRateLimiter', () => {
	test('a burst, then one run per 1/perSecond; clients have their own buckets', () => {
		let now = 0;
		const limiter = new RunRateLimiter(() => ({burst: 3, perSecond: 2}), () => now);
		assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
		assert.equal(limiter.take('a'), 500);
		assert.equal(limiter.take('b'), 0, 'another client is unaffected');
		now += 500;
		assert.equal(limiter.take('a'), 0);
		assert.ok(limiter.take('a') > 0);
	});
});

describe('AgentRunner', () => {
	test(`finished runs keep at most ${runPolicy.retainedResultBytes} bytes of results; the oldest lose their text, not their status`, async () => {
		const runner = new AgentRunner(() => ({}), new Logger({level: 'silent'}), () => {});
		const message = 'word '.repeat(200_000); // 1 MB of text, 2 MB on the heap, echoed back
		const runs = [];
		for (let index = 0; index < 24; index++) {
			const {run} = runner.start({runId: `r${index}`, message});
			runs.push(run);
			await run.done;
		}

		assert.ok(runner.usage().retainedResultBytes <= runPolicy.retainedResultBytes, `${runner.usage().retainedResultBytes} bytes retained`);
		assert.ok(runner.usage().retainedResultBytes > 0);
		const first = runner.get('r0')!;
		assert.equal(first.outcome?.status, 'ok');
		assert.equal(first.outcome?.result.meta.resultDropped, true);
		assert.deepEqual(first.outcome?.result.payloads, []);
		assert.equal(runner.get('r23')!.outcome?.result.payloads[0].text, message, 'the newest result is whole');
		assert.equal(runner.start({runId: 'r0', message}).duplicate, true, 'a retry of a dropped run is still deduplicated');
	});
});

describe('in-flight input budget', () => {
	test(`runs in progress hold at most ${runPolicy.inFlightInputBytes} bytes of input together: past that, RUNS_BUSY`, async () => {
		// Started in one tick: no run has begun, let alone ended, when the next one asks.
		const runner = new AgentRunner(() => ({}), new Logger({level: 'silent'}), () => {});
		const message = 'x'.repeat(runPolicy.maxInputBytes);
		const fits = Math.floor(runPolicy.inFlightInputBytes / runPolicy.maxInputBytes);
		const started = [];
		for (let index = 0; index < fits; index++) {
			started.push(runner.start({runId: `held-${index}`, message}, `client-${index}`).run);
		}

		assert.throws(
			() => runner.start({runId: 'one-too-many', message}, 'another-client'),
			(error: any) => error.code === 'UNAVAILABLE' && error.details.code === 'RUNS_BUSY' && error.retryAfterMs > 0,
		);
		runner.abortAll('shutdown');
		await Promise.all(started.map(async (run) => run.done));
		assert.equal(runner.usage().inFlightInputBytes, 0, 'released when the runs end');
		assert.equal(runner.start({runId: 'after', message: 'small'}).duplicate, false);
	});
});

describe('on a real gateway', () => {
	async function gateway() {
		const config = {gateway: {http: {endpoints: {responses: {enabled: true}}}}};
		const gw = await startTestGateway({config: {path: '/dev/null', exists: true, raw: '', hash: 'h', config}});
		cleanups.push(async () => gw.stop());
		return gw;
	}

	async function agentRun(socket: RawSocket, message: string, key = `k-${Math.random().toString(36).slice(2)}`) {
		return socket.call('agent', {message, idempotencyKey: key}, key);
	}

	test(`an agent input over ${runPolicy.maxInputBytes} bytes is refused naming the limit; so is /v1/responses (413)`, async () => {
		const gw = await gateway();
		const socket = await authedSocket(gw.url, {scopes: ['operator.write']});
		const big = 'x'.repeat(runPolicy.maxInputBytes + 1);
		const res = await agentRun(socket, big);
		assert.equal(res.ok, false);
		assert.equal(res.error.code, 'INVALID_REQUEST');
		assert.equal(res.error.details.code, 'RUN_INPUT_TOO_LARGE');
		assert.match(res.error.message, new RegExp(`over the ${runPolicy.maxInputBytes}-byte limit`));
		socket.close();
		const status = await new Promise<number>((resolve, reject) => {
			const request = http.request(
				{host: '127.0.0.1', port: gw.port, path: '/v1/responses', method: 'POST', headers: {Authorization: `Bearer ${testToken}`, 'Content-Type': 'application/json'}},
				(response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				},
			);
			request.on('error', reject);
			request.end(JSON.stringify({model: 'openclaw', input: big}));
		});
		assert.equal(status, 413);
	});

	test('a run flood from one connection is limited (UNAVAILABLE with retryAfterMs) while another connection still runs', async () => {
		const gw = await gateway();
		const flooder = await authedSocket(gw.url, {scopes: ['operator.write']});
		const other = await authedSocket(gw.url, {scopes: ['operator.write']});
		const answers = await Promise.all(Array.from({length: runPolicy.burst + 10}, async (_item, index) => agentRun(flooder, `hello ${index}`)));
		const refused = answers.filter((answer) => !answer.ok);
		assert.ok(refused.length >= 5, `${refused.length} of ${answers.length} refused`);
		assert.equal(refused[0].error.code, 'UNAVAILABLE');
		assert.equal(refused[0].error.details.code, 'RUN_RATE_LIMITED');
		assert.ok(refused[0].error.retryAfterMs > 0);
		const res = await agentRun(other, 'still here');
		assert.equal(res.ok, true, JSON.stringify(res.error));
		flooder.close();
		other.close();
	});
});

describe('a gateway with a 128 MB heap', () => {
	test('100 runs of 1.9 MB each leave it alive and answering health (the old cache kept them all: 190 MB)', {timeout: 120_000}, async () => {
		const {dir, cleanup} = await tempDir('openclaw-security-runs-');
		cleanups.push(cleanup);
		const stateDir = path.join(dir, 'state');
		const configPath = path.join(stateDir, 'openclaw.json');
		const token = 'security-runs-token-59';
		await writeConfig(configPath, `{gateway: {mode: 'local', auth: {token: '${token}'}}, logging: {level: 'warn'}}`);
		const port = await freePort();
		const child = spawnGateway(
			['gateway', '--port', String(port)],
			isolatedEnv(dir, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath, NODE_OPTIONS: '--max-old-space-size=128'}),
		);
		cleanups.unshift(async () => {
			child.kill('SIGKILL');
			await child.exited;
		});
		await child.waitFor(/listening on/, 15_000);
		const message = 'word '.repeat(380_000);
		for (let index = 0; index < 100; index++) {
			// A fresh connection per run: the per-connection run budget is not what this test is about.
			const socket = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}, scopes: ['operator.write']});
			const id = `big-${index}`;
			socket.send({type: 'req', id, method: 'agent', params: {message, idempotencyKey: id}});
			// Two answers on one id: accepted, then the outcome.
			await socket.frame((frame) => frame.type === 'res' && frame.id === id && (frame.ok === false || frame.payload?.status !== 'accepted'), 60_000);
			const answers = socket.frames.filter((frame) => frame.type === 'res' && frame.id === id);
			socket.close();
			assert.equal(answers.at(-1).ok, true, `run ${index}: ${JSON.stringify(answers.at(-1).error)} ${child.output().slice(-500)}`);
		}

		const probe = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}});
		const health = await probe.call('health');
		assert.equal(health.ok, true);
		assert.ok(health.payload.agentRuns.retainedResultBytes <= runPolicy.retainedResultBytes, JSON.stringify(health.payload.agentRuns));
		assert.equal(health.payload.agentRuns.inFlightInputBytes, 0);
		const status = await probe.call('status');
		const rss = status.payload?.process?.rssBytes;
		probe.close();
		assert.ok(rss === undefined || rss < 400 * 1024 * 1024, `rss ${rss}`);
	});
});
