// `openclaw status` as text: the one screen, plus what --deep (live channel probes, the health RPC) and --all
// (the local facts: version, service, config validity, state dir, log file, process) add. Pure: status.ts gathers.
import {formatDuration} from '../cli-output/duration.js';
import {notServed} from '../client/served-methods.js';
import {isRecord} from '../protocol/index.js';
import type {ServiceStatus} from '../supervisor/service.js';
import {formatChannelRow, readiness, type ChannelRow} from './channel-lines.js';
import {serviceLines, type RuntimeInfo} from './gateway-status-report.js';
import {configErrorOf, eventLoopLine, reloadLine} from './health-report.js';

export type AgentRow = {id: string; name?: string; model?: string; isDefault: boolean};

/** What only this machine knows (status --all): also printed when the gateway does not answer. */
export type LocalFacts = {
	cli: {version: string; node: string; platform: string; arch: string};
	service: ServiceStatus | {error: string};
	config: {path: string; exists: boolean; valid: boolean; error?: string};
	stateDir: string;
	/** The local gateway's log file; for a remote target, the file the gateway reported (or none). */
	logFile?: string;
};

export type StatusFacts = {
	url: string;
	latencyMs: number;
	runtime: RuntimeInfo;
	configPath: string;
	stateDir: string;
	/**
	 * How the target was chosen. For anything but the local gateway, the gateway's config lives on its own host: the
	 * local path is at most where this client's settings came from (`gateway.remote.url`), never the gateway's.
	 */
	urlSource: 'cli' | 'env' | 'remote-config' | 'local';
	/** The local config could not be read (so its token was not used). */
	localConfigError?: string;
	/** The health facts, from `status` (ours nests them) or the `health` answer (OpenClaw): see status.ts healthFacts. */
	health: Record<string, unknown>;
	status: Record<string, unknown>;
	rows: ChannelRow[];
	/** The rows carry live probe results (--deep). */
	probed: boolean;
	agents: AgentRow[];
	/** --deep: the `health` RPC, or why it failed. */
	deepHealth?: {ok: true; ms: number; payload: Record<string, unknown>} | {ok: false; error: string};
	local?: LocalFacts;
	/** The reads the gateway did not list in hello-ok, so not sent: each is said where its facts would show. */
	notServed: string[];
};

type Paint = (role: 'ok' | 'fail' | 'warn', text: string) => string;

/** Agents from `agents.list` (id, name, model) when the gateway has it, else from the health snapshot. */
export function agentRows(list: unknown, health: Record<string, unknown>): AgentRow[] {
	if (isRecord(list) && Array.isArray(list.agents)) {
		const defaultId = typeof list.defaultId === 'string' ? list.defaultId : 'main';
		return list.agents.filter(isRecord).map((agent) => ({
			id: String(agent.id ?? '?'),
			...(typeof agent.name === 'string' ? {name: agent.name} : {}),
			...(typeof agent.model === 'string' ? {model: agent.model} : {}),
			isDefault: agent.id === defaultId,
		}));
	}

	const agents = Array.isArray(health.agents) ? health.agents.filter(isRecord) : [];
	return agents.map((agent) => ({id: String(agent.agentId ?? '?'), isDefault: agent.isDefault === true}));
}

function formatAgent(agent: AgentRow): string {
	const bits = [agent.isDefault ? 'default' : undefined, agent.model ? `model ${agent.model}` : undefined].filter(Boolean);
	return `${agent.id}${agent.name ? ` "${agent.name}"` : ''}${bits.length > 0 ? ` (${bits.join(', ')})` : ''}`;
}

export function failingChannels(rows: ChannelRow[]): ChannelRow[] {
	return rows.filter((row) => readiness(row.account) === 'failing');
}

function channelSummary(rows: ChannelRow[], probed: boolean): string {
	if (rows.length === 0) {
		return 'Channels: none configured';
	}

	const ready = rows.filter((row) => readiness(row.account) === 'ready').length;
	const failing = failingChannels(rows).length;
	return `Channels: ${rows.length} (${ready} ready${failing > 0 ? `, ${failing} failing` : ''})${probed ? ', probed live' : ''}`;
}

const megabytes = (bytes: unknown) => (typeof bytes === 'number' ? `${Math.round(bytes / 1024 / 1024)} MB` : undefined);

/** `Process: rss 80 MB, heap 31 MB; 2 connections (1 authenticated)` from our gateway's `status` (or OpenClaw's). */
function processLine(status: Record<string, unknown>): string | undefined {
	const memory = isRecord(status.process) ? status.process : isRecord(status.processMemory) ? status.processMemory : undefined;
	const connections = isRecord(status.connections) ? status.connections : undefined;
	const bits = [
		memory && megabytes(memory.rssBytes) ? `rss ${megabytes(memory.rssBytes)}` : undefined,
		memory && megabytes(memory.heapUsedBytes) ? `heap ${megabytes(memory.heapUsedBytes)}` : undefined,
	].filter(Boolean);
	const conns = connections && typeof connections.total === 'number' ? `connections ${connections.total} (${String(connections.authenticated ?? '?')} authenticated)` : undefined;
	if (bits.length === 0 && !conns) {
		return undefined;
	}

	return `Process: ${[bits.join(', '), conns].filter(Boolean).join('; ')}`;
}

