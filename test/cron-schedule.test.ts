// When cron jobs run next (gateway/cron/schedule.ts): the three schedule kinds OpenClaw's CLI creates, checked
// against times OpenClaw's own gateway computed for the same schedules.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {nextRunAt, ScheduleError, validateSchedule} from '../gateway/cron/schedule.js';

const job = {createdAtMs: 1_795_922_782_912};

describe('cron schedules: next run', () => {
	test('a cron expression runs at its next match, as OpenClaw computed it (*/5 after 03:26:18Z -> 03:30:00Z)', () => {
		assert.equal(nextRunAt({kind: 'cron', expr: '*/5 * * * *'}, 1_795_922_778_337, job), 1_795_923_000_000);
	});

	test('the next match is strictly after now, and a time zone moves it', () => {
		const at = Date.parse('2026-03-01T03:00:00Z');
		assert.equal(nextRunAt({kind: 'cron', expr: '0 3 * * *'}, at, job), Date.parse('2026-03-02T03:00:00Z'));
		assert.equal(nextRunAt({kind: 'cron', expr: '0 3 * * *', tz: 'Europe/Berlin'}, at, job), Date.parse('2026-03-02T02:00:00Z'));
	});

	test('six fields take seconds', () => {
		assert.equal(nextRunAt({kind: 'cron', expr: '*/10 * * * * *'}, Date.parse('2026-03-01T00:00:01Z'), job), Date.parse('2026-03-01T00:00:10Z'));
	});

	test('an interval keeps the phase of its anchor (the job creation time when not given)', () => {
		const every = {kind: 'every', everyMs: 600_000} as const;
		assert.equal(nextRunAt(every, job.createdAtMs, job), job.createdAtMs + 600_000);
		assert.equal(nextRunAt(every, job.createdAtMs + 600_000 * 3 + 5, job), job.createdAtMs + 600_000 * 4);
		assert.equal(nextRunAt({...every, anchorMs: 1000}, 500, job), 1000);
	});

	test('a one-shot is due at its time until it has run, then never again', () => {
		const once = {kind: 'at', at: '2030-01-01T00:00:00Z'} as const;
		assert.equal(nextRunAt(once, Date.now(), job), 1_893_456_000_000);
		assert.equal(nextRunAt(once, 1_893_456_000_001, job), 1_893_456_000_000, 'still due after its time if it never ran (the gateway was down)');
		assert.equal(nextRunAt(once, Date.now(), {...job, lastRunAtMs: Date.now()}), undefined);
	});

	test('bad schedules are refused with what is wrong', () => {
		assert.throws(() => validateSchedule({kind: 'cron', expr: 'every day'}), (error: Error) => error instanceof ScheduleError && /invalid cron expression "every day"/.test(error.message));
		assert.throws(() => validateSchedule({kind: 'cron', expr: '0 3 * * *', tz: 'Mars/Olympus'}), ScheduleError);
		assert.throws(() => validateSchedule({kind: 'at', at: 'tomorrow-ish'}), /use an ISO time/);
		assert.throws(() => validateSchedule({kind: 'every', everyMs: 10}), /under a second/);
		validateSchedule({kind: 'cron', expr: '0 3 * * 1-5'});
	});
});
