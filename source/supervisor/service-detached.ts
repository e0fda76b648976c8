// The fallback supervisor where no service manager answers: `openclaw gateway` spawned detached, its pid in
// <stateDir>/service/gateway.pid and its stdout/stderr in <stateDir>/service/gateway.log. "Installed" means the
// definition (the plan it runs) is recorded in <stateDir>/service/detached.json. Stop is SIGTERM, a grace period,
// then SIGKILL. Restart asks the running gateway for an in-process restart when it can reach it, else stop + start.
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {findListeners} from '../protocol/listeners.js';
import {detachedFiles, type DefinitionSummary, type ServicePlan} from './service-plan.js';
import {ServiceError, type GatewayCredentials, type ServiceController, type ServiceStatus} from './service.js';
import {isAlive, looksLikeGateway, readPidFile, waitForExit, waitForPort} from './service-process.js';

const stopGraceMs = 5000;
const startTimeoutMs = 15_000;

export class DetachedService implements ServiceController {
	readonly manager = 'detached' as const;
	readonly note?: string;
	readonly definitionFile: string;
	private readonly files: ReturnType<typeof detachedFiles>;
	private readonly credentials?: GatewayCredentials;

	constructor(
		readonly plan: ServicePlan,
		readonly label: string,
		options: {note?: string; credentials?: GatewayCredentials} = {},
	) {
		this.note = options.note;
		this.credentials = options.credentials;
		this.files = detachedFiles(plan.stateDir);
		this.definitionFile = this.files.definitionFile;
	}

	installedDefinition(): DefinitionSummary | undefined {
		try {
			const recorded = JSON.parse(readFileSync(this.definitionFile, 'utf8')) as ServicePlan;
			return {programArguments: recorded.programArguments, env: recorded.env, workingDirectory: recorded.workingDirectory};
		} catch {
			return undefined;
		}
	}

	/** The pid of the running gateway we started, if it is still alive and still a gateway. */
	runningPid(): number | undefined {
		const pid = readPidFile(this.files.pidFile);
		return pid !== undefined && looksLikeGateway(pid) ? pid : undefined;
	}

	async status(): Promise<ServiceStatus> {
		const installed = existsSync(this.definitionFile);
		const recorded = readPidFile(this.files.pidFile);
		const pid = this.runningPid();
		let detail: string;
		if (pid !== undefined) {
			detail = `running (pid ${pid})`;
		} else if (recorded !== undefined) {
			detail = `stopped (stale pid file: pid ${recorded} is ${isAlive(recorded) ? 'not a gateway' : 'gone'})`;
		} else {
			detail = installed ? 'stopped' : 'not installed';
		}

		return {
			manager: 'detached',
			label: this.label,
			installed,
			running: pid !== undefined,
			pid,
			definitionFile: this.definitionFile,
			logFile: this.files.logFile,
			detail,
			note: this.note,
		};
	}

	async install(): Promise<string[]> {
		mkdirSync(this.files.dir, {recursive: true, mode: 0o700});
		let previous: string | undefined;
		try {
			previous = readFileSync(this.definitionFile, 'utf8');
		} catch {}

		const definition = `${JSON.stringify(this.plan, null, 2)}\n`;
		writeFileSync(this.definitionFile, definition, {mode: 0o600});
		const lines = [`Installed ${this.label}: ${this.definitionFile}`];
		if (this.note) {
			lines.unshift(`Note: ${this.note}.`);
		}

		const running = this.runningPid();
		try {
			// A changed definition (command line, port, environment) takes a new process: an in-process restart would
			// keep the old process's --port and environment.
			const act = running === undefined ? async () => this.start() : previous === definition ? async () => this.restart() : async () => [...(await this.stop()), ...(await this.start())];
			lines.push(...(await act()));
		} catch (error) {
			// A failed install leaves things as they were: no definition that never ran (status would say "stopped").
			if (previous === undefined) {
				rmSync(this.definitionFile, {force: true});
			} else {
				writeFileSync(this.definitionFile, previous, {mode: 0o600});
			}

			throw error;
		}

		return lines;
	}

	async uninstall(): Promise<string[]> {
		const lines = await this.stop();
		rmSync(this.definitionFile, {force: true});
		lines.push(`Removed ${this.definitionFile}`);
		return lines;
	}

	/** What to run: the recorded definition if installed, else the plan for the current config. */
	private runnable(): {programArguments: string[]; env: Record<string, string>; workingDirectory: string; port: number} {
		try {
			const recorded = JSON.parse(readFileSync(this.definitionFile, 'utf8')) as ServicePlan;
			return recorded;
		} catch {
			return this.plan;
		}
	}

