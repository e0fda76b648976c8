// What a gateway's `status` answer says about the process behind it, read the same way by the console's Runtime pane
// and the CLI's status commands. Every field is guarded whatever the method map says: a real OpenClaw gateway
// answers `status` too, with no `gateway` section and `runtimeVersion` where ours says `version`.
import {isRecord} from '../protocol/index.js';

export type StatusRuntimeFacts = {
	pid?: number;
	version?: string;
	uptimeMs?: number;
	bind?: string;
	host?: string;
	port?: number;
	reloadMode?: string;
};

const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export function statusRuntimeFacts(payload: unknown): StatusRuntimeFacts {
	const status = isRecord(payload) ? payload : {};
	const gateway = isRecord(status.gateway) ? status.gateway : {};
	return {
		pid: number(status.pid),
		version: text(status.version) ?? text(status.runtimeVersion),
		uptimeMs: number(status.uptimeMs),
		bind: text(gateway.bind),
		host: text(gateway.host),
		port: number(gateway.port),
		reloadMode: text(gateway.reloadMode),
	};
}
