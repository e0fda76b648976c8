// `openclaw gateway` in the foreground: resolve config and precedence, apply the start guards (mode, auth, bind,
// port), then run GatewayServer generations until a signal stops it. An in-process restart (RPC, SIGUSR2, reload)
// ends one generation and starts the next on a freshly read config, in the same process.
import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {chooseAuthMode} from './auth-mode.js';
import {ConfigError, loadConfigSync, type LoadedConfig} from '../source/protocol/config/load.js';
import {isLoopbackHost, resolveBind, resolvePaths, resolvePort, resolveSecrets, type Env, type SecretSource} from '../source/protocol/config/paths.js';
import {UsageError} from '../source/protocol/errors.js';
import type {GatewayConfig} from '../source/protocol/config/schema.js';
import {writeFileAtomic} from '../source/protocol/config/write.js';
import {readTokenFile, tokenFilePath} from '../source/protocol/config/token-file.js';
import {unknownConfigKeys, unknownKeysSummary} from '../source/protocol/config/unknown-keys.js';
import {freePort} from './force.js';
import type {AuthSettings} from './auth.js';
import {GatewayServer} from './server.js';
import {buildServices} from './assemble.js';
import {logLocationIssues, resolveLogDir} from '../source/protocol/logs/location.js';
import {createGatewayLogging} from './logs/runtime.js';
import {ReloadController} from './reload/controller.js';
import {withFix} from '../source/protocol/signatures.js';
import {gatewayLockFile, lockStateDir, type StateDirLock} from '../source/protocol/locks/state-lock.js';
import {gatewayVersion} from '../source/protocol/version.js';

export type GatewayRunOptions = {
	port?: number | string;
	bind?: string;
	host?: string;
	token?: string;
	password?: string;
	verbose?: boolean;
	force?: boolean;
	allowUnconfigured?: boolean;
	profile?: string;
	dev?: boolean;
	env?: Env;
	/** Where human messages go (tests capture them). */
	out?: (line: string) => void;
	err?: (line: string) => void;
};

/** Exit codes: 0 clean stop, 1 runtime failure (busy port...), 2 usage, 78 configuration (as OpenClaw, so supervisors don't loop). */
export const exitCodes = {ok: 0, failure: 1, usage: 2, config: 78} as const;

export class StartError extends Error {
	constructor(
		message: string,
		readonly exitCode: number,
	) {
		super(message);
		this.name = 'StartError';
	}
}

export type ResolvedGateway = {
	stateDir: string;
	/** Where log files may be: fixed at start-up (OPENCLAW_LOG_DIR, else <stateDir>/logs), never by config. */
	logDir: string;
	configPath: string;
	loaded: LoadedConfig;
	port: number;
	portSource: string;
	bindMode: string;
	host: string;
	auth: AuthSettings;
	secretSource?: SecretSource;
	/** An explicit credential overrode the config's auth mode: said at start-up so nobody wonders. */
	authOverride?: string;
};

