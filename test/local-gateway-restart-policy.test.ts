// The restart schedule and the crash-loop rule, without processes.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {classifyExit, defaultRestartPolicy, planAfterCrash, resolveRestartPolicy} from '../source/supervisor/restart-policy.js';

const policy = resolveRestartPolicy({maxRestarts: 3, windowMs: 10_000, backoff: {initialMs: 100, maxMs: 1000, factor: 2}});

describe('restart policy', () => {
	test('defaults: 5 restarts per minute, 0.5 s doubling to 15 s, no jitter', () => {
		assert.equal(defaultRestartPolicy.maxRestarts, 5);
		assert.equal(defaultRestartPolicy.windowMs, 60_000);
		assert.deepEqual(defaultRestartPolicy.backoff, {initialMs: 500, maxMs: 15_000, factor: 2, jitter: 0});
		assert.equal(resolveRestartPolicy({backoff: {initialMs: 10}}).backoff.maxMs, 15_000, 'partial backoff keeps the other defaults');
	});

	test('a signal or a non-zero code is a crash; 0 is a clean stop; 2 and 78 are permanent', () => {
		assert.equal(classifyExit({signal: 'SIGKILL'}), 'crash');
		assert.equal(classifyExit({exitCode: 1}), 'crash');
		assert.equal(classifyExit({exitCode: 0}), 'clean');
		assert.equal(classifyExit({exitCode: 78}), 'permanent');
		assert.equal(classifyExit({exitCode: 2}), 'permanent');
		assert.equal(classifyExit({}), 'crash');
	});

	test('delays grow exponentially per crash within the window and are capped', () => {
		let crashTimes: number[] = [];
		const delays: number[] = [];
		for (let index = 0; index < 3; index++) {
			const plan = planAfterCrash({exit: {signal: 'SIGKILL'}, crashTimes, now: 1000 + index, policy: {...policy, maxRestarts: 10}});
			assert.equal(plan.action, 'restart');
			if (plan.action === 'restart') {
				assert.equal(plan.attempt, index + 1);
				delays.push(plan.delayMs);
				crashTimes = plan.crashTimes;
			}
		}

		assert.deepEqual(delays, [100, 200, 400]);
		const capped = planAfterCrash({exit: {exitCode: 1}, crashTimes: [1, 2, 3, 4, 5, 6], now: 10, policy: {...policy, maxRestarts: 10}});
		assert.equal(capped.action === 'restart' && capped.delayMs, 1000);
	});

	test('more than maxRestarts crashes within the window gives up, quoting the last error', () => {
		const plan = planAfterCrash({
			exit: {exitCode: 1},
			crashTimes: [100, 200, 300],
			now: 400,
			policy,
			lastErrorLine: 'Gateway failed to start: port busy',
		});
		assert.equal(plan.action, 'give-up');
		assert.match(plan.action === 'give-up' ? plan.reason : '', /crashed 4 times within 10 s \(last: exited with code 1\); stopped restarting.*Last error: Gateway failed to start: port busy/);
	});

	test('crashes older than the window are forgotten, so a rare crash restarts quickly', () => {
		const plan = planAfterCrash({exit: {signal: 'SIGKILL'}, crashTimes: [0, 1, 2], now: 60_000, policy});
		assert.equal(plan.action, 'restart');
		assert.deepEqual(plan.crashTimes, [60_000]);
		assert.equal(plan.action === 'restart' && plan.delayMs, 100);
	});

	test('a configuration error (78) is not retried', () => {
		const plan = planAfterCrash({exit: {exitCode: 78}, crashTimes: [], now: 0, policy, lastErrorLine: 'Gateway failed to start: Missing config'});
		assert.equal(plan.action, 'give-up');
		assert.match(plan.action === 'give-up' ? plan.reason : '', /exited with code 78 \(configuration error\); not restarting.*Missing config/);
	});

	test('jitter spreads the delay within its band', () => {
		const jittery = resolveRestartPolicy({backoff: {initialMs: 1000, jitter: 0.5}});
		const low = planAfterCrash({exit: {exitCode: 1}, crashTimes: [], now: 0, policy: jittery, random: 0});
		const high = planAfterCrash({exit: {exitCode: 1}, crashTimes: [], now: 0, policy: jittery, random: 0.999});
		assert.equal(low.action === 'restart' && low.delayMs, 500);
		assert.equal(high.action === 'restart' && high.delayMs, 1000);
	});
});
