// Who listens on a TCP port, cheaply when we have a guess: Linux lists listening sockets (by inode) in
// /proc/net/tcp{,6}; checking the guessed pid's fds for those inodes avoids walking every process on the host.
import {readdirSync, readlinkSync} from 'node:fs';
import {findListeners, listeningInodes} from '../protocol/listeners.js';

function ownsAny(pid: number, inodes: Set<string>): boolean {
	try {
		for (const fd of readdirSync(`/proc/${pid}/fd`)) {
			try {
				const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
				if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) {
					return true;
				}
			} catch {}
		}
	} catch {}

	return false;
}

/** Pids listening on `port`; `likely` pids are checked first and, if one of them owns the socket, alone. */
export function portListeners(port: number, likely: readonly number[] = []): number[] {
	if (process.platform !== 'linux') {
		return findListeners(port);
	}

	const inodes = listeningInodes(port);
	if (inodes.size === 0) {
		return [];
	}

	const owners = likely.filter((pid) => ownsAny(pid, inodes));
	return owners.length > 0 ? owners : findListeners(port);
}
