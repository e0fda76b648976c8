// Which gateway a client command talks to, and with which credentials. Mirrors OpenClaw's CLI:
// URL --url > OPENCLAW_GATEWAY_URL > gateway.remote.url (gateway.mode=remote) > ws://127.0.0.1:<resolved port>;
// credentials --token/--password > OPENCLAW_GATEWAY_TOKEN/_PASSWORD > gateway.auth (or gateway.remote) > the token
// file the gateway generated in its state dir. An explicit --url never borrows local credentials.
// This file: pure precedence over an already loaded config: the sync full loader (target.ts) and the lean one for client
// commands (client-target.ts) share it. No runtime import of the config loader, so zod stays unloaded.
import type {ConfigError, LoadedConfig} from '../protocol/config/load.js';
import {resolvePort, type Env, type PortSource, type ResolvedPaths} from '../protocol/config/paths.js';
import {UsageError} from '../protocol/errors.js';
import {readTokenFile} from '../protocol/config/token-file.js';

export type TargetOptions = {
	url?: string;
	token?: string;
	password?: string;
	port?: string | number;
	profile?: string;
	dev?: boolean;
};

export type GatewayTarget = {
	url: string;
	urlSource: 'cli' | 'env' | 'remote-config' | 'local';
	token?: string;
	password?: string;
	credentialSource?: 'cli' | 'env' | 'config' | 'token-file';
	port?: number;
	paths: ResolvedPaths;
	/** The local config, or undefined when it could not be read (the error is in configError). */
	config?: LoadedConfig;
	configError?: ConfigError;
	/**
	 * The profile's gateway runs on another port than the config (or env) now names: a port change it has not applied.
	 * The target is then the port it runs on.
	 */
	pendingPort?: PendingPort;
};

export type PendingPort = {
	running: number;
	configured: number;
	source: PortSource;
	pid: number;
	/** Where the running gateway took its port from: a --port or OPENCLAW_GATEWAY_PORT it was started with pins it. */
	runningSource?: string;
};

/** What the running gateway of this profile says about itself (source/protocol/locks/state-lock.ts's runtime record). */
export type RunningGateway = {pid: number; port: number; portSource?: string};

/** `config says 19001; the port change applies at the next restart`: what every command (and doctor) says about it. */
export function pendingPortNote(pending: Omit<PendingPort, 'pid'>): string {
	const says = {config: 'config says', env: 'OPENCLAW_GATEWAY_PORT says', default: 'the default port is', cli: '--port says'}[pending.source];
	const pinnedBy = pending.runningSource === 'cli' ? '--port' : pending.runningSource === 'env' ? 'OPENCLAW_GATEWAY_PORT' : undefined;
	const when = pinnedBy
		? `it was started with ${pinnedBy} ${pending.running}, so the change applies when it is started without it (a service: openclaw gateway install)`
		: 'the port change applies at the next restart';
	return `${says} ${pending.configured}; ${when}`;
}

/** `Gateway: ws://127.0.0.1:18789 (config says 19001; the port change applies at the next restart)` */
export function pendingPortLine(url: string, pending: Omit<PendingPort, 'pid'>): string {
	return `Gateway: ${url} (${pendingPortNote(pending)})`;
}

/**
 * The profile's gateway is where it runs, not where the file says it will run after a restart; an explicit --port
 * is the operator's choice and is used as given.
 */
export function pendingPortOf(running: RunningGateway | undefined, configured: number, source: PortSource): PendingPort | undefined {
	return running && running.port !== configured && source !== 'cli'
		? {running: running.port, configured, source, pid: running.pid, ...(running.portSource ? {runningSource: running.portSource} : {})}
		: undefined;
}

export function validateGatewayUrl(url: string, origin: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new UsageError(`invalid gateway URL ${JSON.stringify(url)} from ${origin}: use ws://HOST:PORT or wss://HOST:PORT`);
	}

	if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
		throw new UsageError(`invalid gateway URL ${JSON.stringify(url)} from ${origin}: the scheme must be ws:// or wss://`);
	}

	return url;
}

/** The target from the options, the environment and the local config (or the error that kept it from loading). */
export function targetFromConfig(
	options: TargetOptions,
	env: Env,
	paths: ResolvedPaths,
	config: LoadedConfig | undefined,
	configError: ConfigError | undefined,
	running?: RunningGateway,
): GatewayTarget {
	const gatewayConfig = config?.config.gateway;
	if (options.url) {
		const url = validateGatewayUrl(options.url, '--url');
		if (!options.token && !options.password) {
			throw new UsageError(
				'gateway url override requires explicit credentials: pass --token (or --password) with --url',
			);
		}

		return {url, urlSource: 'cli', token: options.token, password: options.password, credentialSource: 'cli', paths, config, configError};
	}

	const cliCreds = options.token || options.password ? {token: options.token, password: options.password, credentialSource: 'cli' as const} : undefined;
	const envCreds =
		env.OPENCLAW_GATEWAY_TOKEN?.trim() || env.OPENCLAW_GATEWAY_PASSWORD?.trim()
			? {
					token: env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined,
					password: env.OPENCLAW_GATEWAY_PASSWORD?.trim() || undefined,
					credentialSource: 'env' as const,
				}
			: undefined;

	if (env.OPENCLAW_GATEWAY_URL?.trim()) {
		const url = validateGatewayUrl(env.OPENCLAW_GATEWAY_URL.trim(), 'OPENCLAW_GATEWAY_URL');
		const creds = cliCreds ?? envCreds;
		if (!creds) {
			throw new UsageError(
				'OPENCLAW_GATEWAY_URL requires explicit credentials: set OPENCLAW_GATEWAY_TOKEN (or pass --token)',
			);
		}

		return {url, urlSource: 'env', ...creds, paths, config, configError};
	}

	if (gatewayConfig?.mode === 'remote' && gatewayConfig.remote?.url && options.port === undefined) {
		const url = validateGatewayUrl(gatewayConfig.remote.url, 'gateway.remote.url');
		const remote = gatewayConfig.remote;
		const creds =
			cliCreds ??
			envCreds ??
			(remote.token || remote.password ? {token: remote.token, password: remote.password, credentialSource: 'config' as const} : {});
		return {url, urlSource: 'remote-config', ...creds, paths, config, configError};
	}

	const {port: configured, source} = resolvePort({cliPort: options.port, config: config?.config, dev: paths.dev}, env);
	const pendingPort = pendingPortOf(running, configured, source);
	const port = pendingPort ? pendingPort.running : configured;
	const auth = gatewayConfig?.auth;
	let creds: Pick<GatewayTarget, 'token' | 'password' | 'credentialSource'> = cliCreds ?? envCreds ?? {};
	if (!creds.credentialSource && (auth?.token || auth?.password)) {
		creds = {token: auth.token, password: auth.password, credentialSource: 'config'};
	}

	if (!creds.credentialSource) {
		const fileToken = readTokenFile(paths.stateDir);
		if (fileToken) {
			creds = {token: fileToken, credentialSource: 'token-file'};
		}
	}

	return {url: `ws://127.0.0.1:${port}`, urlSource: 'local', port, ...creds, paths, config, configError, ...(pendingPort ? {pendingPort} : {})};
}