/** Everything a generation needs, from flags + env + config file. Throws StartError with the runbook's messages. */
export async function resolveGateway(options: GatewayRunOptions, loaded?: LoadedConfig): Promise<ResolvedGateway & {generatedTokenPath?: string}> {
	const env = options.env ?? process.env;
	const paths = resolvePaths({profile: options.profile, dev: options.dev}, env);
	if (!loaded) {
		try {
			loaded = loadConfigSync(paths.configPath);
		} catch (error) {
			if (error instanceof ConfigError) {
				throw new StartError(`${error.message}\nFix the file (or move it aside) and start again.`, exitCodes.config);
			}

			throw error;
		}
	}

	const config: GatewayConfig = loaded.config;
	if (!options.allowUnconfigured) {
		const mode = config.gateway?.mode;
		if (!loaded.exists) {
			throw new StartError(
				withFix(`Missing config (${paths.configPath})`),
				exitCodes.config,
			);
		}

		if (mode === undefined) {
			throw new StartError(
				withFix(`Gateway start blocked: existing config is missing gateway.mode (${paths.configPath})`),
				exitCodes.config,
			);
		}

		if (mode !== 'local') {
			throw new StartError(
				withFix(`Gateway start blocked: set gateway.mode=local (current: ${mode}, in ${paths.configPath})`),
				exitCodes.config,
			);
		}
	}

	// Refused rather than replaced by the default: the operator asked for a file, and would look for the logs there.
	const logDir = resolveLogDir(paths.stateDir, env);
	const refused = logLocationIssues(config, logDir);
	if (refused.length > 0) {
		throw new StartError(`invalid config ${paths.configPath}: ${refused.join('; ')}\nFix the file and start again.`, exitCodes.config);
	}

	const {port, source: portSource} = resolvePort({cliPort: options.port, config, dev: paths.dev}, env);
	const bind = resolveBind({cliBind: options.bind, cliHost: options.host, config});
	const secrets = resolveSecrets({cliToken: options.token, cliPassword: options.password, config}, env);
	const choice = chooseAuthMode(config.gateway?.auth?.mode, secrets);
	if ('error' in choice) {
		throw new StartError(choice.error, exitCodes.config);
	}

	const {mode} = choice;
	let generatedTokenPath: string | undefined;
	let token = secrets.token;
	let secretSource = choice.source;
	if (mode === 'password' && !secrets.password) {
		throw new StartError(
			withFix('Gateway auth is set to password, but no password is configured'),
			exitCodes.config,
		);
	}

	if (mode === 'trusted-proxy') {
		trustedProxyProblem(config, token, secrets.tokenSource);
	}

	// Off loopback a secret must be one the operator chose (flag, env, config): a generated one, or one left in the
	// state dir by an earlier run, is known to nobody who could connect from elsewhere, and the runbook refuses.
	// trusted-proxy counts as auth: its proxies are named and its user header required (checked just above).
	if (!isLoopbackHost(bind.host) && (mode === 'none' || (mode === 'token' && !token))) {
		throw new StartError(
			withFix(`refusing to bind gateway to ${bind.host}:${port} without auth`),
			exitCodes.config,
		);
	}

	if (mode === 'token' && !token) {
		token = readTokenFile(paths.stateDir);
		secretSource = 'file';
		if (!token) {
			token = randomBytes(24).toString('base64url');
			generatedTokenPath = tokenFilePath(paths.stateDir);
			await writeFileAtomic(generatedTokenPath, `${token}\n`, {mode: 0o600});
			secretSource = 'generated';
		}
	}

	return {
		stateDir: paths.stateDir,
		logDir,
		configPath: paths.configPath,
		loaded,
		port,
		portSource,
		bindMode: bind.mode,
		host: bind.host,
		auth: {
			mode,
			token: mode === 'token' ? token : undefined,
			// trusted-proxy keeps the password for direct local clients (as OpenClaw).
			password: mode === 'password' || mode === 'trusted-proxy' ? secrets.password : undefined,
			...identityAuthSettings(config),
		},
		secretSource,
		generatedTokenPath,
		authOverride: choice.overrides,
	};
}

/** The identity ways in from the config (auth-identity.ts reads them per connect). */
function identityAuthSettings(config: GatewayConfig): Pick<AuthSettings, 'allowTailscale' | 'tailscaleMode' | 'trustedProxies' | 'trustedProxy'> {
	const gateway = config.gateway;
	return {
		allowTailscale: gateway?.auth?.allowTailscale === true,
		tailscaleMode: gateway?.tailscale?.mode ?? 'off',
		trustedProxies: gateway?.trustedProxies ?? [],
		...(gateway?.auth?.trustedProxy ? {trustedProxy: gateway.auth.trustedProxy} : {}),
	};
}

/**
 * trusted-proxy mode refuses to start half-configured, as OpenClaw: without a user header or a proxy list no one
 * could get in, and a shared token beside it would be a second, unintended way in.
 */
function trustedProxyProblem(config: GatewayConfig, token: string | undefined, tokenSource: string | undefined): void {
	const problems = [
		...(config.gateway?.auth?.trustedProxy?.userHeader ? [] : ['gateway.auth.trustedProxy.userHeader is not set']),
		...((config.gateway?.trustedProxies ?? []).length > 0 ? [] : ['gateway.trustedProxies is empty (name the proxies whose identity header counts)']),
		...(token && tokenSource !== 'file' && tokenSource !== 'generated'
			? ['a shared token is also configured: remove gateway.auth.token / OPENCLAW_GATEWAY_TOKEN (trusted-proxy and token auth are mutually exclusive)']
			: []),
	];
	if (problems.length > 0) {
		throw new StartError(withFix(`gateway auth mode is trusted-proxy, but ${problems.join('; ')}`), exitCodes.config);
	}
}

