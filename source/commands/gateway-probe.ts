// `openclaw gateway probe`: one connection made as OpenClaw's status probe makes it (client mode `probe`, protocol
// 3..4, then `health`), reported as reachable / auth / version / latency. Exit 0 only when the gateway answered,
// accepted the credentials and answered health; the reason otherwise.
import {Output} from '../cli-output/output.js';
import {isRecord, MIN_PROBE_PROTOCOL_VERSION, PROTOCOL_VERSION} from '../protocol/index.js';
import {describeFailure, openSession, requireServed, withConfigHint, type Session} from './command-connect.js';
import {commandTarget, timeoutFlag} from './command-target.js';
import {formatProbeReport, probeFailed, type ProbeReport} from './gateway-probe-report.js';
import type {connectionFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

async function probe(target: Awaited<ReturnType<typeof commandTarget>>, timeoutMs: number): Promise<ProbeReport> {
	const started = performance.now();
	let session: Session | undefined;
	try {
		session = await openSession(target, {
			timeoutMs,
			clientMode: 'probe',
			scopes: ['operator.read'],
			protocol: {min: MIN_PROBE_PROTOCOL_VERSION, max: PROTOCOL_VERSION},
		});
	} catch (error) {
		return probeFailed(target.url, target.urlSource, withConfigHint(describeFailure(error, target.url), target));
	}

	const {hello, connectMs} = session;
	const answered: ProbeReport = {
		ok: false,
		url: target.url,
		urlSource: target.urlSource,
		reachable: true,
		connectMs,
		version: hello.server?.version,
		protocol: hello.protocol,
		auth: {status: 'ok', method: hello.auth?.method, role: hello.auth?.role, scopes: hello.auth?.scopes},
	};
	try {
		requireServed(session, 'health');
		const healthStarted = performance.now();
		const payload = await session.client.request('health', undefined, {timeoutMs});
		const healthOk = !(isRecord(payload) && payload.ok === false);
		return {
			...answered,
			ok: healthOk,
			healthMs: Math.round(performance.now() - healthStarted),
			latencyMs: Math.round(performance.now() - started),
			health: {ok: healthOk},
		};
	} catch (error) {
		return {...answered, error: describeFailure(error, target.url)};
	} finally {
		await session.client.close();
	}
}

export async function run(context: CommandContext<typeof connectionFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context, 'client');
	const report = await probe(target, timeoutFlag(context));
	if (output.json) {
		output.document(report);
	} else {
		for (const line of formatProbeReport(report, (role, text) => output.paint(role, text))) {
			output.line(line);
		}
	}

	return report.ok ? 0 : 1;
}
