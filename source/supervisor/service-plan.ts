// What a supervised gateway runs: the command line, the environment and the files, derived from the resolved
// profile and config. Every service manager (systemd, launchd, detached) renders this same plan, and `doctor`
// compares an installed definition with a fresh plan to find drift.
import path from 'node:path';

export type ServiceManagerKind = 'systemd' | 'launchd' | 'detached';

export type ServicePlanInput = {
	profile?: string;
	stateDir: string;
	configPath: string;
	port: number;
	/** Absolute path of the node binary (process.execPath). */
	nodePath: string;
	/** Absolute path of bin/openclaw.js. */
	entry: string;
	home: string;
	/** PATH for the service (so `ssh` etc. resolve the same way as in the operator's shell). */
	pathEnv?: string;
};

export type ServicePlan = {
	profile?: string;
	stateDir: string;
	configPath: string;
	port: number;
	programArguments: string[];
	env: Record<string, string>;
	workingDirectory: string;
	/** stdout/stderr of the supervised process (the gateway's own JSON log is in <stateDir>/logs). */
	logFile: string;
};

export function systemdUnitName(profile?: string): string {
	return profile ? `openclaw-gateway-${profile}.service` : 'openclaw-gateway.service';
}

export function launchdLabel(profile?: string): string {
	return profile ? `ai.openclaw.${profile}` : 'ai.openclaw.gateway';
}

export function serviceLabel(kind: ServiceManagerKind, profile?: string): string {
	if (kind === 'launchd') {
		return launchdLabel(profile);
	}

	return kind === 'systemd' ? systemdUnitName(profile) : `openclaw-gateway${profile ? `-${profile}` : ''}`;
}

/** Files the detached supervisor keeps in the state dir. */
export function detachedFiles(stateDir: string): {dir: string; pidFile: string; logFile: string; definitionFile: string} {
	const dir = path.join(stateDir, 'service');
	return {
		dir,
		pidFile: path.join(dir, 'gateway.pid'),
		logFile: path.join(dir, 'gateway.log'),
		definitionFile: path.join(dir, 'detached.json'),
	};
}

export function servicePlan(input: ServicePlanInput): ServicePlan {
	const env: Record<string, string> = {
		HOME: input.home,
		OPENCLAW_STATE_DIR: input.stateDir,
		OPENCLAW_CONFIG_PATH: input.configPath,
		OPENCLAW_GATEWAY_PORT: String(input.port),
		OPENCLAW_SERVICE_MARKER: 'openclaw',
		OPENCLAW_SERVICE_KIND: 'gateway',
	};
	if (input.profile) {
		env.OPENCLAW_PROFILE = input.profile;
	}

	if (input.pathEnv) {
		env.PATH = input.pathEnv;
	}

	return {
		profile: input.profile,
		stateDir: input.stateDir,
		configPath: input.configPath,
		port: input.port,
		programArguments: [input.nodePath, input.entry, 'gateway', '--port', String(input.port)],
		env,
		workingDirectory: input.stateDir,
		logFile: detachedFiles(input.stateDir).logFile,
	};
}

export type DefinitionSummary = {programArguments: string[]; env: Record<string, string>; workingDirectory?: string};

export type Drift = {key: string; installed: string; expected: string};

/** What differs between an installed service definition and the plan for the current config. */
export function definitionDrift(installed: DefinitionSummary, plan: ServicePlan): Drift[] {
	const drift: Drift[] = [];
	const installedCommand = installed.programArguments.join(' ');
	const expectedCommand = plan.programArguments.join(' ');
	if (installedCommand !== expectedCommand) {
		drift.push({key: 'command', installed: installedCommand, expected: expectedCommand});
	}

	for (const key of ['OPENCLAW_STATE_DIR', 'OPENCLAW_CONFIG_PATH', 'OPENCLAW_GATEWAY_PORT', 'OPENCLAW_PROFILE']) {
		const have = installed.env[key] ?? '';
		const want = plan.env[key] ?? '';
		if (have !== want) {
			drift.push({key, installed: have || '(unset)', expected: want || '(unset)'});
		}
	}

	if (installed.workingDirectory !== undefined && installed.workingDirectory !== plan.workingDirectory) {
		drift.push({key: 'WorkingDirectory', installed: installed.workingDirectory, expected: plan.workingDirectory});
	}

	return drift;
}
