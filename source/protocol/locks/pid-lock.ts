// A lock file owned by a process: taken by creating it exclusively, held while the owner lives, taken over when the
// owner is gone. Used for the state dir lock of a running gateway (state-lock.ts) and the CLI's lifecycle lock.
//
// Why our own and not a lock library: the well-kept ones (proper-lockfile, lockfile) judge staleness by mtime,
// which a holder must keep touching and which a suspended laptop or a slow disk gets wrong; what makes a gateway
// lock stale is that its pid is dead or is no longer a gateway, and no library asks that. Node has no flock(2).
//
// How it stays correct when several processes race:
// - Taking: the owner record is written to a private temp file, then link(2)ed to the lock path. link fails with
//   EEXIST if the lock exists and is atomic, so exactly one racer wins, and nobody ever reads a half-written lock.
// - Taking over: a racer that finds a stale lock renames it aside (atomic: of several racers, one moves it and the
//   others get ENOENT), checks that what it moved is the very lock it judged stale (by nonce), deletes it, and goes
//   back to taking. If it moved a fresh lock (someone else took over between its read and its rename) it links it
//   back before anyone else can have linked one of theirs in the microseconds since, in all but a three-way race on
//   one stale lock within those microseconds.
// - Releasing: only a lock whose nonce is ours is removed.
import {randomBytes} from 'node:crypto';
import {linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {isAlive, processStartTicks} from './process-identity.js';

export type LockOwner = {
	pid: number;
	/** Unique to one taking of the lock: tells this owner's lock from a later one of the same pid. */
	nonce: string;
	/** The owner's start time (process-identity.ts), so a recycled pid does not look like the owner. */
	procStart?: string;
	/** When it was taken (ISO). */
	since?: string;
	[field: string]: unknown;
};

/** Why an owner no longer holds its lock (`pid 123 is gone`), or undefined when it still does. */
export type StalenessCheck = (owner: LockOwner) => string | undefined;

export type LockAttempt =
	| {ok: true; owner: LockOwner; tookOver?: {owner: LockOwner; reason: string}}
	| {ok: false; holder: LockOwner};

/**
 * The owner recorded in a lock file; undefined when there is none, 'unreadable' when it holds no owner record (ours are
 * never half-written, so that is a foreign or damaged file). A file we may not read throws: that is not ours to take.
 */
export function readLockOwner(file: string): LockOwner | 'unreadable' | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}

	try {
		const owner = JSON.parse(text) as LockOwner;
		return Number.isInteger(owner?.pid) && owner.pid > 0 ? {...owner, nonce: String(owner.nonce ?? '')} : 'unreadable';
	} catch {
		return 'unreadable';
	}
}

/** The usual test: the owner's pid is alive and is the same process that took the lock. */
export function ownerGone(owner: LockOwner): string | undefined {
	if (!isAlive(owner.pid)) {
		return `pid ${owner.pid} is gone`;
	}

	const started = processStartTicks(owner.pid);
	if (owner.procStart !== undefined && started !== undefined && started !== owner.procStart) {
		return `pid ${owner.pid} is another process now`;
	}

	return undefined;
}

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException)?.code;
}

/** Take the lock now, or say who holds it. `fields` are recorded with the owner (what others show when refused). */
export function tryLock(file: string, fields: Record<string, unknown>, stale: StalenessCheck = ownerGone): LockAttempt {
	const nonce = randomBytes(8).toString('hex');
	const owner: LockOwner = {...fields, pid: process.pid, nonce, procStart: processStartTicks(process.pid), since: new Date().toISOString()};
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const temp = `${file}.${process.pid}.${nonce}.tmp`;
	writeFileSync(temp, `${JSON.stringify(owner)}\n`, {mode: 0o600, flag: 'wx'});
	let tookOver: {owner: LockOwner; reason: string} | undefined;
	try {
		for (let attempt = 0; attempt < 20; attempt++) {
			try {
				linkSync(temp, file);
				return {ok: true, owner, tookOver};
			} catch (error) {
				if (errorCode(error) !== 'EEXIST') {
					throw error;
				}
			}

			const holder = readLockOwner(file);
			if (holder === undefined) {
				continue;
			}

			const reason = holder === 'unreadable' ? 'the lock file is unreadable' : stale(holder);
			if (reason === undefined) {
				return {ok: false, holder: holder as LockOwner};
			}

			const aside = `${file}.stale.${process.pid}.${nonce}`;
			try {
				renameSync(file, aside);
			} catch (error) {
				if (errorCode(error) === 'ENOENT') {
					continue;
				}

				throw error;
			}

			const moved = readLockOwner(aside);
			const sameLock = holder === 'unreadable' ? moved === 'unreadable' : moved !== 'unreadable' && moved?.nonce === holder.nonce && moved.pid === holder.pid;
			if (!sameLock) {
				try {
					linkSync(aside, file);
				} catch {}
			} else if (holder !== 'unreadable') {
				tookOver = {owner: holder, reason};
			}

			try {
				unlinkSync(aside);
			} catch {}
		}

		throw new Error(`could not take the lock ${file}: it keeps changing hands`);
	} finally {
		try {
			unlinkSync(temp);
		} catch {}
	}
}

/** Remove the lock if it is still this owner's (a lock taken over meanwhile is left to its new owner). */
export function releaseLock(file: string, owner: LockOwner): void {
	let current: ReturnType<typeof readLockOwner>;
	try {
		current = readLockOwner(file);
	} catch {
		return;
	}

	if (current && current !== 'unreadable' && current.nonce === owner.nonce && current.pid === owner.pid) {
		try {
			unlinkSync(file);
		} catch {}
	}
}
