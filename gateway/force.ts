// `--force`: free a TCP port by finding the processes listening on it, SIGTERM, SIGKILL after a grace period,
// then wait until the port can be bound.
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {createRequire} from 'node:module';
import net from 'node:net';

const termGraceMs = 700;
const totalBudgetMs = 2000;
const bindWaitMs = 3000;

/** Socket inodes of listening TCP sockets on `port`, from /proc/net/tcp{,6}. */
export function listeningInodes(port: number): Set<string> {
	const inodes = new Set<string>();
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}

		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10) {
				continue;
			}

			const localPort = Number.parseInt(fields[1].split(':')[1] ?? '', 16);
			if (localPort === port && fields[3] === '0A') {
				inodes.add(fields[9]);
			}
		}
	}

	return inodes;
}

/** Pids listening on `port`. Linux reads /proc; elsewhere asks lsof. */
export function findListeners(port: number): number[] {
	if (process.platform === 'linux') {
		const inodes = listeningInodes(port);
		if (inodes.size === 0) {
			return [];
		}

		const pids = new Set<number>();
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) {
				continue;
			}

			let fds: string[];
			try {
				fds = readdirSync(`/proc/${entry}/fd`);
			} catch {
				continue;
			}

			for (const fd of fds) {
				try {
					const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
					if (match && inodes.has(match[1])) {
						pids.add(Number(entry));
						break;
					}
				} catch {}
			}
		}

		return [...pids];
	}

	try {
		// child_process only here (no /proc, e.g. macOS): `gateway status` loads this module and seldom needs it.
		const {execFileSync} = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
		const output = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], {encoding: 'utf8'});
		return output.split('\n').filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

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

export function portBindable(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen({port, host, exclusive: true}, () => {
			probe.close(() => resolve(true));
		});
	});
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