/** One line for the gateway's per-client budgets (failed auth, unauthenticated sockets): ok, or exhausted and why. */
export function budgetsLine(health: Record<string, unknown>, now = Date.now()): string | undefined {
	if (!isRecord(health.budgets) || Object.keys(health.budgets).length === 0) {
		return undefined;
	}

	const parts = Object.entries(health.budgets).map(([name, value]) => {
		const budget = isRecord(value) ? value : {};
		const total = typeof budget.refusedTotal === 'number' && budget.refusedTotal > 0 ? `, ${budget.refusedTotal} refused since start` : '';
		if (budget.exhausted !== true) {
			return `${name} ok${total}`;
		}

		const since = typeof budget.since === 'number' ? ` for ${formatDuration(Math.max(0, now - budget.since))}` : '';
		return `${name} exhausted${since} (${String(budget.refused ?? '?')} refused; ${String(budget.limit ?? 'no limit given')})`;
	});
	return `Budgets: ${parts.join('; ')}`;
}

export function localLines(local: LocalFacts, unserved: readonly string[] = []): {head: string[]; tail: string[]} {
	const {cli, config} = local;
	return {
		head: [`Version: openclaw ${cli.version} (Node ${cli.node}, ${cli.platform} ${cli.arch})`],
		tail: [
			...serviceLines(local.service),
			`Config file: ${config.exists ? (config.valid ? 'valid' : `invalid: ${config.error}`) : 'not present'}`,
			`State dir: ${local.stateDir}`,
			`Logs: ${local.logFile ?? (unserved.includes('logs.tail') ? notServed('logs.tail') : 'unknown (a remote gateway that did not say)')}`,
		],
	};
}

/** The Config line: the gateway's own file for the local gateway; for another one, what this client took from here. */
export function configLine(urlSource: StatusFacts['urlSource'], configPath: string, localConfigError?: string): string {
	const invalid = localConfigError ? ` (invalid locally: ${localConfigError})` : '';
	switch (urlSource) {
		case 'local':
			return `Config: ${configPath}${invalid}`;
		case 'remote-config':
			return `Config: on the gateway's host (this client's gateway.remote from ${configPath}${invalid})`;
		case 'cli':
		case 'env':
			return `Config: on the gateway's host (${urlSource === 'cli' ? '--url' : 'OPENCLAW_GATEWAY_URL'} target; ${configPath} is not its config)`;
	}
}

export function formatStatus(facts: StatusFacts, paint: Paint = (_r, t) => t): string[] {
	const {runtime, health, rows} = facts;
	const unserved = (method: string) => facts.notServed.includes(method);
	/** Where a read was not sent but something else (health, hello-ok) still gave facts: say where they came from. */
	const insteadOf = (method: string, from: string) => (unserved(method) ? ` (from ${from}; ${notServed(method)})` : '');
	const local = facts.local ? localLines(facts.local, facts.notServed) : {head: [], tail: []};
	const bits = [
		runtime.pid === undefined ? undefined : `pid ${runtime.pid}`,
		runtime.uptimeMs === undefined ? undefined : `up ${formatDuration(runtime.uptimeMs)}`,
		runtime.version ? `version ${runtime.version}` : undefined,
		runtime.bind ? `bind ${runtime.bind}` : undefined,
	].filter(Boolean);
	if (unserved('status')) {
		bits.push(notServed('status'));
	}

	const lines = [
		...local.head,
		`Gateway: ${facts.url} ${paint('ok', 'reachable')} (${facts.latencyMs} ms)${bits.length > 0 ? `; ${bits.join(', ')}` : ''}`,
		configLine(facts.urlSource, facts.configPath, facts.localConfigError),
		...local.tail,
	];
	for (const line of [reloadLine(health), eventLoopLine(health), facts.local ? processLine(facts.status) : undefined]) {
		if (line) {
			lines.push(line);
		}
	}

	const configError = configErrorOf(health);
	if (configError) {
		lines.push(paint('warn', `Config error: ${configError}`));
	}

	lines.push(unserved('channels.status') && rows.length === 0 ? `Channels: ${notServed('channels.status')}` : `${channelSummary(rows, facts.probed)}${insteadOf('channels.status', 'health')}`);
	for (const row of rows) {
		const line = `  ${formatChannelRow(row)}`;
		lines.push(readiness(row.account) === 'failing' ? paint('fail', line) : line);
	}

	lines.push(
		facts.agents.length > 0
			? `Agents: ${facts.agents.map(formatAgent).join(', ')}${insteadOf('agents.list', 'health')}`
			: `Agents: ${unserved('agents.list') ? notServed('agents.list') : 'none'}`,
	);
	const sessions = isRecord(health.sessions) ? health.sessions : undefined;
	if (sessions) {
		const recent = Array.isArray(sessions.recent) ? sessions.recent.length : 0;
		const where = facts.local && typeof sessions.path === 'string' ? `; ${sessions.path}` : '';
		lines.push(`Sessions: ${String(sessions.count ?? 0)}${recent > 0 ? ` (${recent} recent)` : ''}${where}`);
	}

	if (unserved('health')) {
		lines.push(`Health: ${facts.deepHealth ? paint('fail', notServed('health')) : notServed('health')}`);
	} else if (facts.deepHealth) {
		const deep = facts.deepHealth;
		if (deep.ok) {
			lines.push(`Health: ${deep.payload.ok === false ? paint('fail', 'NOT OK') : paint('ok', 'ok')} (${deep.ms} ms)`);
			const budgets = budgetsLine(deep.payload);
			if (budgets) {
				lines.push(budgets);
			}
		} else {
			lines.push(`Health: ${paint('fail', 'failed')}: ${deep.error}`);
		}
	}

	return lines;
}
