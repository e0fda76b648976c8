// What a fleet row shows from a gateway's `health` answer (ours or a real OpenClaw's): channels ready/total, the
// session count, the reload mode and a config error. Only fields that are present count: a gateway that does not
// say how many sessions it has shows none, not zero.
import {isRecord} from '../protocol/index.js';
import {readiness, rowsFromHealth} from '../commands/channel-lines.js';
import {configErrorOf} from '../commands/health-report.js';

export type HealthSummary = {
	channels?: {ready: number; total: number};
	sessions?: number;
	reloadMode?: string;
	configError?: string;
};

export function summarizeHealth(payload: unknown): HealthSummary {
	if (!isRecord(payload)) {
		return {};
	}

	const summary: HealthSummary = {};
	if (isRecord(payload.channels)) {
		const rows = rowsFromHealth(payload).filter((row) => readiness(row.account) !== 'off');
		summary.channels = {ready: rows.filter((row) => readiness(row.account) === 'ready').length, total: rows.length};
	}

	const sessions = isRecord(payload.sessions) ? payload.sessions.count : undefined;
	if (typeof sessions === 'number' && Number.isFinite(sessions)) {
		summary.sessions = sessions;
	}

	const reload = isRecord(payload.configReload) ? payload.configReload : {};
	if (typeof reload.mode === 'string') {
		summary.reloadMode = reload.mode;
	}

	const configError = configErrorOf(payload);
	if (configError) {
		summary.configError = configError;
	}

	return summary;
}
