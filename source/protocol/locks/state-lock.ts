// One gateway per state dir. The running gateway holds <stateDir>/gateway.lock (pid-lock.ts) for its whole life,
// across in-process restarts, and keeps <stateDir>/gateway.runtime.json up to date with where it listens. The CLI
// reads the record to find the profile's running gateway even when the config file now says another port.
import {randomBytes} from 'node:crypto';
import {readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {ownerGone, readLockOwner, releaseLock, tryLock, type LockOwner} from './pid-lock.js';
import {looksLikeGateway} from './process-identity.js';

export type RuntimeRecord = {
	pid: number;
	port: number;
	/** The address it is bound to (0.0.0.0 for lan). */
	host: string;
	bindMode: string;
	/** Where the port came from (cli, env, config, default): a pinned one does not follow config edits. */
	portSource: string;
	/** When this gateway process started serving (ISO); in-process restarts keep it. */
	startedAt: string;
	configPath: string;
	stateDir: string;
	version: string;
};

export function gatewayLockFile(stateDir: string): string {
	return path.join(stateDir, 'gateway.lock');
}

export function runtimeRecordFile(stateDir: string): string {
	return path.join(stateDir, 'gateway.runtime.json');
}

/** A gateway lock is held while its pid lives, is the process that took it, and is a gateway. */
function gatewayGone(owner: LockOwner): string | undefined {
	return ownerGone(owner) ?? (looksLikeGateway(owner.pid) ? undefined : `pid ${owner.pid} is not a gateway`);
}

function readRecord(stateDir: string): RuntimeRecord | undefined {
	try {
		return JSON.parse(readFileSync(runtimeRecordFile(stateDir), 'utf8')) as RuntimeRecord;
	} catch {
		return undefined;
	}
}

export class StateDirLock {
	private released = false;

	constructor(
		readonly stateDir: string,
		readonly owner: LockOwner,
	) {}

	/** Replace the runtime record atomically (temp file + rename), mode 0600. Sync: it is tiny and must not interleave. */
	writeRecord(record: RuntimeRecord): void {
		const file = runtimeRecordFile(this.stateDir);
		const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, {mode: 0o600, flag: 'wx'});
		try {
			renameSync(temp, file);
		} catch (error) {
			try {
				unlinkSync(temp);
			} catch {}

			throw error;
		}
	}

	/** Remove the record (if still ours) and the lock. Sync, so it can run from process.on('exit'). Idempotent. */
	release(): void {
		if (this.released) {
			return;
		}

		this.released = true;
		if (readRecord(this.stateDir)?.pid === process.pid) {
			try {
				unlinkSync(runtimeRecordFile(this.stateDir));
			} catch {}
		}

		releaseLock(gatewayLockFile(this.stateDir), this.owner);
	}
}

export type StateDirLockResult =
	| {ok: true; lock: StateDirLock; tookOver?: {pid: number; reason: string}}
	| {ok: false; message: string; holder: {pid: number; port?: number}};

/** Take the state dir for this process, or say (in the runbook's words) which gateway has it. */
export function lockStateDir(stateDir: string, listening: {port: number; host: string}): StateDirLockResult {
	const file = gatewayLockFile(stateDir);
	const attempt = tryLock(file, {port: listening.port, host: listening.host}, gatewayGone);
	if (attempt.ok) {
		const tookOver = attempt.tookOver ? {pid: attempt.tookOver.owner.pid, reason: attempt.tookOver.reason} : undefined;
		return {ok: true, lock: new StateDirLock(stateDir, attempt.owner), tookOver};
	}

	const {holder} = attempt;
	const record = readRecord(stateDir);
	const port = record?.pid === holder.pid ? record.port : typeof holder.port === 'number' ? holder.port : undefined;
	return {
		ok: false,
		holder: {pid: holder.pid, port},
		message:
			`another gateway (pid ${holder.pid}${port === undefined ? '' : `, port ${port}`}) is already running on state dir ${stateDir} (lock ${file}): ` +
			'stop it first (openclaw gateway stop, or Ctrl-C where it runs), or give this one its own state dir (--profile NAME or OPENCLAW_STATE_DIR)',
	};
}

/**
 * The runtime record of the gateway running on this state dir, if one is: the record's pid must be the live owner of
 * the lock. A record left by a crashed gateway, or one whose pid was reused, is not returned.
 */
export function liveRuntime(stateDir: string): RuntimeRecord | undefined {
	const record = readRecord(stateDir);
	if (!record || !Number.isInteger(record.pid) || !Number.isInteger(record.port)) {
		return undefined;
	}

	let owner: ReturnType<typeof readLockOwner>;
	try {
		owner = readLockOwner(gatewayLockFile(stateDir));
	} catch {
		return undefined;
	}

	if (!owner || owner === 'unreadable' || owner.pid !== record.pid || gatewayGone(owner) !== undefined) {
		return undefined;
	}

	return record;
}
