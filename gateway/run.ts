// `openclaw gateway` in the foreground: resolve config and precedence, apply the start guards (mode, auth, bind,
// port), then run GatewayServer generations until a signal stops it. An in-process restart (RPC, SIGUSR2, reload)
// ends one generation and starts the next on a freshly read config, in the same process.
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
import {gatewayLockFile, lockStateDir, type RuntimeRecord, type StateDirLock} from '../source/protocol/locks/state-lock.js';
import {gatewayVersion} from '../source/protocol/version.js';
import {newGatewayToken} from '../source/protocol/tokens.js';

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

/** A generation's settings, and where a token generated for it was stored (said once, at start-up). */
type StartSettings = ResolvedGateway & {generatedTokenPath?: string};
type GatewayLogging = ReturnType<typeof createGatewayLogging>;
type GatewayLogger = GatewayLogging['logger'];

/** Everything a generation needs, from flags + env + config file. Throws StartError with the runbook's messages. */
export async function resolveGateway(options: GatewayRunOptions, loaded?: LoadedConfig): Promise<StartSettings> {
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
			token = newGatewayToken();
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
	const first = await resolveForStart(options, err);
	if (typeof first === 'number') {
		return first;
	}

	let resolved = first;
	if (options.force && !(await freePortForStart(options, resolved.port, out, err))) {
		return exitCodes.failure;
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
	const logging = openLogging(options, resolved);
	const {logger} = logging;
	const reload = watchConfig(resolved, logging);
	announceStart(resolved, locked.tookOver, logger, out);
	const control = new GenerationControl();
	const unwatchSignals = control.watchSignals();
	try {
		for (let generation = 1; !control.stopRequested; generation++) {
			const server = newGeneration(resolved, logging, reload, control);
			// Before start: a signal during start-up stops this generation too.
			control.server = server;
			const failed = await startServer(server, options, resolved, logger, err);
			if (failed !== undefined) {
				return failed;
			}

			stateLock.writeRecord(runtimeRecord(resolved, server.port, startedAt));
			announceListening(generation, resolved, server.port, out, err);
			await new Promise<void>((resolve) => {
				server.once('stopped', () => resolve());
			});
			const restartReason = control.takeRestartReason();
			if (control.stopRequested || restartReason === undefined) {
				break;
			}

			logger.info('in-process restart', {reason: restartReason});
			resolved = await resolveForRestart(options, resolved, reload, logger);
		}

		out('gateway stopped');
		return exitCodes.ok;
	} finally {
		stateLock.release();
		process.off('exit', releaseOnExit);
		reload.stop();
		logging.writer.close();
		unwatchSignals();
	}
}

/** The first resolve: the settings, or the exit code of a refusal already reported (stderr and the log file). */
async function resolveForStart(options: GatewayRunOptions, err: (line: string) => void): Promise<StartSettings | number> {
	try {
		return await resolveGateway(options);
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
}

/** --force: stop whatever listens on the port. False (reported) when it could not be freed. */
async function freePortForStart(options: GatewayRunOptions, port: number, out: (line: string) => void, err: (line: string) => void): Promise<boolean> {
	const freed = await freePort(port, {log: (line) => out(line)});
	if (!freed.ok) {
		const message = `Gateway failed to start: ${withFix(`Could not free port ${port}: ${freed.error}`)}`;
		err(message);
		logStartFailure(options, message);
	}

	return freed.ok;
}

/** Process-wide: the log file outlives each server generation (in-process restarts). */
function openLogging(options: GatewayRunOptions, resolved: ResolvedGateway): GatewayLogging {
	return createGatewayLogging({
		stateDir: resolved.stateDir,
		logDir: resolved.logDir,
		config: resolved.loaded.config,
		verbose: options.verbose === true,
		envLevel: (options.env ?? process.env).OPENCLAW_LOG_LEVEL,
	});
}

/** Process-wide too: the reload state (last good config, last error) outlives each generation. */
function watchConfig(resolved: ResolvedGateway, logging: GatewayLogging): ReloadController {
	const {logDir} = resolved;
	return new ReloadController({
		configPath: resolved.configPath,
		logger: logging.logger,
		initial: resolved.loaded,
		redact: (text) => logging.redactor.redact(text),
		policy: (config) => logLocationIssues(config, logDir),
	});
}

/** What the operator should know before the first listen: a generated token, an auth override, a lock taken over. */
function announceStart(
	resolved: StartSettings,
	tookOver: {pid: number; reason: string} | undefined,
	logger: GatewayLogger,
	out: (line: string) => void,
): void {
	if (resolved.generatedTokenPath) {
		out(`auth: no token configured; generated one and stored it in ${resolved.generatedTokenPath} (mode 0600)`);
	}

	if (resolved.authOverride) {
		out(`auth: ${resolved.authOverride}`);
	}

	if (tookOver) {
		const message = `took over a stale gateway lock (${tookOver.reason}): ${gatewayLockFile(resolved.stateDir)} is this gateway's now`;
		logger.warn(message, {previousPid: tookOver.pid});
		out(message);
	}
}

/**
 * What signals and restart requests ask of the running generation: SIGTERM and SIGINT stop the process, SIGUSR2 and
 * the restart RPC end the generation so that the next one starts on a freshly read config.
 */
class GenerationControl {
	server: GatewayServer | undefined;
	stopRequested = false;
	private restartReason: string | undefined;

	stop(): void {
		if (this.stopRequested) {
			return;
		}

		this.stopRequested = true;
		void this.server?.stop({reason: 'gateway stopping'});
		// Never hang: a clean stop finishes well within this bound.
		setTimeout(() => process.exit(exitCodes.ok), 1900).unref();
	}

	restart(reason: string): void {
		this.restartReason = reason;
		void this.server?.stop({reason, restart: true, restartExpectedMs: 1500});
	}

	/** Why the generation that just stopped should be followed by another, if it should; clears it. */
	takeRestartReason(): string | undefined {
		const reason = this.restartReason;
		this.restartReason = undefined;
		return reason;
	}

	/** Route the process's signals here until the returned function is called. */
	watchSignals(): () => void {
		const onSigterm = () => this.stop();
		const onSigint = () => this.stop();
		const onSigusr2 = () => this.restart('SIGUSR2');
		process.on('SIGTERM', onSigterm);
		process.on('SIGINT', onSigint);
		process.on('SIGUSR2', onSigusr2);
		return () => {
			process.off('SIGTERM', onSigterm);
			process.off('SIGINT', onSigint);
			process.off('SIGUSR2', onSigusr2);
		};
	}
}

/** A server for one generation, on `resolved`'s settings, with its secrets masked in the log from now on. */
function newGeneration(resolved: ResolvedGateway, logging: GatewayLogging, reload: ReloadController, control: GenerationControl): GatewayServer {
	const {logger} = logging;
	logging.redactor.setSecrets('auth', [resolved.auth.token, resolved.auth.password]);
	return new GatewayServer({
		host: resolved.host,
		port: resolved.port,
		bindMode: resolved.bindMode,
		auth: resolved.auth,
		stateDir: resolved.stateDir,
		configPath: resolved.configPath,
		config: resolved.loaded,
		logger,
		services: buildServices({stateDir: resolved.stateDir, configPath: resolved.configPath, logger, logging, reload}),
		onRestartRequested: (reason) => control.restart(reason),
	});
}

/** What the state dir's runtime record says about the listening gateway (read by status, doctor and the console). */
function runtimeRecord(resolved: ResolvedGateway, port: number, startedAt: string): RuntimeRecord {
	return {
		pid: process.pid,
		port,
		host: resolved.host,
		bindMode: resolved.bindMode,
		portSource: resolved.portSource,
		startedAt,
		configPath: resolved.configPath,
		stateDir: resolved.stateDir,
		version: gatewayVersion(),
	};
}

/** Listen; on failure say why (stderr and log) and return the exit code, else undefined. */
async function startServer(
	server: GatewayServer,
	options: GatewayRunOptions,
	resolved: ResolvedGateway,
	logger: GatewayLogger,
	err: (line: string) => void,
): Promise<number | undefined> {
	try {
		await server.start();
		return undefined;
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
}

/** The listening line each generation prints; the first also names the config, its unknown keys and the state dir. */
function announceListening(generation: number, resolved: StartSettings, port: number, out: (line: string) => void, err: (line: string) => void): void {
	out(
		`${generation === 1 ? 'listening' : 'restarted, listening'} on ws://${resolved.host}:${port} (pid ${process.pid}, auth ${resolved.auth.mode}${
			resolved.secretSource ? ` from ${resolved.secretSource}` : ''
		})`,
	);
	if (generation !== 1) {
		return;
	}

	out(`config: ${resolved.configPath}${resolved.loaded.exists ? '' : ' (not present; defaults)'}`);
	// The log has it too, but an operator starting in the foreground reads this screen, not the log.
	const unknownKeys = unknownKeysSummary(unknownConfigKeys(resolved.loaded.config));
	if (unknownKeys) {
		err(`config: ${unknownKeys} (ignored)`);
	}

	out(`state dir: ${resolved.stateDir}`);
}

/** The next generation's settings: the file as it is now if valid, else the last good config (reload says why). */
async function resolveForRestart(
	options: GatewayRunOptions,
	current: StartSettings,
	reload: ReloadController,
	logger: GatewayLogger,
): Promise<StartSettings> {
	try {
		return await resolveGateway(options, reload.loadForRestart());
	} catch (error) {
		// A broken config never takes a running gateway down: restart on the last good one.
		logger.error('config invalid at restart; keeping the last good config', {error: (error as Error).message});
		reload.reportError(`config cannot start the gateway: ${(error as Error).message}; kept the last good config`);
		return current;
	}
}
