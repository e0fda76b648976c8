// `openclaw gateway status`: the service manager's view, the config, and the live gateway's runtime through a
// `status` RPC. Exit 0 when the RPC probe succeeds, 1 when it does not (the reason is printed).
import {resolveBind} from '../../gateway/config/paths.js';
import {Output} from '../cli-output/output.js';
import {portListeners} from '../supervisor/service-port-owner.js';
import {serviceController} from '../supervisor/service.js';
import {describeFailure, withConfigHint, openSession} from './command-connect.js';
import {commandTarget, localPort, timeoutFlag} from './command-target.js';
import {capabilityFor, formatStatusReport, runtimeFromFailure, runtimeFromStatus, type StatusReport} from './gateway-status-report.js';
import type {CommandContext} from './registry.js';

async function probe(target: ReturnType<typeof commandTarget>, timeoutMs: number): Promise<Pick<StatusReport, 'runtime' | 'rpc'>> {
	const started = performance.now();
	let session: Awaited<ReturnType<typeof openSession>> | undefined;
	try {
		session = await openSession(target, {timeoutMs, scopes: ['operator.read']});
		const payload = await session.client.request('status', {}, {timeoutMs});
		const scopes = session.hello.auth?.scopes;
		return {
			runtime: runtimeFromStatus(payload, session.hello),
			rpc: {
				ok: true,
				kind: 'read',
				method: 'status',
				latencyMs: Math.round(performance.now() - started),
				connectMs: session.connectMs,
				capability: capabilityFor(scopes),
				auth: {role: session.hello.auth?.role, scopes},
			},
		};
	} catch (error) {
		const failure = withConfigHint(describeFailure(error, target.url), target);
		return {runtime: runtimeFromFailure(failure), rpc: {ok: false, kind: 'read', method: 'status', error: failure, timedOut: failure.kind === 'timeout'}};
	} finally {
		await session?.client.close();
	}
}

/**
 * Who listens on the port. When the gateway just answered on it and reports that port and its pid, that is the
 * answer; only otherwise scan the sockets (which costs tens of ms on a busy host).
 */
function listeners(port: number, runtime: StatusReport['runtime'], service: StatusReport['service']): number[] {
	if (runtime.status === 'running' && runtime.port === port && runtime.pid !== undefined) {
		return [runtime.pid];
	}

	return portListeners(port, 'pid' in service && service.pid !== undefined ? [service.pid] : []);
}

export async function run(context: CommandContext): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = commandTarget(context);
	const timeoutMs = timeoutFlag(context);
	const local = target.urlSource === 'local';
	const {port, source: portSource} = localPort(context, target);
	let bind: {mode?: string; host?: string} = {};
	try {
		bind = resolveBind({config: target.config?.config});
	} catch {}

	const servicePromise = serviceController({paths: target.paths, port, env: context.env, credentials: target})
		.then(async (controller) => controller.status())
		.catch((error: Error) => ({error: error.message}));
	const [probed, service] = await Promise.all([probe(target, timeoutMs), servicePromise]);
	const report: StatusReport = {
		ok: probed.rpc.ok,
		service,
		config: {
			path: target.paths.configPath,
			exists: target.config?.exists ?? true,
			valid: target.configError === undefined,
			...(target.configError ? {error: target.configError.message} : {}),
		},
		gateway: {bindMode: bind.mode, bindHost: bind.host, port: local ? port : undefined, portSource: local ? portSource : undefined, probeUrl: target.url, urlSource: target.urlSource},
		...probed,
		...(local ? {listening: {port, pids: listeners(port, probed.runtime, service)}} : {}),
	};
	if (output.json) {
		output.document(report);
	} else {
		for (const line of formatStatusReport(report, (role, text) => output.paint(role, text))) {
			output.line(line);
		}
	}

	return report.ok ? 0 : 1;
}
