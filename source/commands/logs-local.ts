// `openclaw logs` (without --follow) when the local gateway is down: the same tail from its log file, read here through
// the gateway's own tail code (gateway/logs), so archives and rotation are read as `logs.tail` reads them. Only for
// the local gateway (a remote one's file is not on this machine), and said on stderr, so the operator knows the
// gateway itself did not answer. The file is redacted when written; reading it needs the same access as the state dir.
import {existsSync} from 'node:fs';
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
