// From a command's flags to the gateway it talks to: URL, credentials, the profile's paths and config, and the
// time budget. Shared by every command that opens a connection.
import {parsePort, resolvePort, type PortSource} from '../protocol/config/paths.js';
import {UsageError} from '../protocol/errors.js';
import {terminalSafe} from '../cli-output/terminal-safe.js';
import {resolveClientTarget} from '../config/client-target.js';
import {pendingPortLine, type GatewayTarget, type TargetOptions} from '../config/target-rules.js';
import type {CommandContext} from './registry.js';

export const defaultTimeoutMs = 10_000;

/** A string flag the command defines, when given and not empty (`--url ''` is no URL). */
export function stringFlag<Name extends string>(context: {flags: Record<Name, string | undefined>}, name: Name): string | undefined {
	return nonEmpty(context.flags[name]);
}

function nonEmpty(value: string | undefined): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What commandTarget reads: the root options and the connection flags the command has (doctor and the service actions have only --port). */
export type TargetContext = Pick<CommandContext, 'profile' | 'dev' | 'env'> & {flags: {url?: string; token?: string; password?: string; port?: string}};

export function timeoutFlag(context: {flags: {timeout: string | undefined}}, fallback = defaultTimeoutMs): number {
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

/**
 * The gateway a command talks to. `client` (commands that only need the connection) reads the config leanly and
 * leaves zod unloaded unless the file needs the full check; `full` validates every key as the gateway would.
 */
export async function commandTarget(
	context: TargetContext,
	check: 'client' | 'full' = 'full',
	notices: {pendingPort?: boolean} = {},
): Promise<GatewayTarget> {
	const port = nonEmpty(context.flags.port);
	if (port !== undefined) {
		parsePort(port, '--port');
	}

	const options: TargetOptions = {
		url: nonEmpty(context.flags.url),
		token: nonEmpty(context.flags.token),
		password: nonEmpty(context.flags.password),
		port,
		profile: context.profile,
		dev: context.dev,
	};
	let target: GatewayTarget;
	if (check === 'client') {
		target = await resolveClientTarget(options, context.env);
	} else {
		// The full loader brings zod and the schema: loaded only for the commands that need them.
		const {resolveTarget} = await import('../config/target.js');
		target = resolveTarget(options, context.env);
	}

	warnAboutConfig(target);
	if (target.pendingPort && notices.pendingPort !== false) {
		// Said where every command says it (stderr), so that a reply from the old port is never taken for the new one.
		process.stderr.write(`${pendingPortLine(target.url, target.pendingPort)}\n`);
	}

	return target;
}

/**
 * A config file the command could not use is never silently ignored: the target then falls back to defaults (port
 * 18789, no token from the file), and "not reachable" alone would send the operator looking in the wrong place.
 */
function warnAboutConfig(target: GatewayTarget): void {
	const error = target.configError;
	if (!error || target.urlSource !== 'local') {
		return;
	}

	const problem = error.issues[0] ?? error.message;
	// The problem can quote the file's key names, which config.patch lets a token holder choose.
	process.stderr.write(
		`${terminalSafe(`openclaw: warning: cannot use config ${error.configPath} (${problem}); using defaults. Run \`openclaw doctor\`.`, {multiline: true})}\n`,
	);
}

/** Port and where it came from, as the gateway itself would resolve it (for `Gateway: ... port=N (source)`). */
export function localPort(context: Pick<TargetContext, 'flags' | 'env'>, target: GatewayTarget): {port: number; source: PortSource} {
	return resolvePort({cliPort: nonEmpty(context.flags.port), config: target.config?.config, dev: target.paths.dev}, context.env);
}

export {UsageError};
