// The gateway as a supervised service, behind one small interface: install, uninstall, start, stop, restart and
// status. systemd (Linux user unit), launchd (macOS LaunchAgent), or, where no service manager answers (containers,
// CI), a detached process with a pid file. The CLI's `gateway install|start|stop|restart|status` and the console use
// this; nothing here prints.
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import type {ResolvedPaths} from '../protocol/config/paths.js';
import {serviceLabel, servicePlan, type DefinitionSummary, type ServiceManagerKind, type ServicePlan} from './service-plan.js';

export type ServiceStatus = {
	manager: ServiceManagerKind;
	label: string;
	installed: boolean;
	running: boolean;
	pid?: number;
	/** The unit / plist / detached definition file. */
	definitionFile: string;
	logFile?: string;
	/** The manager's own words: `active (running)`, `not loaded`, `stale pid file (pid 123 is gone)`. */
	detail: string;
	/** Why this manager was chosen, when it is the fallback. */
	note?: string;
};

export interface ServiceController {
	readonly manager: ServiceManagerKind;
	readonly label: string;
	readonly note?: string;
	/** The plan for the current config (what install writes). */
	readonly plan: ServicePlan;
	readonly definitionFile: string;
	status(): Promise<ServiceStatus>;
	/** The definition as installed, parsed, or undefined when not installed. */
	installedDefinition(): DefinitionSummary | undefined;
	/** Each method resolves with lines saying what was done; throws ServiceError when it could not. */
	install(): Promise<string[]>;
	uninstall(): Promise<string[]>;
	start(): Promise<string[]>;
	stop(): Promise<string[]>;
	restart(): Promise<string[]>;
}

/**
 * Why a lifecycle command failed. `config`: the operator's configuration is what stops it (a broken config file, a
 * port another process holds, a gateway that exits 78 refusing its config or bind); the same command fails the same
 * way until that changes, so the CLI exits 78 (EX_CONFIG, as the gateway itself does). `runtime`: anything else (1).
 */
export type ServiceFailure = 'config' | 'runtime';

export class ServiceError extends Error {
	readonly failure: ServiceFailure;

	constructor(message: string, failure: ServiceFailure = 'runtime') {
		super(message);
		this.name = 'ServiceError';
		this.failure = failure;
	}

	/** 78 for a configuration failure, 1 otherwise (gateway/run.ts exitCodes: the same codes for the same kinds). */
	get exitCode(): 1 | 78 {
		return this.failure === 'config' ? 78 : 1;
	}
}

export type GatewayCredentials = {url: string; token?: string; password?: string};

export type ServiceOptions = {
	paths: ResolvedPaths;
	port: number;
	env?: NodeJS.ProcessEnv;
	/** Force a manager (default: OPENCLAW_SERVICE_MANAGER, else detect). */
	manager?: ServiceManagerKind;
	/** How to reach the running gateway (for the in-process restart RPC). */
	credentials?: GatewayCredentials;
	/** Override bin/openclaw.js (tests). */
	entry?: string;
};

/** bin/openclaw.js of this package, from the compiled (dist/source/supervisor) or source (source/supervisor) location. */
export function packageEntry(): string {
	for (const relative of ['../../../bin/openclaw.js', '../../bin/openclaw.js']) {
		const candidate = fileURLToPath(new URL(relative, import.meta.url));
		if (existsSync(candidate)) {
			return candidate;
		}
	}

	throw new ServiceError('cannot find bin/openclaw.js next to this installation; reinstall the package');
}

export type ManagerChoice = {kind: ServiceManagerKind; note?: string};

/** Which service manager answers here. Cheap checks first: no /run/systemd/system means systemd is not running at all. */
export function detectManager(env: NodeJS.ProcessEnv = process.env, platform = process.platform): ManagerChoice {
	const forced = env.OPENCLAW_SERVICE_MANAGER?.trim();
	if (forced) {
		if (forced !== 'systemd' && forced !== 'launchd' && forced !== 'detached') {
			throw new ServiceError(`OPENCLAW_SERVICE_MANAGER=${forced} is not one of systemd, launchd, detached`, 'config');
		}

		return {kind: forced};
	}

	if (platform === 'darwin') {
		return {kind: 'launchd'};
	}

	if (platform === 'linux') {
		if (!existsSync('/run/systemd/system')) {
			return {kind: 'detached', note: 'systemd is not running here (container or CI?): using a detached process with a pid file'};
		}

		try {
			// child_process on first use: where systemd is not running (this check's usual answer) nothing spawns, and
			// loading it would cost every `gateway status` about 5 ms.
			const {execFileSync} = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
			execFileSync('systemctl', ['--user', 'show-environment'], {stdio: 'ignore', timeout: 3000});
			return {kind: 'systemd'};
		} catch {
			return {kind: 'detached', note: 'systemd user services unavailable (no user bus): using a detached process with a pid file'};
		}
	}

	return {kind: 'detached', note: `no supported service manager on ${platform}: using a detached process with a pid file`};
}

export function planFor(options: ServiceOptions): ServicePlan {
	const env = options.env ?? process.env;
	return servicePlan({
		profile: options.paths.profile,
		stateDir: options.paths.stateDir,
		configPath: options.paths.configPath,
		port: options.port,
		nodePath: process.execPath,
		entry: options.entry ?? packageEntry(),
		home: options.paths.home,
		pathEnv: env.PATH,
	});
}

/** The controller for this host (loaded lazily: a status check never loads the other managers' code). */
export async function serviceController(options: ServiceOptions): Promise<ServiceController> {
	const choice: ManagerChoice = options.manager ? {kind: options.manager} : detectManager(options.env);
	const plan = planFor(options);
	const label = serviceLabel(choice.kind, options.paths.profile);
	switch (choice.kind) {
		case 'systemd': {
			const {SystemdService} = await import('./service-systemd.js');
			return new SystemdService(plan, label, options.env ?? process.env);
		}

		case 'launchd': {
			const {LaunchdService} = await import('./service-launchd.js');
			return new LaunchdService(plan, label, options.env ?? process.env);
		}

		case 'detached': {
			const {DetachedService} = await import('./service-detached.js');
			return new DetachedService(plan, label, {note: choice.note, credentials: options.credentials});
		}
	}
}
