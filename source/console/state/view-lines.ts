// What each status pane says, as label/value/tone lines computed from the state. The panes only draw these, so
// the wording and every state-dependent decision is tested without a screen.
import {awaitedRestartGraceMs} from '../../client/backoff.js';
import {unknownKeysSummary} from '../../protocol/unknown-keys-summary.js';
import {channelsStale, type ChannelRow} from './channels.js';
import {isNotServed, notServed} from '../../client/served-methods.js';
import {describeConnection, type StatusLine} from './connection.js';
import type {ConsoleState} from './index.js';
import {describeProcess, formatLatency, formatUptime, uptimeMs} from './runtime.js';
import {describeSessions} from './sessions.js';
import {breakWords} from './break-words.js';
import {diagnosisLine, signature} from '../../protocol/signatures.js';

export type Tone = 'ok' | 'warn' | 'error' | 'muted' | 'info';
export type ViewLine = {label: string; value: string; tone?: Tone};

/** A wall-clock time of day (local), for facts that must not go stale on a screen that is not redrawn. */
export function clockTime(at: number): string {
	return new Date(at).toTimeString().slice(0, 8);
}

/**
 * An attached (or ssh) gateway the console cannot reach: what it last said is no longer known to be true, so the
 * pane shows the loss instead of a stale `running`, pid and probe. A local child has its supervisor to say.
 */
function unreachable(state: ConsoleState): ViewLine | undefined {
	const {runtime, connection, tunnel} = state;
	// A link that was up and is lost, refused, or never made (an attempt failed: "waiting for status" would be a wait
	// for nothing). A first connect still under way has nothing to say yet.
	const failedAttempt = connection.error !== undefined && (connection.status === 'reconnecting' || connection.status === 'closed');
	if (runtime.supervisor || connection.status === 'connected' || (connection.lostAt === undefined && connection.status !== 'auth-failed' && !failedAttempt)) {
		return undefined;
	}

	if (runtime.restart.phase === 'requested' || runtime.restart.phase === 'waiting') {
		return {label: 'gateway', value: 'restarting', tone: 'warn'};
	}

	const {announced} = runtime;
	// A restart the gateway announced (its `shutdown` event said restartExpectedMs) is awaited, not lost, until it is
	// well past what the gateway expected: a minute more, as the client's fast retries allow.
	if (announced?.restartExpectedMs !== undefined && state.now < announced.at + announced.restartExpectedMs + awaitedRestartGraceMs) {
		return {label: 'gateway', value: `restarting since ${clockTime(announced.at)} (${announced.reason})`, tone: 'warn'};
	}

	const why =
		tunnel && tunnel.status !== 'open'
			? `tunnel ${tunnel.status}`
			: connection.status === 'auth-failed'
				? 'auth failed'
				: announced
					? announced.restartExpectedMs === undefined
						? announced.reason
						: `announced restart at ${clockTime(announced.at)} did not come back`
					: connection.error === undefined
						? connection.status
						: headlineReason(connection.error);
	const since = connection.lostAt === undefined ? '' : ` since ${clockTime(connection.lostAt)}`;
	return {label: 'gateway', value: `unreachable${since} (${why})`, tone: 'error'};
}

/**
 * A failed connect's code (ECONNREFUSED), else its first clause, rather than its whole advice: the hint row under the
 * link carries that.
 */
function headlineReason(error: string): string {
	const code = /\((E[A-Z]{3,})\)/.exec(error)?.[1];
	if (code) {
		return code;
	}

	const clauseEnd = [error.indexOf(' ('), error.indexOf('. ')].filter((index) => index >= 10);
	return clauseEnd.length > 0 ? error.slice(0, Math.min(...clauseEnd)) : error;
}

/**
 * The key out of a lost gateway, named where the operator looks: `r` connects again now (through a tunnel opened
 * again now, when that is what is down) instead of waiting for the next retry or a tunnel that gave up. A refusal's
 * hint names it already; a restart still awaited needs none.
 */
function keyOut(state: ConsoleState, gone: ViewLine): ViewLine[] {
	const {connection, tunnel} = state;
	if (!state.ui.interactive || gone.tone !== 'error' || (connection.status === 'auth-failed' && !(tunnel && tunnel.status !== 'open'))) {
		return [];
	}

	return [{label: '', value: tunnel && tunnel.status !== 'open' ? 'r reopens the tunnel now' : 'r reconnects now', tone: 'info'}];
}

