// `openclaw health` as text: a few lines from the `health` payload (ours or a real OpenClaw's).
import {formatDuration} from '../cli-output/duration.js';
import {isRecord} from '../protocol/index.js';
import {formatChannelRow, rowsFromHealth} from './channel-lines.js';

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The config problem the gateway reports, wherever it puts it (reload state or a top-level field). */
export function configErrorOf(health: Record<string, unknown>): string | undefined {
	const reload = isRecord(health.configReload) ? health.configReload : {};
	const config = isRecord(health.config) ? health.config : {};
	const candidates = [reload.lastError, reload.error, reload.configError, health.configError, config.error];
	for (const candidate of candidates) {
		if (text(candidate)) {
			return candidate as string;
		}

		if (isRecord(candidate) && text(candidate.message)) {
			return candidate.message as string;
		}
	}

	return undefined;
}

export function reloadLine(health: Record<string, unknown>, now = Date.now()): string | undefined {
	if (!isRecord(health.configReload)) {
		return undefined;
	}

	const reload = health.configReload;
	const status = text(reload.hotReloadStatus) ?? text(reload.status) ?? 'unknown';
	const bits: string[] = [];
	if (text(reload.mode)) {
		bits.push(`mode ${reload.mode as string}`);
	}

	const pending = Array.isArray(reload.pendingPaths) ? reload.pendingPaths.filter((item) => typeof item === 'string') : [];
	if (pending.length > 0) {
		bits.push(`pending: ${pending.join(', ')}`);
	}

	if (isRecord(reload.lastReload) && num(reload.lastReload.ts) !== undefined) {
		const last = reload.lastReload;
		const what = `${text(last.result) ?? 'reloaded'}${last.restarted === true ? ' with restart' : ''}`;
		bits.push(`last ${what} ${formatDuration(Math.max(0, now - (last.ts as number)))} ago`);
	}

	return `Config reload: ${status}${bits.length > 0 ? ` (${bits.join('; ')})` : ''}`;
}

export function eventLoopLine(health: Record<string, unknown>): string | undefined {
	if (!isRecord(health.eventLoop)) {
		return undefined;
	}

	const loop = health.eventLoop;
	const p99 = num(loop.delayP99Ms);
	const max = num(loop.delayMaxMs);
	const figures = [p99 === undefined ? undefined : `p99 ${p99} ms`, max === undefined ? undefined : `max ${max} ms`].filter(Boolean).join(', ');
	const reasons = Array.isArray(loop.reasons) && loop.reasons.length > 0 ? `; ${loop.reasons.join(', ')}` : '';
	return `Event loop: ${loop.degraded === true ? 'degraded' : 'ok'}${figures ? ` (${figures}${reasons})` : ''}`;
}

export function formatHealth(payload: unknown, roundTripMs: number): string[] {
	const health = isRecord(payload) ? payload : {};
	const lines = [`Gateway Health: ${health.ok === false ? 'NOT OK' : 'OK'} (${roundTripMs} ms)`];
	const uptime = num(health.uptimeMs);
	if (uptime !== undefined) {
		lines.push(`Uptime: ${formatDuration(uptime)}`);
	}

	const rows = rowsFromHealth(health);
	if (rows.length === 0) {
		lines.push('Channels: none configured');
	} else {
		lines.push('Channels:', ...rows.map((row) => `  ${formatChannelRow(row)}`));
	}

	const reload = reloadLine(health);
	if (reload) {
		lines.push(reload);
	}

	const configError = configErrorOf(health);
	if (configError) {
		lines.push(`Config error: ${configError} (the gateway keeps running on the last good config; fix the file)`);
	}

	const loop = eventLoopLine(health);
	if (loop) {
		lines.push(loop);
	}

	if (Array.isArray(health.agents) && health.agents.length > 0) {
		const names = health.agents
			.filter(isRecord)
			.map((agent) => `${String(agent.agentId ?? '?')}${agent.isDefault === true ? ' (default)' : ''}`);
		lines.push(`Agents: ${names.join(', ')}`);
	}

	if (isRecord(health.sessions) && num(health.sessions.count) !== undefined) {
		lines.push(`Sessions: ${health.sessions.count as number}${text(health.sessions.path) ? ` (${health.sessions.path as string})` : ''}`);
	}

	return lines;
}
