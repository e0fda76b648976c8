// `openclaw logs` (without --follow) when the local gateway is down: the same tail from its log file, read here through
// the gateway's own tail code (gateway/logs), so archives and rotation are read as `logs.tail` reads them. Only for
// the local gateway (a remote one's file is not on this machine), and said on stderr, so the operator knows the
// gateway itself did not answer. The file is redacted when written; reading it needs the same access as the state dir.
// doctorLog picks, for `openclaw doctor`, between that file and the one OpenClaw's own gateway writes.
import {closeSync, existsSync, fstatSync, openSync, readSync, statSync} from 'node:fs';
import os from 'node:os';
import type {Env} from '../protocol/config/paths.js';
import type {LogsTailResult} from '../protocol/index.js';
import type {GatewayTarget} from '../config/target-rules.js';

export type LocalLogReader = {file: string; tail(params: {limit: number; maxBytes: number}): LogsTailResult};

/** The local gateway's log stream, or undefined when there is none to read (remote target, no file). */
export async function localLogReader(target: GatewayTarget): Promise<LocalLogReader | undefined> {
	if (target.urlSource !== 'local') {
		return undefined;
	}

	const [{logFilePath, resolveLogDir}, {segmentsOnDisk}, {tailLog}] = await Promise.all([
		import('../protocol/logs/location.js'),
		import('../protocol/logs/segments.js'),
		import('../protocol/logs/tail.js'),
	]);
	// The same confined file the gateway writes: logging.file only names a file in the start-up log directory.
	const file = logFilePath(resolveLogDir(target.paths.stateDir), target.config?.config ?? {});
	if (!existsSync(file)) {
		return undefined;
	}

	return {file, tail: (params) => tailLog(file, segmentsOnDisk(file), params)};
}

/** The last `maxBytes` of a file as whole lines (the first, cut, line dropped), the last `limit` of them. */
function tailLines(file: string, params: {limit: number; maxBytes: number}): string[] {
	const fd = openSync(file, 'r');
	try {
		const {size} = fstatSync(fd);
		const start = Math.max(0, size - params.maxBytes);
		const buffer = Buffer.alloc(size - start);
		const read = readSync(fd, buffer, 0, buffer.length, start);
		const lines = buffer.subarray(0, read).toString('utf8').split('\n');
		return lines.slice(start > 0 ? 1 : 0).filter((line) => line.trim() !== '').slice(-params.limit);
	} finally {
		closeSync(fd);
	}
}

function modifiedMs(file: string): number | undefined {
	try {
		const stats = statSync(file);
		return stats.isFile() ? stats.mtimeMs : undefined;
	} catch {
		return undefined;
	}
}

export type DoctorLog = {file: string; lines: string[]; writer: 'ours' | 'openclaw'};

/**
 * The log doctor reads for a local gateway: ours (<stateDir>/logs) or the one OpenClaw's own gateway writes for this
 * profile (its logging.file, else /tmp/openclaw/openclaw[-<profile>]-<date>.log unless OPENCLAW_STATE_DIR picks the
 * state dir), whichever was written last: the profile may be run by either, and the newest file is the one of the
 * gateway that ran last.
 */
export async function doctorLog(target: GatewayTarget, env: Env, limits: {limit: number; maxBytes: number}, now = new Date()): Promise<DoctorLog | undefined> {
	const ours = await localLogReader(target);
	const {openClawLogFiles} = await import('../protocol/logs/openclaw-log-file.js');
	const configured = (target.config?.config as {logging?: {file?: unknown}} | undefined)?.logging?.file;
	const candidates = openClawLogFiles({
		configured: typeof configured === 'string' ? configured : undefined,
		profile: target.paths.profile,
		stateDirFromEnv: target.paths.stateDirSource === 'env',
		env,
		now,
		tmpdir: os.tmpdir(),
		uid: process.getuid?.(),
	})
		.filter((file) => file !== ours?.file)
		.map((file) => ({file, at: modifiedMs(file)}))
		.filter((candidate): candidate is {file: string; at: number} => candidate.at !== undefined)
		.sort((a, b) => b.at - a.at);
	const theirs = candidates[0];
	if (theirs && (!ours || theirs.at > (modifiedMs(ours.file) ?? 0))) {
		return {file: theirs.file, lines: tailLines(theirs.file, limits), writer: 'openclaw'};
	}

	return ours ? {file: ours.file, lines: ours.tail(limits).lines, writer: 'ours'} : undefined;
}
