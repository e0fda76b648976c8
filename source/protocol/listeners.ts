// Which processes listen on a TCP port: the gateway's `--force` frees a port with it, and the CLI's service and
// doctor commands name the owner of a busy port. Linux reads /proc; elsewhere it asks lsof.
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {createRequire} from 'node:module';
import net from 'node:net';

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

/** Whether `port` can be bound on `host` right now (exclusively, so a listener of another process counts). */
export function portBindable(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen({port, host, exclusive: true}, () => {
			probe.close(() => resolve(true));
		});
	});
}