	async start(): Promise<string[]> {
		const running = this.runningPid();
		if (running !== undefined) {
			return [`Gateway already running (pid ${running}, detached).`];
		}

		const run = this.runnable();
		const listeners = findListeners(run.port).filter((pid) => pid !== process.pid);
		if (listeners.length > 0) {
			throw new ServiceError(
				`port ${run.port} is busy (pid ${listeners.join(', ')}; another gateway?): stop it first, or choose another port with --port or gateway.port`,
				'config',
			);
		}

		mkdirSync(this.files.dir, {recursive: true, mode: 0o700});
		const logFd = openSync(this.files.logFile, 'a', 0o600);
		const [command, ...args] = run.programArguments;
		// Loaded here, not at the top: `gateway status` reads this module and never spawns.
		const {spawn} = await import('node:child_process');
		const child = spawn(command, args, {
			detached: true,
			stdio: ['ignore', logFd, logFd],
			cwd: existsSync(run.workingDirectory) ? run.workingDirectory : undefined,
			env: {...process.env, ...run.env},
		});
		closeSync(logFd);
		let exited: number | null | undefined;
		child.once('exit', (code) => {
			exited = code;
		});
		child.once('error', () => {
			exited = -1;
		});
		if (child.pid === undefined) {
			throw new ServiceError(`could not start ${command}: see ${this.files.logFile}`);
		}

		writeFileSync(this.files.pidFile, `${child.pid}\n`, {mode: 0o600});
		const ready = await waitForPort(run.port, startTimeoutMs, () => exited !== undefined);
		child.unref();
		if (!ready) {
			if (exited === undefined) {
				return [`Started gateway (pid ${child.pid}, detached) but port ${run.port} is not accepting yet; see ${this.files.logFile}`];
			}

			rmSync(this.files.pidFile, {force: true});
			// 78 is the gateway saying its configuration stops it (invalid, a refused bind, a busy port under the service).
			throw new ServiceError(`gateway exited with code ${exited} during start-up:\n${this.logTail()}\n(log: ${this.files.logFile})`, exited === 78 ? 'config' : 'runtime');
		}

		return [`Started gateway (pid ${child.pid}, detached) on port ${run.port}. Log: ${this.files.logFile}`];
	}

	private logTail(lines = 5): string {
		try {
			return readFileSync(this.files.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
		} catch {
			return '(no log output)';
		}
	}

	async stop(): Promise<string[]> {
		const recorded = readPidFile(this.files.pidFile);
		const pid = this.runningPid();
		if (pid === undefined) {
			rmSync(this.files.pidFile, {force: true});
			const lines = [recorded === undefined ? 'Gateway service not running (detached).' : `Gateway service not running; removed stale pid file (pid ${recorded}).`];
			// A gateway run in the foreground (or by another supervisor) is not this service's to stop: say where it is.
			const {port} = this.runnable();
			const listeners = findListeners(port).filter((other) => other !== process.pid);
			if (listeners.length > 0) {
				lines.push(`A gateway not started by the service listens on port ${port} (pid ${listeners.join(', ')}): stop it where it runs (Ctrl-C), or kill ${listeners.join(' ')}.`);
			}

			return lines;
		}

		process.kill(pid, 'SIGTERM');
		if (await waitForExit(pid, stopGraceMs)) {
			rmSync(this.files.pidFile, {force: true});
			return [`Stopped gateway (pid ${pid}).`];
		}

		process.kill(pid, 'SIGKILL');
		if (!(await waitForExit(pid, 2000))) {
			throw new ServiceError(`gateway pid ${pid} did not exit after SIGKILL`);
		}

		rmSync(this.files.pidFile, {force: true});
		return [`Stopped gateway (pid ${pid}) with SIGKILL after ${stopGraceMs} ms.`];
	}

	async restart(): Promise<string[]> {
		// Whoever started it (this supervisor or an operator in the foreground), a reachable gateway restarts in place.
		if (this.credentials) {
			const {restartInProcess} = await import('./service-restart-rpc.js');
			const comeback = [this.runnable().port, this.plan.port].map((port) => `ws://127.0.0.1:${port}`);
			const restarted = await restartInProcess(this.credentials, undefined, comeback);
			if (restarted.ok) {
				return [`Restarted gateway in-process (pid ${restarted.pid ?? this.runningPid() ?? '?'}) in ${restarted.ms} ms.`];
			}
		}

		return [...(await this.stop()), ...(await this.start())];
	}
}