/** An ssh gateway's target, with the tunnel's local end while there is one (where another terminal can reach it too). */
function sshTarget({tunnel}: ConsoleState): string {
	return `ssh ${tunnel?.target ?? '?'}${tunnel?.localPort && tunnel.status === 'open' ? ` via 127.0.0.1:${tunnel.localPort}` : ''}`;
}

/** Uptime from the hello-ok snapshot, for gateways whose `status` does not carry it (OpenClaw's). */
function helloUptime(state: ConsoleState): number | undefined {
	const {helloUptimeMs, helloAt, status} = state.connection;
	// The clock may lag the hello's arrival (it only ticks when something counts): never count backwards.
	return status === 'connected' && helloUptimeMs !== undefined && helloAt !== undefined ? helloUptimeMs + Math.max(0, state.now - helloAt) : undefined;
}

/**
 * Where the gateway listens, from the best source there is: its own `status` (ours says bind, host and port), else
 * its config (OpenClaw's status does not say; config.get does), marked as such; never question marks.
 */
function bindText(state: ConsoleState, port: number | undefined): string {
	const {status, configured, supervisor} = state.runtime;
	if (status?.bind !== undefined && status.host !== undefined && port !== undefined) {
		return `${status.bind} ${status.host}:${port}`;
	}

	if (configured && (configured.bind !== undefined || configured.port !== undefined)) {
		const listen = [configured.bind ?? status?.bind, (configured.port ?? port) === undefined ? undefined : `port ${configured.port ?? port}`].filter(Boolean);
		return `${listen.join(', ')} (config)`;
	}

	if (port !== undefined) {
		return supervisor ? `127.0.0.1:${port}` : `port ${port}`;
	}

	return '-';
}

/**
 * The known failure signature seen, in a few words, with the key that applies its fix when the console can (a gateway
 * it started); the Logs pane has the whole sentence with the fix.
 */
export function diagnosisLines(state: ConsoleState): ViewLine[] {
	const {current} = state.diagnosis;
	if (!current) {
		return [];
	}

	return [{label: 'problem', value: diagnosisLine(signature(current.id), state.runtime.mode === 'local' && state.ui.interactive), tone: 'error'}];
}

/**
 * The link as the screen says it, in the header and the Runtime pane. A local gateway the operator stopped, or that
 * failed to start, has no link to wait for: the client's quiet retries go on (so `S` brings the link straight back),
 * but "reconnecting in 1 s" and "Gateway not reachable" would promise and warn of what the operator chose.
 */
export function describeLink(state: ConsoleState): StatusLine {
	const {runtime, connection, tunnel, now} = state;
	const supervised = runtime.mode === 'local' ? runtime.supervisor?.status : undefined;
	if ((supervised === 'stopped' || supervised === 'failed') && connection.status !== 'connected') {
		return {text: `none (gateway ${supervised})`, tone: 'muted'};
	}

	return describeConnection(connection, tunnel, now, runtime.mode, state.ui.interactive);
}

