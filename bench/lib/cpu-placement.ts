// CPU placement for latency benches on Linux. Two small servers answering a ping-pong client are timed at the mercy
// of the scheduler: whether a server wakes on the client's core or the other one moves its round trip by more than
// the work it does (here, a bare `ws` server's health round trip read 55 µs on one run and 122 µs on the next). Pinning
// every process to named cores (taskset) takes the placement out of the figure; the CPU time each server used
// (cpuTimeNs in process-figures.ts) is a second figure that no placement or neighbour load can move much.
import {execFileSync} from 'node:child_process';
import os from 'node:os';

/** Processes that can be pinned: taskset is there and the machine has a second core for the split layout. */
export function canPin(): boolean {
	if (process.platform !== 'linux' || os.availableParallelism() < 2) {
		return false;
	}

	try {
		execFileSync('taskset', ['-p', String(process.pid)], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

/** Moves every thread of `pid` onto `cpus` (a taskset list such as "0" or "0-1"). */
export function pin(pid: number, cpus: string): void {
	execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], {stdio: 'ignore'});
}
