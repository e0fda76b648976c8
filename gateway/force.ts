// `--force`: free a TCP port by finding the processes listening on it, SIGTERM, SIGKILL after a grace period,
// then wait until the port can be bound.
import {readFileSync} from 'node:fs';
import {findListeners, portBindable} from '../source/protocol/listeners.js';

const termGraceMs = 700;
const totalBudgetMs = 2000;
const bindWaitMs = 3000;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function commandOf(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ');
	} catch {
		return '?';
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(
	port: number,
	options: {log?: (line: string) => void} = {},
): Promise<{ok: true; killed: number[]} | {ok: false; error: string}> {
	const log = options.log ?? (() => {});
	const pids = findListeners(port).filter((pid) => pid !== process.pid);
	for (const pid of pids) {
		try {
			process.kill(pid, 'SIGTERM');
			log(`force: sent SIGTERM to pid ${pid} (${commandOf(pid)}) on port ${port}`);
		} catch (error) {
			return {ok: false, error: `cannot signal pid ${pid}: ${(error as Error).message}`};
		}
	}

	const started = Date.now();
	let escalated = false;
	while (pids.some(alive) && Date.now() - started < totalBudgetMs) {
		if (!escalated && Date.now() - started >= termGraceMs) {
			escalated = true;
			for (const pid of pids.filter(alive)) {
				try {
					process.kill(pid, 'SIGKILL');
					log(`force: escalated to SIGKILL for pid ${pid}`);
				} catch {}
			}
		}

		await sleep(50);
	}

	const waitStart = Date.now();
	while (!(await portBindable(port))) {
		if (Date.now() - waitStart > bindWaitMs) {
			return {ok: false, error: 'port is still in use after stopping its listeners'};
		}

		await sleep(100);
	}

	if (pids.length > 0) {
		log(`force: port ${port} is free (waited ${Date.now() - started}ms)`);
	}

	return {ok: true, killed: pids};
}