export function runtimeLines(state: ConsoleState): ViewLine[] {
	const {runtime, connection, now} = state;
	const gone = unreachable(state);
	if (gone) {
		const link = describeLink(state);
		return [
			gone,
			...diagnosisLines(state),
			{label: 'pid', value: '-'},
			{label: 'bind', value: '-'},
			{label: 'target', value: runtime.mode === 'ssh' ? sshTarget(state) : `attached ${connection.url ?? ''}`},
			{label: 'link', value: link.text, tone: link.tone},
			{label: 'probe', value: '-', tone: 'muted'},
			...statusTail(state, link),
			...keyOut(state, gone),
		];
	}

	const process = describeProcess(runtime, now);
	const pid = runtime.supervisor?.pid ?? runtime.status?.pid;
	const uptime = runtime.supervisor && runtime.supervisor.status !== 'running' ? undefined : (uptimeMs(runtime, now) ?? helloUptime(state));
	const status = runtime.status;
	const port = status?.port ?? runtime.supervisor?.port;
	const link = describeLink(state);
	const lines: ViewLine[] = [
		{label: 'gateway', value: process.text, tone: process.tone},
		...diagnosisLines(state),
		{
			label: 'pid',
			value: `${pid ?? '-'}${uptime === undefined ? '' : `   up ${formatUptime(uptime)}`}   v${status?.version ?? connection.serverVersion ?? '?'}`,
		},
		{label: 'bind', value: bindText(state, port)},
		{
			label: 'target',
			value:
				runtime.mode === 'local'
					? runtime.supervisor?.temporaryStateDir
						? // So another terminal can reach it: OPENCLAW_STATE_DIR=<dir> openclaw status finds gateway.token there.
							`local, state ${runtime.supervisor.temporaryStateDir}`
						: `local child, profile ${runtime.profile ?? 'default'}`
					: runtime.mode === 'ssh'
						? sshTarget(state)
						: `attached ${connection.url ?? ''}`,
		},
		{label: 'link', value: link.text, tone: link.tone},
	];
	const probe = runtime.probe;
	const shown = runtime.probeShownMs;
	// A success from before the link went down (a restart, a crash) says nothing of the gateway now: dated, muted.
	const staleOk = probe?.ok === true && connection.status !== 'connected';
	lines.push({
		label: 'probe',
		value: runtime.probing
			? 'probing...'
			: probe
				? staleOk
					? `last ok at ${clockTime(probe.at)}`
					: probe.ok
						? // No age: between frames it would go stale, and the poll's steady figure is what tells a change.
							`ok ${shown === undefined ? '' : formatLatency(shown)}`.trimEnd()
						: `failed: ${probe.error ?? 'no answer'} (since ${clockTime(runtime.probeFailingSince ?? probe.at)})`
				: '-',
		tone: runtime.probing || staleOk ? 'muted' : probe ? (probe.ok ? 'ok' : 'error') : 'muted',
	});
	if (runtime.lastCrash) {
		const {lastCrash} = runtime;
		lines.push({label: 'crashed', value: `${lastCrash.count}x, last ${lastCrash.text} at ${clockTime(lastCrash.at)}`, tone: 'warn'});
	}

	lines.push(...statusTail(state, link));
	if (runtime.supervisor?.status === 'stopped' && state.ui.interactive) {
		lines.push({label: '', value: 'S starts it', tone: 'info'});
	}

	// Last: what needs the operator (a crash, a restart, a hint) comes first in a short pane. Only over a live link:
	// a count read before the link was lost is not known to be true any more.
	const sessions = connection.status === 'connected' ? describeSessions(state.sessions, now) : undefined;
	if (sessions !== undefined) {
		lines.push({label: 'sessions', value: sessions});
	}

	return lines;
}

/** The restart progress and the hint that ends the Runtime pane, whether the gateway is reachable or not. */
function statusTail(state: ConsoleState, link: StatusLine): ViewLine[] {
	const {runtime, now} = state;
	const lines: ViewLine[] = [];
	const restart = runtime.restart;
	if (restart.phase !== 'idle' && restart.message) {
		const tone: Tone = restart.phase === 'done' ? 'ok' : restart.phase === 'failed' ? 'error' : 'warn';
		const elapsed =
			(restart.phase === 'requested' || restart.phase === 'waiting') && restart.startedAt ? ` (${Math.max(0, Math.round((now - restart.startedAt) / 1000))} s)` : '';
		// A finished one stays on screen: dated, so it is never read as news.
		const when = (restart.phase === 'done' || restart.phase === 'failed') && restart.finishedAt !== undefined ? ` at ${clockTime(restart.finishedAt)}` : '';
		lines.push({label: 'restart', value: `${restart.message}${elapsed}${when}`, tone});
	}

	const hint = link.hint ?? runtime.supervisor?.lastError ?? runtime.statusError;
	if (hint && (link.tone !== 'ok' || runtime.supervisor?.status !== 'running')) {
		for (const row of hint.split('\n')) {
			lines.push({label: '', value: row, tone: link.tone === 'ok' ? 'error' : link.tone});
		}
	}

	return lines;
}

