// The checks `openclaw doctor` runs. Each returns a verdict, what to do about it, and (when it is safe) a repair.
// Checks only read; repairs are functions the command runs with --fix.
import {chmodSync, readFileSync, rmSync, statSync} from 'node:fs';
import {detachedFiles, definitionDrift} from '../supervisor/service-plan.js';
import type {ServiceController} from '../supervisor/service.js';
import {isAlive, looksLikeGateway, readPidFile} from '../supervisor/service-process.js';
import {tokenFilePath} from '../protocol/config/token-file.js';
import {unknownConfigKeys, unknownKeysSummary} from '../protocol/config/unknown-keys.js';
import type {GatewayTarget} from '../config/target.js';
import {pendingPortNote, type PendingPort} from '../config/target-rules.js';
import {signature} from '../protocol/signatures.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export type CheckResult = {
	id: string;
	verdict: Verdict;
	message: string;
	fix?: string;
	/** Safe automatic repair; resolves with what it did. */
	repair?: () => Promise<string>;
};

export type DoctorInput = {
	target: GatewayTarget;
	/** The port checked: where the profile's gateway runs (its runtime record), else where the config says it will. */
	port: number;
	/** The running gateway is on another port than the config names: a change it has not applied yet. */
	pendingPort?: PendingPort;
	controller?: ServiceController;
	controllerError?: string;
	/** Pids listening on the port, and whether what listens answers as a gateway. */
	listeners: number[];
	listenerIsGateway: boolean;
};

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

function modeOf(file: string): number | undefined {
	try {
		return statSync(file).mode & 0o777;
	} catch {
		return undefined;
	}
}

export function checkConfig({target}: DoctorInput): CheckResult {
	const path = target.paths.configPath;
	if (target.configError) {
		return {id: 'config', verdict: 'fail', message: `config ${path} is invalid: ${target.configError.issues.join('; ')}`, fix: 'fix the named keys in the file'};
	}

	if (!target.config?.exists) {
		return {id: 'config', verdict: 'warn', message: `no config at ${path}`, fix: 'run openclaw setup (or start with --allow-unconfigured)'};
	}

	const mode = target.config.config.gateway?.mode;
	if (mode !== 'local') {
		// The start guard's signature, in the table's words: what `openclaw gateway` and the console say about it.
		const blocked = signature('mode-not-local');
		return {
			id: 'config',
			verdict: 'warn',
			message: `config ${path} is valid but gateway.mode is ${mode ?? 'unset'} (a local gateway will not start)`,
			fix: blocked.fix,
		};
	}

	return {id: 'config', verdict: 'ok', message: `config ${path} is valid (gateway.mode=local)`};
}

/** Keys the gateway ignores: a typo (`gateway.prot`) loads fine and silently keeps the default. None without a valid file. */
export function checkConfigKeys({target}: DoctorInput): CheckResult[] {
	if (target.configError || !target.config?.exists) {
		return [];
	}

	const keys = unknownConfigKeys(target.config.config);
	if (keys.length === 0) {
		return [{id: 'config-keys', verdict: 'ok', message: 'every config key is known'}];
	}

	return [
		{
			id: 'config-keys',
			verdict: 'warn',
			message: `config ${target.paths.configPath} has ${unknownKeysSummary(keys)}; the gateway ignores them`,
			fix: 'rename each to the key it was meant to be, or remove it',
		},
	];
}

function permissionCheck(id: string, file: string, wanted: number, what: string): CheckResult | undefined {
	const mode = modeOf(file);
	if (mode === undefined) {
		return undefined;
	}

	if ((mode & ~wanted & 0o777) === 0) {
		return {id, verdict: 'ok', message: `${what} ${file} has mode ${octal(mode)}`};
	}

	return {
		id,
		verdict: 'warn',
		message: `${what} ${file} has mode ${octal(mode)}; others can read it`,
		fix: `chmod ${octal(wanted).slice(1)} ${file}`,
		async repair() {
			chmodSync(file, wanted);
			return `chmod ${octal(wanted)} ${file}`;
		},
	};
}

export function checkStateDir({target}: DoctorInput): CheckResult {
	const dir = target.paths.stateDir;
	return (
		permissionCheck('state-dir', dir, 0o700, 'state dir') ?? {
			id: 'state-dir',
			verdict: 'warn',
			message: `state dir ${dir} does not exist yet`,
			fix: 'run openclaw setup (the gateway creates it on first start)',
		}
	);
}

export function checkSecretFiles({target}: DoctorInput): CheckResult[] {
	const results: CheckResult[] = [];
	const config = permissionCheck('config-mode', target.paths.configPath, 0o600, 'config file');
	if (config) {
		results.push(config);
	}

	const token = permissionCheck('token-file-mode', tokenFilePath(target.paths.stateDir), 0o600, 'token file');
	if (token) {
		results.push(token);
	}

	return results;
}