function busyPortMessage(host: string, port: number): string {
	return withFix(`another gateway instance is already listening on ws://${host}:${port} (EADDRINUSE)`);
}

/**
 * A gateway that refuses to start says why in its log file too, where `openclaw doctor` and `openclaw logs` look
 * later. Only into a state dir that exists: a mistyped profile must not leave a directory behind.
 */
function logStartFailure(options: GatewayRunOptions, message: string): void {
	const env = options.env ?? process.env;
	try {
		const paths = resolvePaths({profile: options.profile, dev: options.dev}, env);
		if (!existsSync(paths.stateDir)) {
			return;
		}

		let config: GatewayConfig = {};
		try {
			config = loadConfigSync(paths.configPath).config;
		} catch {
			// A config that cannot be read logs to the default file.
		}

		const logging = createGatewayLogging({stateDir: paths.stateDir, logDir: resolveLogDir(paths.stateDir, env), config});
		logging.logger.error(message);
		logging.writer.close();
	} catch {
		// The message is on stderr already; a log that cannot be written must not hide it.
	}
}

/** Run until stopped. Resolves with the process exit code. */
export async function runGateway(options: GatewayRunOptions): Promise<number> {
	const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
	const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
	let resolved: Awaited<ReturnType<typeof resolveGateway>>;
	try {
		resolved = await resolveGateway(options);
	} catch (error) {
		if (error instanceof StartError) {
			err(`Gateway failed to start: ${error.message}`);
			logStartFailure(options, `Gateway failed to start: ${error.message}`);
			return error.exitCode;
		}

		if (error instanceof UsageError) {
			err(`openclaw gateway: ${error.message}`);
			return exitCodes.usage;
		}

		throw error;
	}

	if (options.force) {
		const freed = await freePort(resolved.port, {log: (line) => out(line)});
		if (!freed.ok) {
			const message = `Gateway failed to start: ${withFix(`Could not free port ${resolved.port}: ${freed.error}`)}`;
			err(message);
			logStartFailure(options, message);
			return exitCodes.failure;
		}
	}

	// One gateway per state dir, held until this process ends (an in-process restart keeps it). After --force, which
	// may just have stopped the holder. A refusal is configuration class (78): under a service manager, retrying
	// cannot help while the other one runs.
	const locked = lockStateDir(resolved.stateDir, {port: resolved.port, host: resolved.host});
	if (!locked.ok) {
		err(`Gateway failed to start: ${locked.message}`);
		return exitCodes.config;
	}

	const stateLock: StateDirLock = locked.lock;
	// process.exit (the stop timer below, an uncaught error) skips `finally`; 'exit' handlers still run, synchronously.
	const releaseOnExit = () => stateLock.release();
	process.on('exit', releaseOnExit);
	const startedAt = new Date().toISOString();

	// Process-wide: the log file and the reload state outlive each server generation (in-process restarts).
	const {logDir} = resolved;
	const logging = createGatewayLogging({
		stateDir: resolved.stateDir,
		logDir,
		config: resolved.loaded.config,
		verbose: options.verbose === true,
		envLevel: (options.env ?? process.env).OPENCLAW_LOG_LEVEL,
	});
	const {logger} = logging;
	const reload = new ReloadController({
		configPath: resolved.configPath,
		logger,
		initial: resolved.loaded,
		redact: (text) => logging.redactor.redact(text),
		policy: (config) => logLocationIssues(config, logDir),
	});
	if (resolved.generatedTokenPath) {
		out(`auth: no token configured; generated one and stored it in ${resolved.generatedTokenPath} (mode 0600)`);
	}

	if (resolved.authOverride) {
		out(`auth: ${resolved.authOverride}`);
	}

	if (locked.tookOver) {
		const message = `took over a stale gateway lock (${locked.tookOver.reason}): ${gatewayLockFile(resolved.stateDir)} is this gateway's now`;
		logger.warn(message, {previousPid: locked.tookOver.pid});
		out(message);
	}

	let stopRequested: {reason: string} | undefined;
	let server: GatewayServer | undefined;
	let restartReason: string | undefined;
	let wake: (() => void) | undefined;
	const stop = (signal: string) => {
		if (stopRequested) {
			return;
		}

		stopRequested = {reason: `gateway stopping (${signal})`};
		void server?.stop({reason: 'gateway stopping'});
		// Never hang: a clean stop finishes well within this bound.
		setTimeout(() => process.exit(exitCodes.ok), 1900).unref();
	};

	const restart = (reason: string) => {
		restartReason = reason;
		void server?.stop({reason, restart: true, restartExpectedMs: 1500});
	};

	const onSigterm = () => stop('SIGTERM');
	const onSigint = () => stop('SIGINT');
	const onSigusr2 = () => restart('SIGUSR2');
	process.on('SIGTERM', onSigterm);
	process.on('SIGINT', onSigint);
	process.on('SIGUSR2', onSigusr2);

	try {
		let generation = 0;
		while (!stopRequested) {
			generation++;
			logging.redactor.setSecrets('auth', [resolved.auth.token, resolved.auth.password]);
			server = new GatewayServer({
				host: resolved.host,
				port: resolved.port,
				bindMode: resolved.bindMode,
				auth: resolved.auth,
				stateDir: resolved.stateDir,
				configPath: resolved.configPath,
				config: resolved.loaded,
				logger,
				services: buildServices({stateDir: resolved.stateDir, configPath: resolved.configPath, logger, logging, reload}),
				onRestartRequested: restart,
			});
			try {
				await server.start();
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				const message =
					code === 'EADDRINUSE'
						? busyPortMessage(resolved.host, resolved.port)
						: `failed to bind gateway socket on ws://${resolved.host}:${resolved.port}: ${(error as Error).message}`;
				logger.error(`Gateway failed to start: ${message}`);
				err(`Gateway failed to start: ${message}`);
				// Under a service manager a busy port is another instance: 78 is what the unit's RestartPreventExitStatus
				// (and the plist's) stop on, where 1 would restart into the same busy port every few seconds, forever.
				const supervised = (options.env ?? process.env).OPENCLAW_SERVICE_MARKER !== undefined;
				return code === 'EADDRINUSE' && supervised ? exitCodes.config : exitCodes.failure;
			}

			stateLock.writeRecord({
				pid: process.pid,
				port: server.port,
				host: resolved.host,
				bindMode: resolved.bindMode,
				portSource: resolved.portSource,
				startedAt,
				configPath: resolved.configPath,
				stateDir: resolved.stateDir,
				version: gatewayVersion(),
			});
			out(
				`${generation === 1 ? 'listening' : 'restarted, listening'} on ws://${resolved.host}:${server.port} (pid ${process.pid}, auth ${resolved.auth.mode}${
					resolved.secretSource ? ` from ${resolved.secretSource}` : ''
				})`,
			);
			if (generation === 1) {
				out(`config: ${resolved.configPath}${resolved.loaded.exists ? '' : ' (not present; defaults)'}`);
				// The log has it too, but an operator starting in the foreground reads this screen, not the log.
				const unknownKeys = unknownKeysSummary(unknownConfigKeys(resolved.loaded.config));
				if (unknownKeys) {
					err(`config: ${unknownKeys} (ignored)`);
				}

				out(`state dir: ${resolved.stateDir}`);
			}

			const stoppedServer = server;
			await new Promise<void>((resolve) => {
				wake = resolve;
				stoppedServer.once('stopped', () => resolve());
			});
			wake = undefined;
			if (stopRequested || restartReason === undefined) {
				break;
			}

			logger.info('in-process restart', {reason: restartReason});
			restartReason = undefined;
			try {
				// The file as it is now if valid, else the last good config (the reload controller reports why).
				resolved = await resolveGateway(options, reload.loadForRestart());
			} catch (error) {
				// A broken config never takes a running gateway down: restart on the last good one.
				logger.error('config invalid at restart; keeping the last good config', {error: (error as Error).message});
				reload.reportError(`config cannot start the gateway: ${(error as Error).message}; kept the last good config`);
			}
		}

		out('gateway stopped');
		return exitCodes.ok;
	} finally {
		stateLock.release();
		process.off('exit', releaseOnExit);
		wake?.();
		reload.stop();
		logging.writer.close();
		process.off('SIGTERM', onSigterm);
		process.off('SIGINT', onSigint);
		process.off('SIGUSR2', onSigusr2);
	}
}