function channelValue(row: ChannelRow): {text: string; tone: Tone} {
	if (row.enabled === false) {
		return {text: 'disabled', tone: 'muted'};
	}

	if (row.configured === false) {
		return {text: 'not configured', tone: 'muted'};
	}

	const parts = [row.connected ? 'connected' : row.running ? 'running' : 'down'];
	// One cause said once: a lastError that names the probe's error ("getUpdates failing, retrying: <it>") tells more.
	const probeCauseInLastError =
		row.probe?.ok === false && row.probe.error !== undefined && row.lastError !== row.probe.error && row.lastError?.includes(row.probe.error) === true;
	if (row.probe) {
		parts.push(
			row.probe.ok
				? `probe ok${row.probe.elapsedMs === undefined ? '' : ` ${formatLatency(row.probe.elapsedMs)}`}`
				: `probe FAIL${row.probe.error && !probeCauseInLastError ? ` ${row.probe.error}` : ''}`,
		);
	}

	if (row.lastError && !(row.probe && !row.probe.ok && row.probe.error === row.lastError)) {
		parts.push(row.lastError);
	}

	const bad = (row.probe && !row.probe.ok) || (!row.connected && !row.running);
	return {text: parts.join(' · '), tone: bad ? 'error' : row.connected ? 'ok' : 'warn'};
}

export function channelLines(state: ConsoleState, staleAfterMs: number): ViewLine[] {
	const {channels, now} = state;
	if (!channels.loaded) {
		if (channels.error && isNotServed(channels.error)) {
			return [{label: '', value: channels.error, tone: 'muted'}];
		}

		return [{label: '', value: channels.error ? `channels.status failed: ${channels.error}` : 'waiting for channels.status', tone: channels.error ? 'error' : 'muted'}];
	}

	const stale = channelsStale(channels, now, staleAfterMs);
	const lines: ViewLine[] = [];
	if (stale) {
		lines.push({label: 'STALE', value: `last answer ${channels.fetchedAt === undefined ? 'never' : `at ${clockTime(channels.fetchedAt)}`}${channels.error ? `: ${channels.error}` : ''}`, tone: 'warn'});
	}

	if (channels.rows.length === 0) {
		lines.push({label: '', value: 'no channels configured', tone: 'muted'});
	}

	for (const row of channels.rows) {
		const value = channelValue(row);
		const name = row.accountId === 'default' ? row.label : `${row.label}/${row.accountId}`;
		lines.push({label: `${stale ? '~' : ''}${name}`, value: value.text, tone: stale ? 'muted' : value.tone});
	}

	return lines;
}

export function reloadLines(state: ConsoleState): ViewLine[] {
	const {reload} = state;
	const lines: ViewLine[] = [
		{
			label: 'mode',
			value: reload.mode ? `${reload.mode}${reload.writing ? ` -> ${reload.writing} (writing)` : reload.awaiting ? ` -> ${reload.awaiting} (saved, applying)` : ''}` : '-',
			tone: reload.writing || reload.awaiting ? 'warn' : 'info',
		},
		{
			label: 'pending',
			value: reload.pendingPaths.length > 0 ? `restart needed: ${reload.pendingPaths.join(', ')}` : 'none',
			tone: reload.pendingPaths.length > 0 ? 'warn' : 'muted',
		},
	];
	const last = reload.last;
	lines.push({
		label: 'last',
		value: last ? `${last.result}${last.changedPaths.length > 0 ? ` ${last.changedPaths.join(', ')}` : ''} (at ${clockTime(last.at)})${last.error ? `: ${last.error}` : ''}` : '-',
		tone: last ? (last.result === 'error' ? 'error' : last.result === 'applied' ? 'ok' : 'warn') : 'muted',
	});
	if (reload.conflict) {
		lines.push({label: 'conflict', value: `${reload.error ?? 'config changed'}; reloaded it, press m again`, tone: 'error'});
	} else if (reload.error) {
		lines.push({label: 'error', value: reload.error, tone: 'error'});
	} else if (reload.notice) {
		lines.push({label: 'gateway', value: reload.notice, tone: 'warn'});
	}

	if (reload.writable === false) {
		lines.push({label: 'm', value: notServed('config.patch'), tone: 'muted'});
	} else if (reload.allowedModes) {
		lines.push({label: 'allowed', value: reload.allowedModes.join('/'), tone: 'muted'});
	}

	if (reload.configError) {
		lines.push({label: 'config', value: reload.configError, tone: 'error'});
	}

	if (reload.unknownKeys.length > 0 || reload.unknownKeysOmitted > 0) {
		// A few fit the pane's width; the count says how many more (the log and `openclaw doctor` name up to 20).
		lines.push({label: 'config', value: unknownKeysSummary(reload.unknownKeys, 3, reload.unknownKeysOmitted), tone: 'warn'});
	}

	if (reload.path) {
		lines.push({label: 'file', value: reload.path, tone: 'muted'});
	}

	return lines;
}

