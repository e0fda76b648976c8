// When a job runs next: pure functions over a job's schedule, as OpenClaw's scheduler defines them.
// - `cron`: a 5- or 6-field cron expression (optionally in a time zone), read by croner. croner is what OpenClaw's
//   own scheduler uses, so an expression means the same on both gateways; it has no dependencies, is widely used and
//   maintained, and handles what a hand-written parser gets wrong (day-of-month OR day-of-week, DST gaps, L and #).
// - `every`: every `everyMs` from `anchorMs` (the job's creation time when not given), strictly after now.
// - `at`: once, at an ISO time; nothing after it has run.
import {Cron} from 'croner';
import type {CronSchedule} from '../../source/protocol/methods/cron.js';

export type {CronSchedule};

export class ScheduleError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ScheduleError';
	}
}

/** croner reads the expression when built and the time zone only when asked for a time: both errors land here. */
function nextCronRun(expr: string, tz: string | undefined, afterMs: number): number | undefined {
	try {
		return new Cron(expr, {paused: true, ...(tz ? {timezone: tz} : {})}).nextRun(new Date(afterMs))?.getTime();
	} catch (error) {
		throw new ScheduleError(`invalid cron expression "${expr}"${tz ? ` in ${tz}` : ''}: ${(error as Error).message}`);
	}
}

export function atTime(at: string): number {
	const ms = Date.parse(at);
	if (!Number.isFinite(ms)) {
		throw new ScheduleError(`invalid schedule.at "${at}": use an ISO time such as 2026-01-02T03:04:05Z`);
	}

	return ms;
}

/** Throws a ScheduleError naming what is wrong; used when a job is added or changed. */
export function validateSchedule(schedule: CronSchedule): void {
	if (schedule.kind === 'cron') {
		nextCronRun(schedule.expr, schedule.tz, Date.now());
	} else if (schedule.kind === 'at') {
		atTime(schedule.at);
	} else if (!(schedule.everyMs >= 1000)) {
		throw new ScheduleError(`schedule.everyMs ${schedule.everyMs} is under a second: use 1000 or more`);
	}
}

/**
 * The first run time strictly after `afterMs`, or undefined when there is none (a one-shot that has run, a cron
 * expression with no future match). `lastRunAtMs` tells a one-shot whether it already ran.
 */
export function nextRunAt(schedule: CronSchedule, afterMs: number, job: {createdAtMs: number; lastRunAtMs?: number}): number | undefined {
	switch (schedule.kind) {
		case 'cron': {
			const next = nextCronRun(schedule.expr, schedule.tz, afterMs);
			return next === undefined ? undefined : next + (schedule.staggerMs ?? 0);
		}

		case 'every': {
			const anchor = schedule.anchorMs ?? job.createdAtMs;
			if (afterMs < anchor) {
				return anchor;
			}

			const periods = Math.floor((afterMs - anchor) / schedule.everyMs) + 1;
			return anchor + periods * schedule.everyMs;
		}

		case 'at': {
			// Due (even if its time passed while the gateway was down) until it has run once.
			return job.lastRunAtMs === undefined ? atTime(schedule.at) : undefined;
		}
	}
}
