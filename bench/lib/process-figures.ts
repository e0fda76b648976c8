// What the benches read about a process they started: its memory and CPU time from /proc, and the console's own
// pid under the tmux pane that runs it.
import {readdirSync, readFileSync} from 'node:fs';
import {execa} from 'execa';
import type {TmuxConsole} from '../../test/helpers/console-tmux.js';

/** `VmRSS` (resident now) or `VmHWM` (the peak) of `pid` in MiB; NaN once the process is gone. */
export function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
	try {
		const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

/** The clock ticks /proc/<pid>/stat counts in (USER_HZ, 100 on Linux). */
const clockTicks = 100;

/** CPU seconds `pid` has used so far, user and system (all its threads). */
export function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are at 11 and 12.
	return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/**
 * CPU time used so far by every thread of `pid`, in nanoseconds, from each thread's schedstat under /proc/<pid>/task
 * (finer than stat's ticks: the latency bench reads it around blocks of a few milliseconds).
 */
export function cpuTimeNs(pid: number): number {
	let total = 0;
	for (const task of readdirSync(`/proc/${pid}/task`)) {
		try {
			total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		} catch {
			// A thread that ended between the listing and the read used no more time.
		}
	}

	return total;
}

/** The console process tmux started in the pane (the pane's own pid is its shell's). */
export async function consolePid(term: TmuxConsole): Promise<number> {
	const pane = await term.panePid();
	for (let attempt = 0; attempt < 50; attempt++) {
		const result = await execa('pgrep', ['-P', String(pane)], {reject: false});
		const pid = Number(result.stdout.split('\n')[0]);
		if (pid > 0) {
			return pid;
		}

		await new Promise((resolve) => {
			setTimeout(resolve, 50);
		});
	}

	throw new Error('cannot find the console process under the tmux pane');
}