/**
 * Cut a `label value` line to `width` columns ourselves, with an ellipsis: Ink would do it too, but it keeps every
 * string it ever truncated in a cache that is never emptied, and these lines change every few seconds all day.
 */
export function fitLine(label: string, value: string, labelWidth: number, width: number): {label: string; value: string} {
	const paddedLabel = label.padEnd(labelWidth).slice(0, Math.max(0, width));
	const room = Math.max(0, width - paddedLabel.length);
	return {label: paddedLabel, value: value.length <= room ? value : room <= 1 ? value.slice(0, room) : `${value.slice(0, room - 1)}…`};
}

/** fitLines: which lines give way first when a pane is short. A placeholder (`-`) says nothing; a key out says the most. */
const keepRank: Record<Tone | 'plain', number> = {muted: 1, plain: 2, ok: 3, warn: 4, error: 5, info: 6};
/** A long value's rows past its first: worth more than a placeholder, less than any line of its own. */
const continuationRank = 0.5;
/** Narrower than this, a value broken into rows reads worse than one cut with an ellipsis. */
const minWrapWidth = 12;

/**
 * The rows a pane of `room` rows shows, in their order. When the lines do not all fit, the pane's headline (its first
 * line) stays and the others give way by what they tell the operator: placeholders first, then muted, plain, ok,
 * warn and error lines, each from the bottom up; key outs (the `info` lines: `r reconnects now`) last. Cutting from
 * the bottom, as the pane did, dropped the key out of a lost gateway in a 30-row terminal while showing `pid -`.
 * With `wrap` (the pane's inner width and label width), a value too long for its row goes on under itself on rows
 * that would otherwise be empty or spent on placeholders (a connect error's advice, a channel's probe failure); what
 * still does not fit is cut with an ellipsis by the row. Values break at spaces where they can. `hidden` counts the
 * lines dropped that said something (not placeholders, not continuation rows), for the pane's title.
 */
export function fitLines(lines: ViewLine[], room: number, wrap?: {rowWidth: number; labelWidth: number}): {lines: ViewLine[]; hidden: number} {
	const rank = (line: ViewLine, index: number) => (index === 0 ? Number.POSITIVE_INFINITY : line.value === '-' ? 0 : keepRank[line.tone ?? 'plain']);
	const valueWidth = (line: ViewLine) => (wrap ? wrap.rowWidth - Math.max(wrap.labelWidth, line.label.length) : 0);
	// Every row the lines could take: a line's own row, then its value's further rows when it is too long for one.
	const rows: Array<{line: number; row: number; rank: number}> = [];
	for (const [index, line] of lines.entries()) {
		rows.push({line: index, row: 0, rank: rank(line, index)});
		const width = valueWidth(line);
		if (width >= minWrapWidth && line.value.length > width) {
			const extra = breakWords(line.value, width, room).length - 1;
			for (let row = 1; row <= extra; row++) {
				rows.push({line: index, row, rank: continuationRank});
			}
		}
	}

	if (rows.length <= room && rows.length === lines.length) {
		return {lines, hidden: 0};
	}

	// Rows in the order they give way: lowest rank first, the lower of two rows of one rank first.
	const givesWay = [...rows].sort((a, b) => a.rank - b.rank || b.line - a.line || b.row - a.row);
	const dropped = new Set(givesWay.slice(0, Math.max(0, rows.length - Math.max(0, room))));
	// A line's further rows give way before its own (they rank below every line), so a kept line keeps its first rows.
	const rowsKept = new Map<number, number>();
	for (const entry of rows) {
		if (!dropped.has(entry)) {
			rowsKept.set(entry.line, (rowsKept.get(entry.line) ?? 0) + 1);
		}
	}

	const shown: ViewLine[] = [];
	let hidden = 0;
	for (const [index, line] of lines.entries()) {
		const count = rowsKept.get(index) ?? 0;
		if (count === 0) {
			hidden += line.value === '-' ? 0 : 1;
			continue;
		}

		const parts = count === 1 ? [line.value] : breakWords(line.value, valueWidth(line), count);
		shown.push(...parts.map((value, row) => ({...line, label: row === 0 ? line.label : '', value})));
	}

	return {lines: shown, hidden};
}
