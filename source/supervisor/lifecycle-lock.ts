// Lifecycle commands of one profile take turns: `openclaw gateway start|stop|restart|install|uninstall` hold
// <stateDir>/gateway.lifecycle.lock while they act, so four restarts at once run one after the other and leave one
// gateway, tracked, instead of racing for the port and the pid file. A holder that died leaves a stale lock, taken
// over by the next command (source/protocol/locks/pid-lock.ts).
import path from 'node:path';
import {tryLock, releaseLock, type LockOwner} from '../protocol/locks/pid-lock.js';
import {ServiceError} from './service.js';

export const lifecycleWaitMs = 120_000;
const pollMs = 100;

export function lifecycleLockFile(stateDir: string): string {
	return path.join(stateDir, 'gateway.lifecycle.lock');
}

export type LifecycleLockOptions = {
	/** How long to wait for another command before giving up (default 120 s: a stop + start takes up to ~25 s). */
	timeoutMs?: number;
	/**
	 * What the operator should hear, on stderr: once per holder `waiting for another openclaw gateway restart (pid
	 * 123)…`, and `took over a stale lifecycle lock (pid 123 is gone)` when a dead command's lock is taken over.
	 */
	onNotice?: (line: string) => void;
};

/** Run `act` while holding the profile's lifecycle lock, waiting for (and saying so) any other command holding it. */
export async function withLifecycleLock<T>(stateDir: string, command: string, act: () => Promise<T>, options: LifecycleLockOptions = {}): Promise<T> {
	const file = lifecycleLockFile(stateDir);
	const timeoutMs = options.timeoutMs ?? lifecycleWaitMs;
	const deadline = Date.now() + timeoutMs;
	let announced: string | undefined;
	let owner: LockOwner;
	for (;;) {
		const attempt = tryLock(file, {command});
		if (attempt.ok) {
			owner = attempt.owner;
			if (attempt.tookOver) {
				options.onNotice?.(`took over a stale lifecycle lock (${attempt.tookOver.reason}): ${file}`);
			}

			break;
		}

		const {holder} = attempt;
		const line = `waiting for another openclaw gateway ${typeof holder.command === 'string' ? holder.command : 'command'} (pid ${holder.pid})…`;
		if (line !== announced) {
			announced = line;
			options.onNotice?.(line);
		}

		if (Date.now() >= deadline) {
			throw new ServiceError(
				`another openclaw gateway ${String(holder.command ?? 'command')} (pid ${holder.pid}) still holds ${file} after ${Math.round(timeoutMs / 1000)} s: ` +
					`wait for it to finish, or if it hangs, stop it (kill ${holder.pid}) and try again`,
			);
		}

		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}

	// Ctrl-C or process.exit skip `finally`; a lock left behind would be stale (dead pid) and taken over, but say no more than needed.
	const release = () => releaseLock(file, owner);
	process.on('exit', release);
	try {
		return await act();
	} finally {
		release();
		process.off('exit', release);
	}
}
