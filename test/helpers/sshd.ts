// A real, throwaway sshd on 127.0.0.1 for SSH tunnel tests: its own host key, a user key allowed in, a second key
// that is not, a pre-seeded known_hosts, everything in a temp dir. Needs Debian's openssh-server (`.ci/run` installs
// it; locally: apt-get install -y openssh-server).
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {execa, type ResultPromise} from 'execa';
import {freePort, tempDir} from './gateway.js';

export type TestSshd = {
	port: number;
	dir: string;
	user: string;
	/** user@127.0.0.1:port */
	target: string;
	/** A private key authorized_keys accepts, and one it does not. */
	identity: string;
	wrongIdentity: string;
	knownHostsFile: string;
	/** Options for SshTunnel that keep the developer's ~/.ssh out of the test. */
	tunnelOptions(): {target: string; identity: string; knownHostsFile: string; strictHostKeyChecking: 'yes'; configFile: string};
	/** sshd's own stderr so far (for failure messages). */
	log(): string;
	/** Kill the per-connection sshd processes: every tunnel through this server drops. */
	killSessions(): number;
	/** Stop the listener (existing sessions live on until killSessions). */
	stopListener(): Promise<void>;
	startListener(): Promise<void>;
	/** Stop everything and remove the temp dir. */
	stop(): Promise<void>;
};

const sshdPath = process.env.SSHD_PATH ?? '/usr/sbin/sshd';

async function keygen(file: string): Promise<void> {
	await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'openclaw-test', '-f', file], {stdin: 'ignore'});
}

function startTime(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** Every process below `pid` (through /proc's ppid field). */
function descendants(pid: number): number[] {
	const parents = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const list = parents.get(ppid) ?? [];
			list.push(Number(entry));
			parents.set(ppid, list);
		} catch {}
	}

	const out: number[] = [];
	const queue = [...(parents.get(pid) ?? [])];
	while (queue.length > 0 && out.length < 1000) {
		const next = queue.shift()!;
		out.push(next);
		queue.push(...(parents.get(next) ?? []));
	}

	return out;
}

export async function startTestSshd(): Promise<TestSshd> {
	if (!existsSync(sshdPath)) {
		throw new Error(`${sshdPath} is missing: install openssh-server (apt-get install -y openssh-server) to run the SSH tests`);
	}

	const temp = await tempDir('openclaw-sshd-');
	const dir = temp.dir;
	const user = os.userInfo().username;
	const port = await freePort();
	const hostKey = path.join(dir, 'host_ed25519');
	const identity = path.join(dir, 'id_ed25519');
	const wrongIdentity = path.join(dir, 'wrong_ed25519');
	await Promise.all([keygen(hostKey), keygen(identity), keygen(wrongIdentity)]);
	const authorizedKeys = path.join(dir, 'authorized_keys');
	await writeFile(authorizedKeys, await readFile(`${identity}.pub`), {mode: 0o600});
	const knownHostsFile = path.join(dir, 'known_hosts');
	const hostPublic = (await readFile(`${hostKey}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
	await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${hostPublic}\n`, {mode: 0o600});
	await chmod(dir, 0o700);
	const configFile = path.join(dir, 'sshd_config');
	await writeFile(
		configFile,
		[
			`Port ${port}`,
			'ListenAddress 127.0.0.1',
			`HostKey ${hostKey}`,
			`PidFile ${path.join(dir, 'sshd.pid')}`,
			`AuthorizedKeysFile ${authorizedKeys}`,
			'StrictModes no',
			'UsePAM no',
			'PubkeyAuthentication yes',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			// CI runs as root; keys only.
			'PermitRootLogin prohibit-password',
			'AllowTcpForwarding yes',
			'X11Forwarding no',
			'PrintMotd no',
			'MaxStartups 100',
			'LogLevel INFO',
			'',
		].join('\n'),
	);
	// The privilege separation directory sshd insists on (a container may not have it).
	await mkdir('/run/sshd', {recursive: true, mode: 0o755}).catch(() => {});

	let listener: ResultPromise | undefined;
	let log = '';
	// Sessions outlive a stopped listener; pid + start time so a recycled pid is never killed by mistake.
	const orphans = new Map<number, string | undefined>();

	const startListener = async () => {
		if (listener) {
			return;
		}

		const child = execa(sshdPath, ['-D', '-e', '-f', configFile], {stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: false, reject: false});
		listener = child;
		const reader = createInterface({input: child.stderr!});
		const ready = new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`sshd did not listen within 10 s:\n${log}`)), 10_000);
			reader.on('line', (line) => {
				log += `${line}\n`;
				if (line.includes(`Server listening on 127.0.0.1 port ${port}`)) {
					clearTimeout(timer);
					resolve();
				}
			});
			void child.then((result) => {
				clearTimeout(timer);
				reject(new Error(`sshd exited (${result.exitCode ?? result.signal}) before listening:\n${log}`));
			});
		});
		try {
			await ready;
		} catch (error) {
			listener = undefined;
			child.kill('SIGKILL');
			throw error;
		}
	};

	const killSessions = () => {
		if (!listener?.pid) {
			return 0;
		}

		let killed = 0;
		for (const pid of descendants(listener.pid)) {
			try {
				process.kill(pid, 'SIGKILL');
				killed++;
			} catch {}
		}

		return killed;
	};

	const stopListener = async () => {
		const child = listener;
		if (!child) {
			return;
		}

		if (child.pid) {
			for (const pid of descendants(child.pid)) {
				orphans.set(pid, startTime(pid));
			}
		}

		listener = undefined;
		// Wait for 'exit', not the execa promise: live sessions inherited sshd's stderr and keep it open.
		const exited = new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) {
				resolve();
				return;
			}

			child.once('exit', () => resolve());
		});
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
		await exited;
		clearTimeout(timer);
		child.catch(() => {});
	};

	await startListener();
	return {
		port,
		dir,
		user,
		target: `${user}@127.0.0.1:${port}`,
		identity,
		wrongIdentity,
		knownHostsFile,
		tunnelOptions: () => ({target: `${user}@127.0.0.1:${port}`, identity, knownHostsFile, strictHostKeyChecking: 'yes', configFile: '/dev/null'}),
		log: () => log,
		killSessions,
		stopListener,
		startListener,
		async stop() {
			killSessions();
			await stopListener();
			for (const [pid, started] of orphans) {
				if (started !== undefined && startTime(pid) === started) {
					try {
						process.kill(pid, 'SIGKILL');
					} catch {}
				}
			}

			await temp.cleanup();
		},
	};
}
