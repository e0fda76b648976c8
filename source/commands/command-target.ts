// From a command's flags to the gateway it talks to: URL, credentials, the profile's paths and config, and the
// time budget. Shared by every command that opens a connection.
import {parsePort, resolvePort, UsageError} from '../../gateway/config/paths.js';
import {resolveTarget, type GatewayTarget} from '../config/target.js';
import type {CommandContext} from './registry.js';

export const defaultTimeoutMs = 10_000;

export function stringFlag(context: CommandContext, name: string): string | undefined {
	const value = context.flags[name];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function timeoutFlag(context: CommandContext, fallback = defaultTimeoutMs): number {
	const raw = stringFlag(context, 'timeout');
	if (raw === undefined) {
		return fallback;
	}

	const value = Number(raw);
	if (!/^\d+$/.test(raw.trim()) || value <= 0) {
		throw new UsageError(`invalid --timeout ${JSON.stringify(raw)}: use a whole number of milliseconds, e.g. --timeout 5000`);
	}

	return value;
}

export function commandTarget(context: CommandContext): GatewayTarget {
	const port = stringFlag(context, 'port');
	if (port !== undefined) {
		parsePort(port, '--port');
	}

	return resolveTarget(
		{
			url: stringFlag(context, 'url'),
			token: stringFlag(context, 'token'),
			password: stringFlag(context, 'password'),
			port,
			profile: context.profile,
			dev: context.dev,
		},
		context.env,
	);
}

/** Port and where it came from, as the gateway itself would resolve it (for `Gateway: ... port=N (source)`). */
export function localPort(context: CommandContext, target: GatewayTarget): {port: number; source: string} {
	return resolvePort({cliPort: stringFlag(context, 'port'), config: target.config?.config, dev: target.paths.dev}, context.env);
}

export {UsageError};
