// `openclaw gateway status`: the service manager's view, the config, and the live gateway's runtime through a
// `status` RPC. Exit 0 when the RPC probe succeeds, 1 when it does not (the reason is printed), with or without
// --require-rpc: OpenClaw's own status exits 0 after a failed probe unless given that flag, but here a script that
// runs `openclaw gateway status || alert` must not pass while the gateway is down, so the strict answer is the default
// and the flag is accepted for scripts written for OpenClaw.
import {resolveBind} from '../protocol/config/paths.js';
import {Output} from '../cli-output/output.js';
import type {PendingPort} from '../config/target-rules.js';
import {scopes} from '../protocol/index.js';
import {serves} from '../client/served-methods.js';
import {describeFailure, withConfigHint, NotServedError, openSession} from './command-connect.js';
import {commandTarget, localPort, timeoutFlag} from './command-target.js';
import {capabilityFor, formatStatusReport, runtimeFromFailure, runtimeFromStatus, type StatusReport} from './gateway-status-report.js';
import {fullConfigError, serviceStatus} from './local-facts.js';
import type {gatewayStatusFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

async function probe(target: Awaited<ReturnType<typeof commandTarget>>, timeoutMs: number): Promise<Pick<StatusReport, 'runtime' | 'rpc'>> {
	const started = performance.now();
	let session: Awaited<ReturnType<typeof openSession>> | undefined;
	try {
		// Every operator scope, so that the grant (hello-ok auth.scopes) shows what these credentials may do: asking
		// for read alone was granted read alone, and an admin token was reported as read-only.
		session = await openSession(target, {timeoutMs, scopes: [scopes.read, scopes.write, scopes.admin]});
		const granted = session.hello.auth?.scopes;
		const connected = {connectMs: session.connectMs, capability: capabilityFor(granted), auth: {role: session.hello.auth?.role, scopes: granted}};
		if (!serves(session.client, 'status')) {
			// It answered and said what it serves: running, as far as hello-ok tells; the probe itself could not be made.
			const error = describeFailure(new NotServedError('status'), target.url);
			return {runtime: runtimeFromStatus(undefined, session.hello), rpc: {ok: false, kind: 'read', method: 'status', ...connected, error}};
		}

		const payload = await session.client.request('status', {}, {timeoutMs});
		return {
			runtime: runtimeFromStatus(payload, session.hello),
			rpc: {ok: true, kind: 'read', method: 'status', latencyMs: Math.round(performance.now() - started), ...connected},
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
async function listeners(port: number, runtime: StatusReport['runtime'], service: StatusReport['service']): Promise<number[]> {
	if (runtime.status === 'running' && runtime.port === port && runtime.pid !== undefined) {
		return [runtime.pid];
	}

	const {portListeners} = await import('../supervisor/service-port-owner.js');
	return portListeners(port, 'pid' in service && service.pid !== undefined ? [service.pid] : []);
}

function pendingPortReport(pending: PendingPort): NonNullable<StatusReport['gateway']['pendingPort']> {
	return {running: pending.running, configured: pending.configured, source: pending.source, ...(pending.runningSource ? {runningSource: pending.runningSource} : {})};
}

export async function run(context: CommandContext<typeof gatewayStatusFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	// A pending port change is on this report's Gateway line, not a notice above it.
	const target = await commandTarget(context, 'client', {pendingPort: false});
	const timeoutMs = timeoutFlag(context);
	const local = target.urlSource === 'local';
	const {port, source: portSource} = localPort(context, target);
	let bind: {mode?: string; host?: string} = {};
	try {
		bind = resolveBind({config: target.config?.config});
	} catch {}

	// Where the profile's gateway listens: the port it runs on while a change of the configured one is pending.
	const listenPort = target.pendingPort?.running ?? port;
	// The probe goes first; the service manager's code and the full config check load while the gateway answers.
	const probing = probe(target, timeoutMs);
	const [probed, service, configError] = await Promise.all([probing, serviceStatus(target, port, context.env), fullConfigError(target)]);
	const report: StatusReport = {
		ok: probed.rpc.ok,
		service,
		config: {
			path: target.paths.configPath,
			exists: target.config?.exists ?? true,
			valid: configError === undefined,
			...(configError ? {error: configError} : {}),
		},
		gateway: {
			bindMode: bind.mode,
			bindHost: bind.host,
			port: local ? port : undefined,
			portSource: local ? portSource : undefined,
			probeUrl: target.url,
			urlSource: target.urlSource,
			...(target.pendingPort ? {pendingPort: pendingPortReport(target.pendingPort)} : {}),
		},
		...probed,
		...(local ? {listening: {port: listenPort, pids: await listeners(listenPort, probed.runtime, service)}} : {}),
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
