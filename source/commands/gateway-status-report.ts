// `openclaw gateway status` as data and as text. Pure: the command gathers the facts, this shapes them.
import {formatDuration} from '../cli-output/duration.js';
import type {Failure} from './command-connect.js';
import {statusRuntimeFacts} from '../client/status-facts.js';
import type {HelloOk} from '../protocol/index.js';
import type {ServiceStatus} from '../supervisor/service.js';
import type {PortSource} from '../protocol/config/paths.js';
import {pendingPortLine} from '../config/target-rules.js';

export type RuntimeInfo = {
	status: 'running' | 'unreachable' | 'auth-failed' | 'timeout' | 'error';
	pid?: number;
	uptimeMs?: number;
	version?: string;
	bind?: string;
	host?: string;
	port?: number;
};

export type StatusReport = {
	ok: boolean;
	service: ServiceStatus | {error: string};
	config: {path: string; exists: boolean; valid: boolean; error?: string};
	gateway: {
		bindMode?: string;
		bindHost?: string;
		port?: number;
		portSource?: string;
		probeUrl: string;
		urlSource: string;
		/** The profile's gateway runs on `running` while the config (or env) names `configured`: not applied yet. */
		pendingPort?: {running: number; configured: number; source: PortSource; runningSource?: string};
	};
	runtime: RuntimeInfo;
	rpc: {
		ok: boolean;
		kind: 'read';
		method: 'status';
		latencyMs?: number;
		connectMs?: number;
		capability?: string;
		auth?: {role?: string; scopes?: string[]};
		error?: Failure;
		timedOut?: boolean;
	};
	listening?: {port: number; pids: number[]};
};

/** What a connection may do, from the scopes the gateway granted (OpenClaw's `Capability:` line). */
export function capabilityFor(scopes: readonly string[] | undefined): string {
	if (!scopes || scopes.length === 0) {
		return 'connected-no-operator-scope';
	}

	if (scopes.includes('operator.admin')) {
		return 'admin-capable';
	}

	if (scopes.includes('operator.write')) {
		return 'write-capable';
	}

	return scopes.includes('operator.read') ? 'read-only' : 'connected-no-operator-scope';
}

/** Runtime facts from a `status` payload (ours, or a real OpenClaw's with `runtimeVersion`) and the hello. */
export function runtimeFromStatus(payload: unknown, hello: HelloOk | undefined): RuntimeInfo {
	const {reloadMode: _reloadMode, ...facts} = statusRuntimeFacts(payload);
	const fromHello = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
	return {
		status: 'running',
		...facts,
		uptimeMs: facts.uptimeMs ?? fromHello(hello?.snapshot?.uptimeMs),
		version: facts.version ?? (typeof hello?.server?.version === 'string' && hello.server.version !== '' ? hello.server.version : undefined),
	};
}

export function runtimeFromFailure(failure: Failure): RuntimeInfo {
	const status: RuntimeInfo['status'] =
		failure.kind === 'unreachable' ? 'unreachable' : failure.kind === 'auth' ? 'auth-failed' : failure.kind === 'timeout' ? 'timeout' : 'error';
	return {status};
}

function runtimeLine(runtime: RuntimeInfo): string {
	if (runtime.status !== 'running') {
		const why = {unreachable: 'gateway not reachable', 'auth-failed': 'auth failed', timeout: 'timed out', error: 'probe failed'}[runtime.status];
		return `Runtime: unknown (${why})`;
	}

	const bits = [
		runtime.pid === undefined ? undefined : `pid ${runtime.pid}`,
		runtime.uptimeMs === undefined ? undefined : `uptime ${formatDuration(runtime.uptimeMs)}`,
		runtime.version === undefined ? undefined : `version ${runtime.version}`,
		runtime.bind === undefined ? undefined : `bind ${runtime.bind}`,
		runtime.port === undefined ? undefined : `port ${runtime.port}`,
	].filter(Boolean);
	return `Runtime: running${bits.length > 0 ? ` (${bits.join(', ')})` : ''}`;
}

export function serviceLines(service: StatusReport['service']): string[] {
	if ('error' in service) {
		return [`Service: unknown (${service.error})`];
	}

	const lines = [`Service: ${service.label} (${service.manager}; ${service.detail})`];
	if (service.note) {
		lines.push(`  ${service.note}`);
	}

	if (service.installed) {
		lines.push(`Service file: ${service.definitionFile}`);
	}

	if (service.logFile && service.installed) {
		lines.push(`Service log: ${service.logFile}`);
	}

	return lines;
}

export function formatStatusReport(report: StatusReport, paint: (role: 'ok' | 'fail' | 'warn', text: string) => string = (_r, t) => t): string[] {
	const {config, gateway, rpc} = report;
	const lines = [...serviceLines(report.service)];
	lines.push(`Config: ${config.path}${config.exists ? (config.valid ? '' : ` (invalid: ${config.error})`) : ' (not present)'}`);
	if (gateway.pendingPort) {
		const {running, configured, source, runningSource} = gateway.pendingPort;
		lines.push(pendingPortLine(gateway.probeUrl, {running, configured, source, runningSource}));
		lines.push(`Bind: ${gateway.bindMode ?? '?'} (${gateway.bindHost ?? '?'})`);
	} else if (gateway.port !== undefined) {
		lines.push(`Gateway: bind=${gateway.bindMode ?? '?'} (${gateway.bindHost ?? '?'}), port=${gateway.port} (${gateway.portSource ?? 'default'})`);
	}

	lines.push(`Probe target: ${gateway.probeUrl}${gateway.urlSource === 'local' ? '' : ` (${gateway.urlSource})`}`);
	lines.push(runtimeLine(report.runtime));
	if (rpc.ok) {
		lines.push(`RPC probe: ${paint('ok', 'ok')} (${rpc.latencyMs} ms)`);
		lines.push(`Capability: ${rpc.capability}`);
	} else if (rpc.timedOut) {
		lines.push(`RPC probe: ${paint('fail', 'timed out')}: ${rpc.error?.message}`);
	} else {
		lines.push(`RPC probe: ${paint('fail', 'failed')}: ${rpc.error?.message}`);
		if (rpc.capability) {
			lines.push(`Capability: ${rpc.capability}`); // connected; only the probe's method was not served
		}
	}

	if (report.listening) {
		const {port, pids} = report.listening;
		lines.push(pids.length > 0 ? `Listening: port ${port} (pid ${pids.join(', ')})` : `Listening: nothing on port ${port}`);
	}

	if (!report.ok) {
		lines.push('Troubles: run openclaw doctor');
	}

	return lines;
}
