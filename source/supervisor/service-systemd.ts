// The gateway as a systemd user unit (~/.config/systemd/user/openclaw-gateway[-<profile>].service), controlled with
// `systemctl --user`.
import {execFile} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {writeFileAtomic} from '../protocol/config/write.js';
import type {DefinitionSummary, ServicePlan} from './service-plan.js';
import {parseSystemdUnit, renderSystemdUnit} from './service-systemd-unit.js';
import {ServiceError, type ServiceController, type ServiceStatus} from './service.js';

const run = promisify(execFile);

export function systemdUnitPath(label: string, env: NodeJS.ProcessEnv, home: string): string {
	const configHome = env.XDG_CONFIG_HOME?.trim() || path.join(home, '.config');
	return path.join(configHome, 'systemd', 'user', label);
}

export class SystemdService implements ServiceController {
	readonly manager = 'systemd' as const;
	readonly definitionFile: string;

	constructor(
		readonly plan: ServicePlan,
		readonly label: string,
		env: NodeJS.ProcessEnv,
	) {
		this.definitionFile = systemdUnitPath(label, env, plan.env.HOME);
	}

	private async systemctl(...args: string[]): Promise<string> {
		try {
			const {stdout} = await run('systemctl', ['--user', ...args], {timeout: 30_000});
			return stdout;
		} catch (error) {
			const stderr = (error as {stderr?: string}).stderr?.trim();
			throw new ServiceError(`systemctl --user ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
		}
	}

	installedDefinition(): DefinitionSummary | undefined {
		try {
			return parseSystemdUnit(readFileSync(this.definitionFile, 'utf8'));
		} catch {
			return undefined;
		}
	}

	async status(): Promise<ServiceStatus> {
		const installed = existsSync(this.definitionFile);
		const base = {manager: this.manager, label: this.label, installed, definitionFile: this.definitionFile, logFile: undefined};
		if (!installed) {
			return {...base, running: false, detail: 'Service unit not found. Run: openclaw gateway install'};
		}

		const text = await this.systemctl('show', this.label, '-p', 'ActiveState', '-p', 'SubState', '-p', 'MainPID');
		const fields = Object.fromEntries(text.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
		const pid = Number(fields.MainPID) || undefined;
		return {...base, running: fields.ActiveState === 'active', pid, detail: `${fields.ActiveState} (${fields.SubState})`};
	}

	async install(): Promise<string[]> {
		mkdirSync(path.dirname(this.definitionFile), {recursive: true});
		await writeFileAtomic(this.definitionFile, renderSystemdUnit(this.plan), {mode: 0o644});
		await this.systemctl('daemon-reload');
		await this.systemctl('enable', this.label);
		await this.systemctl('restart', this.label);
		return [`Installed ${this.definitionFile}`, `Enabled and started ${this.label}.`];
	}

	async uninstall(): Promise<string[]> {
		if (existsSync(this.definitionFile)) {
			await this.systemctl('disable', '--now', this.label);
		}

		rmSync(this.definitionFile, {force: true});
		await this.systemctl('daemon-reload');
		return [`Stopped and removed ${this.definitionFile}`];
	}

	private requireInstalled(): void {
		if (!existsSync(this.definitionFile)) {
			throw new ServiceError(`${this.label} is not installed: run openclaw gateway install`);
		}
	}

	async start(): Promise<string[]> {
		this.requireInstalled();
		await this.systemctl('start', this.label);
		return [`Started ${this.label}.`];
	}

	async stop(): Promise<string[]> {
		this.requireInstalled();
		await this.systemctl('stop', this.label);
		return [`Stopped ${this.label}.`];
	}

	async restart(): Promise<string[]> {
		this.requireInstalled();
		await this.systemctl('restart', this.label);
		return [`Restarted ${this.label}.`];
	}
}
