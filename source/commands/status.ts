// `openclaw status`: one screen (gateway, channels, agents, sessions) from one connection. --deep also runs the
// channels' live probes (`channels.status {probe:true}`) and asks for `health`; --all adds what only this machine
// knows (version, service manager, config validity, state dir, log file) and implies --deep.
import os from 'node:os';
import {Output} from '../cli-output/output.js';
import {notServed, unservedOf} from '../client/served-methods.js';
import {isRecord} from '../protocol/index.js';
import type {GatewayTarget} from '../config/target-rules.js';
import {readiness, rowsFromChannelsStatus} from './channel-lines.js';
import {cliVersion, describeFailure, withConfigHint, openSession, reportFailure, type FailureKind, type Session} from './command-connect.js';
import {commandTarget, localPort, timeoutFlag} from './command-target.js';
import {runtimeFromStatus} from './gateway-status-report.js';
import {fullConfigError, localLogFile, serviceStatus} from './local-facts.js';
import type {statusFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';
import {agentRows, configLine, failingChannels, formatStatus, localLines, type LocalFacts, type StatusFacts} from './status-report.js';

async function gatherLocal(context: CommandContext<typeof statusFlags>, target: GatewayTarget): Promise<LocalFacts> {
	const [service, configError, logFile] = await Promise.all([
		serviceStatus(target, localPort(context, target).port, context.env),
		fullConfigError(target),
		localLogFile(target, context.env),
	]);
	return {
		cli: {version: cliVersion(), node: process.version, platform: os.platform(), arch: os.arch()},
		service,
		config: {path: target.paths.configPath, exists: target.config?.exists ?? true, valid: configError === undefined, ...(configError ? {error: configError} : {})},
		stateDir: target.paths.stateDir,
		logFile,
	};
}

/**
 * The gateway's reads, all on the one connection: the default three, the live probes and health with --deep. Each
 * only where the gateway lists it in hello-ok; `notServed` names the others (an unsent read answers undefined), and
 * status reports what it could read.
 */
async function gather(session: Session, options: {timeoutMs: number; deep: boolean; remoteLog: boolean}) {
	const {client} = session;
	const {timeoutMs, deep} = options;
	const unserved = unservedOf(client, ['status', 'channels.status', 'agents.list', 'health', ...(options.remoteLog ? ['logs.tail'] : [])]);
	const served = (method: string) => !unserved.includes(method);
	const healthStarted = performance.now();
	const [status, channels, agentList, health, logs] = await Promise.allSettled([
		served('status') ? client.request('status', {}, {timeoutMs}) : undefined,
		served('channels.status') ? client.request('channels.status', deep ? {probe: true, timeoutMs: Math.max(1000, timeoutMs - 500)} : {probe: false}, {timeoutMs}) : undefined,
		served('agents.list') ? client.request('agents.list', {}, {timeoutMs}) : undefined,
		// Always: OpenClaw's `status` leaves configReload (and its health snapshot) to `health`; --deep also times it.
		served('health') ? client.request('health', undefined, {timeoutMs}).then((payload) => ({payload, ms: Math.round(performance.now() - healthStarted)})) : undefined,
		// Only the file name: the gateway knows where it writes, even when it runs on another host.
		options.remoteLog && served('logs.tail') ? client.request('logs.tail', {limit: 1, maxBytes: 1024}, {timeoutMs}) : undefined,
	]);
	if (status.status === 'rejected') {
		throw status.reason;
	}

	return {status, channels, agentList, health, logs, notServed: unserved};
}

export async function run(context: CommandContext<typeof statusFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const all = context.flags.all === true;
	const deep = all || context.flags.deep === true;
	const target = await commandTarget(context);
	const timeoutMs = timeoutFlag(context);
	const started = performance.now();
	// The local facts load (service manager code, the full config check) while the gateway answers.
	const localFacts = all ? gatherLocal(context, target) : undefined;
	localFacts?.catch(() => {});
	let session: Session | undefined;
	try {
		session = await openSession(target, {timeoutMs, scopes: ['operator.read']});
		const answers = await gather(session, {timeoutMs, deep, remoteLog: all && target.urlSource !== 'local'});
		const latencyMs = Math.round(performance.now() - started);
		const statusPayload = isRecord(answers.status.value) ? answers.status.value : {};
		const health = healthFacts(statusPayload, answers.health.status === 'fulfilled' ? answers.health.value?.payload : undefined);
		const channelsRead = answers.channels.status === 'fulfilled' && !answers.notServed.includes('channels.status') ? answers.channels : undefined;
		const probed = deep && channelsRead !== undefined;
		const rows = channelsRead ? rowsFromChannelsStatus(channelsRead.value) : rowsFromChannelsStatus(health);
		const local = await localFacts;
		if (local && answers.logs.status === 'fulfilled' && isRecord(answers.logs.value) && typeof answers.logs.value.file === 'string') {
			local.logFile = answers.logs.value.file;
		}

		const deepHealth: StatusFacts['deepHealth'] = !deep
			? undefined
			: answers.notServed.includes('health')
				? {ok: false, error: notServed('health')}
				: answers.health.status === 'fulfilled' && answers.health.value
				? {ok: true, ms: answers.health.value.ms, payload: isRecord(answers.health.value.payload) ? answers.health.value.payload : {}}
				: {ok: false, error: describeFailure(answers.health.status === 'rejected' ? answers.health.reason : 'no answer', target.url).message};
		const facts: StatusFacts = {
			url: target.url,
			latencyMs,
			runtime: runtimeFromStatus(statusPayload, session.hello),
			configPath: target.paths.configPath,
			stateDir: target.paths.stateDir,
			urlSource: target.urlSource,
			localConfigError: target.configError?.message,
			health,
			status: statusPayload,
			rows,
			probed,
			agents: agentRows(answers.agentList.status === 'fulfilled' ? answers.agentList.value : undefined, health),
			deepHealth,
			local,
			notServed: answers.notServed,
		};
		// --deep is a check: a channel whose live probe failed, or a health that did not answer, fails it.
		const ok = !deep || (failingChannels(rows).length === 0 && deepHealth?.ok === true && deepHealth.payload.ok !== false);
		if (output.json) {
			output.document(statusDocument(facts, ok));
		} else {
			for (const line of formatStatus(facts, (role, text) => output.paint(role, text))) {
				output.line(line);
			}
		}

		return ok ? 0 : 1;
	} catch (error) {
		const failure = withConfigHint(describeFailure(error, target.url), target);
		const local = await localFacts;
		if (output.json) {
			return reportFailure(output, failure, {gateway: {url: target.url, reachable: answered(failure.kind)}, config: {path: target.paths.configPath}, ...(local ? {local} : {})});
		}

		if (local) {
			output.line(localLines(local).head[0]);
		}

		output.line(`Gateway: ${target.url} ${output.paint('fail', failureState(failure.kind))}`);
		output.line(target.urlSource === 'local' ? `Config: ${target.paths.configPath}${target.config?.exists === false ? ' (not present)' : ''}` : configLine(target.urlSource, target.paths.configPath));
		for (const line of local ? localLines(local).tail : []) {
			output.line(line);
		}

		if (target.urlSource === 'local') {
			output.line(`Port: ${localPort(context, target).port}`);
		}

		return reportFailure(output, failure);
	} finally {
		await session?.client.close();
	}
}

/**
 * The health facts `status` reports (sessions, configReload, eventLoop, channels), wherever the gateway keeps them:
 * ours nests its health snapshot in the `status` answer; OpenClaw's `status` does not (it has sessions and eventLoop
 * at its top) and the `health` answer carries them all. Each key is taken from the first place that has it.
 */
export function healthFacts(status: Record<string, unknown>, healthAnswer: unknown): Record<string, unknown> {
	const nested = isRecord(status.health) ? status.health : {};
	const answered = isRecord(healthAnswer) ? healthAnswer : {};
	const merged: Record<string, unknown> = {...answered, ...nested};
	for (const key of ['sessions', 'eventLoop', 'configReload']) {
		merged[key] = [nested[key], answered[key], status[key]].find((value) => value !== undefined && value !== null);
	}

	return merged;
}

/** Whether the gateway answered at all: one that refused the credentials or the protocol is reachable. */
function answered(kind: FailureKind): boolean {
	return kind === 'auth' || kind === 'protocol' || kind === 'rejected' || kind === 'rpc' || kind === 'not-served';
}

/** What the Gateway line says went wrong: "not reachable" only when nothing answered. */
function failureState(kind: FailureKind): string {
	switch (kind) {
		case 'auth':
			return 'reachable, but it refused the credentials';
		case 'protocol':
			return 'reachable, but it speaks another protocol';
		case 'rejected':
		case 'rpc':
			return 'reachable, but it refused the request';
		case 'not-served':
			return 'reachable, but it does not serve what was asked';
		case 'timeout':
			return 'did not answer in time';
		case 'unreachable':
		case 'closed':
			return 'not reachable';
	}
}

/** The --json document: the default keys as before; --deep and --all add theirs. */
function statusDocument(facts: StatusFacts, ok: boolean): Record<string, unknown> {
	const unread = (method: string, found: unknown[]) => facts.notServed.includes(method) && found.length === 0;
	const {health} = facts;
	return {
		ok,
		gateway: {url: facts.url, reachable: true, latencyMs: facts.latencyMs, ...facts.runtime},
		config: {path: facts.configPath, stateDir: facts.stateDir, gatewayConfig: facts.urlSource === 'local' ? 'local' : 'remote', ...(facts.localConfigError ? {error: facts.localConfigError} : {})},
		// null where the gateway does not serve the read and nothing else told (notServed names the method).
		channels: unread('channels.status', facts.rows) ? null : facts.rows.map((row) => ({id: row.id, label: row.label, readiness: readiness(row.account), ...row.account})),
		agents: unread('agents.list', facts.agents) ? null : facts.agents,
		sessions: health.sessions ?? null,
		configReload: health.configReload ?? null,
		eventLoop: health.eventLoop ?? null,
		...(facts.deepHealth
			? {
					channelsProbed: facts.probed,
					health: facts.deepHealth.ok ? {ok: facts.deepHealth.payload.ok !== false, ms: facts.deepHealth.ms, payload: facts.deepHealth.payload} : {ok: false, error: facts.deepHealth.error},
				}
			: {}),
		...(facts.local ? {local: facts.local, process: facts.status.process ?? facts.status.processMemory ?? null, connections: facts.status.connections ?? null} : {}),
		notServed: facts.notServed,
	};
}