export function checkToken({target}: DoctorInput): CheckResult {
	const auth = target.config?.config.gateway?.auth;
	const mode = auth?.mode ?? (auth?.password && !auth.token ? 'password' : 'token');
	if (mode === 'none') {
		return {id: 'token', verdict: 'warn', message: 'gateway.auth.mode is none: every local client is trusted', fix: 'set gateway.auth.mode=token (openclaw setup writes one)'};
	}

	if (mode === 'password') {
		return target.password
			? {id: 'token', verdict: 'ok', message: `password auth; password from ${target.credentialSource}`}
			: {id: 'token', verdict: 'fail', message: 'gateway.auth.mode is password but no password is set', fix: signature('password-not-set').fix};
	}

	if (target.token) {
		return {id: 'token', verdict: 'ok', message: `token auth; clients find the token in ${target.credentialSource === 'token-file' ? tokenFilePath(target.paths.stateDir) : target.credentialSource}`};
	}

	return {
		id: 'token',
		verdict: 'warn',
		message: 'no gateway token configured yet',
		fix: `set gateway.auth.token (openclaw setup), or let the gateway generate ${tokenFilePath(target.paths.stateDir)} on first start`,
	};
}

export function checkServiceDrift({controller, controllerError, target}: DoctorInput): CheckResult {
	if (!controller) {
		return {id: 'service', verdict: 'warn', message: `service manager unavailable: ${controllerError ?? 'unknown'}`};
	}

	const installed = controller.installedDefinition();
	if (!installed) {
		return {id: 'service', verdict: 'ok', message: `${controller.label} not installed (optional: openclaw gateway install)`};
	}

	// Without a readable config the "expected" definition is only defaults: comparing (or rewriting) would be wrong.
	if (target.configError) {
		return {id: 'service', verdict: 'warn', message: `${controller.label} not compared with the config: the config is invalid`, fix: 'fix the config first'};
	}

	const drift = definitionDrift(installed, controller.plan);
	if (drift.length === 0) {
		return {id: 'service', verdict: 'ok', message: `${controller.label} matches the current config (${controller.definitionFile})`};
	}

	return {
		id: 'service',
		verdict: 'warn',
		message: `${controller.label} has drifted from the config: ${drift.map((item) => `${item.key} ${item.installed} -> ${item.expected}`).join('; ')}`,
		fix: 'openclaw gateway install (rewrites the definition and restarts the gateway)',
		async repair() {
			const lines = await controller.install();
			return `rewrote ${controller.definitionFile}; ${lines.at(-1) ?? ''}`.trim();
		},
	};
}

export function checkPort({port, pendingPort, listeners, listenerIsGateway}: DoctorInput): CheckResult {
	if (listeners.length === 0 && !listenerIsGateway) {
		return {id: 'port', verdict: 'ok', message: `port ${port} is free (no gateway running)`};
	}

	if (listenerIsGateway) {
		const pending = pendingPort ? `; ${pendingPortNote(pendingPort)}` : '';
		return {id: 'port', verdict: 'ok', message: `port ${port} is served by a gateway${listeners.length > 0 ? ` (pid ${listeners.join(', ')})` : ''}${pending}`};
	}

	const who = listeners.map((pid) => `${pid} (${commandOf(pid)})`).join(', ');
	return {
		id: 'port',
		verdict: 'fail',
		message: `port ${port} is taken by something that is not a gateway: pid ${who}`,
		fix: `stop that process, or choose another port (gateway.port / --port); openclaw gateway --force frees the port`,
	};
}

function commandOf(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ') || '?';
	} catch {
		return '?';
	}
}

export function checkPidFile({target}: DoctorInput): CheckResult {
	const {pidFile} = detachedFiles(target.paths.stateDir);
	const pid = readPidFile(pidFile);
	if (pid === undefined) {
		return {id: 'pid-file', verdict: 'ok', message: 'no detached pid file'};
	}

	if (looksLikeGateway(pid)) {
		return {id: 'pid-file', verdict: 'ok', message: `pid file ${pidFile}: gateway pid ${pid} is running`};
	}

	return {
		id: 'pid-file',
		verdict: 'warn',
		message: `stale pid file ${pidFile}: pid ${pid} ${isAlive(pid) ? 'is not a gateway' : 'is gone'}`,
		fix: `rm ${pidFile}`,
		async repair() {
			rmSync(pidFile, {force: true});
			return `removed ${pidFile}`;
		},
	};
}

export function runChecks(input: DoctorInput): CheckResult[] {
	return [
		checkConfig(input),
		...checkConfigKeys(input),
		checkStateDir(input),
		...checkSecretFiles(input),
		checkToken(input),
		checkServiceDrift(input),
		checkPort(input),
		checkPidFile(input),
	];
}
