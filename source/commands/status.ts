// `openclaw status`: one screen (gateway, service, channels, agents, sessions) from one connection.
import {formatDuration} from '../cli-output/duration.js';
import {Output} from '../cli-output/output.js';
import {isRecord} from '../protocol/index.js';
import {formatChannelRow, readiness, rowsFromChannelsStatus, type ChannelRow} from './channel-lines.js';
import {describeFailure, withConfigHint, openSession, reportFailure} from './command-connect.js';
import {commandTarget, localPort, timeoutFlag} from './command-target.js';
import {runtimeFromStatus} from './gateway-status-report.js';
import {eventLoopLine, configErrorOf, reloadLine} from './health-report.js';
import type {CommandContext} from './registry.js';

function channelSummary(rows: ChannelRow[]): string {
	if (rows.length === 0) {
		return 'Channels: none configured';
	}

	const ready = rows.filter((row) => readiness(row.account) === 'ready').length;
	const failing = rows.filter((row) => readiness(row.account) === 'failing').length;
	return `Channels: ${rows.length} (${ready} ready${failing > 0 ? `, ${failing} failing` : ''})`;
}

type AgentRow = {id: string; name?: string; model?: string; isDefault: boolean};

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

type StatusFacts = {health: Record<string, unknown>; sessions?: Record<string, unknown>; configReload?: unknown; eventLoop?: unknown};

/**
 * The facts `status` reports, wherever the gateway keeps them. Ours nests its health snapshot in the `status` answer;
 * OpenClaw's `status` carries sessions and eventLoop at the top and leaves configReload to `health`. Each is taken
 * from the first place that has it, so both gateways fill the same fields.
 */
export function statusFacts(status: Record<string, unknown>, healthAnswer: unknown): StatusFacts {
	const health = isRecord(status.health) ? status.health : isRecord(healthAnswer) ? healthAnswer : {};
	const first = (key: string) => [status[key], health[key], isRecord(healthAnswer) ? healthAnswer[key] : undefined].find((value) => value !== undefined && value !== null);
	const sessions = first('sessions');
	return {health, sessions: isRecord(sessions) ? sessions : undefined, configReload: first('configReload'), eventLoop: first('eventLoop')};
}

export async function run(context: CommandContext): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context);
	const timeoutMs = timeoutFlag(context);
	const started = performance.now();
	let session: Awaited<ReturnType<typeof openSession>> | undefined;
	try {
		session = await openSession(target, {timeoutMs, scopes: ['operator.read']});
		const {client, hello} = session;
		const [status, channels, agentList, healthAnswer] = await Promise.allSettled([
			client.request('status', {}, {timeoutMs}),
			client.request('channels.status', {probe: false}, {timeoutMs}),
			client.request('agents.list', {}, {timeoutMs}),
			client.request('health', {}, {timeoutMs}),
		]);
		if (status.status === 'rejected') {
			throw status.reason;
		}

		const latencyMs = Math.round(performance.now() - started);
		const statusPayload = isRecord(status.value) ? status.value : {};
		const facts = statusFacts(statusPayload, healthAnswer.status === 'fulfilled' ? healthAnswer.value : undefined);
		const {health} = facts;
		const runtime = runtimeFromStatus(statusPayload, hello);
		const rows = channels.status === 'fulfilled' ? rowsFromChannelsStatus(channels.value) : rowsFromChannelsStatus(health);
		const agents = agentRows(agentList.status === 'fulfilled' ? agentList.value : undefined, health);
		const {sessions} = facts;
		if (output.json) {
			output.document({
				ok: true,
				gateway: {url: target.url, reachable: true, latencyMs, ...runtime},
				config: {path: target.paths.configPath, stateDir: target.paths.stateDir, ...(target.configError ? {error: target.configError.message} : {})},
				channels: rows.map((row) => ({id: row.id, label: row.label, readiness: readiness(row.account), ...row.account})),
				agents,
				sessions: sessions ?? null,
				configReload: facts.configReload ?? null,
				eventLoop: facts.eventLoop ?? null,
			});
			return 0;
		}

		const bits = [
			runtime.pid === undefined ? undefined : `pid ${runtime.pid}`,
			runtime.uptimeMs === undefined ? undefined : `up ${formatDuration(runtime.uptimeMs)}`,
			runtime.version ? `version ${runtime.version}` : undefined,
			runtime.bind ? `bind ${runtime.bind}` : undefined,
		].filter(Boolean);
		output.line(`Gateway: ${target.url} ${output.paint('ok', 'reachable')} (${latencyMs} ms)${bits.length > 0 ? `; ${bits.join(', ')}` : ''}`);
		output.line(`Config: ${target.paths.configPath}${target.configError ? ` (invalid locally: ${target.configError.message})` : ''}`);
		for (const line of [reloadLine(health), eventLoopLine(health)]) {
			if (line) {
				output.line(line);
			}
		}

		const configError = configErrorOf(health);
		if (configError) {
			output.line(output.paint('warn', `Config error: ${configError}`));
		}

		output.line(channelSummary(rows));
		for (const row of rows) {
			output.line(`  ${formatChannelRow(row)}`);
		}

		output.line(`Agents: ${agents.length > 0 ? agents.map(formatAgent).join(', ') : 'none'}`);
		if (sessions) {
			const recent = Array.isArray(sessions.recent) ? sessions.recent.length : 0;
			output.line(`Sessions: ${String(sessions.count ?? 0)}${recent > 0 ? ` (${recent} recent)` : ''}`);
		}

		return 0;
	} catch (error) {
		const failure = withConfigHint(describeFailure(error, target.url), target);
		if (output.json) {
			return reportFailure(output, failure, {gateway: {url: target.url, reachable: false}, config: {path: target.paths.configPath}});
		}

		output.line(`Gateway: ${target.url} ${output.paint('fail', 'not reachable')}`);
		output.line(`Config: ${target.paths.configPath}${target.config?.exists === false ? ' (not present)' : ''}`);
		if (target.urlSource === 'local') {
			output.line(`Port: ${localPort(context, target).port}`);
		}

		return reportFailure(output, failure);
	} finally {
		await session?.client.close();
	}
}
