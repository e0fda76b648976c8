// Who a pid is: alive at all, the same process as when it was recorded (not a recycled pid), and a gateway. Shared
// by the gateway (its state dir lock) and the CLI (the service's pid file, the lifecycle lock).
import {readFileSync} from 'node:fs';

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * When the process started, in clock ticks since boot (/proc/<pid>/stat field 22): with the pid, it names one process
 * for the life of the host, so a lock or record whose pid was since reused is seen for what it is. Undefined off Linux.
 */
export function processStartTicks(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/**
 * On Linux, check what the process is too, so a pid reused by an unrelated process is not mistaken for the gateway.
 * The environment is the reliable mark (meow rewrites the process title, so the command line may read `openclaw`).
 */
export function looksLikeGateway(pid: number): boolean {
	if (!isAlive(pid)) {
		return false;
	}

	if (process.platform !== 'linux') {
		return true;
	}

	try {
		if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('OPENCLAW_SERVICE_KIND=gateway')) {
			return true;
		}
	} catch {}

	try {
		const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').map((arg) => arg.trim());
		return cmdline.includes('gateway') || cmdline[0] === 'openclaw' || cmdline.some((arg) => arg.endsWith('gateway/main.js'));
	} catch {
		return false;
	}
}
