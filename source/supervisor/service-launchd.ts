// The gateway as a macOS LaunchAgent (~/Library/LaunchAgents/ai.openclaw.gateway.plist or ai.openclaw.<profile>),
// controlled with `launchctl` in the user's GUI domain.
import {execFile} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {writeFileAtomic} from '../protocol/config/write.js';
import {parseLaunchdPlist, renderLaunchdPlist} from './service-launchd-plist.js';
import type {DefinitionSummary, ServicePlan} from './service-plan.js';
import {ServiceError, type ServiceController, type ServiceStatus} from './service.js';

const run = promisify(execFile);

export function launchdPlistPath(label: string, home: string): string {
	return path.join(home, 'Library', 'LaunchAgents', `${label}.plist`);
}

export class LaunchdService implements ServiceController {
	readonly manager = 'launchd' as const;
	readonly definitionFile: string;
	private readonly domain = `gui/${process.getuid?.() ?? 501}`;

	constructor(
		readonly plan: ServicePlan,
		readonly label: string,
		_env: NodeJS.ProcessEnv,
	) {
		this.definitionFile = launchdPlistPath(label, plan.env.HOME);
	}

	private async launchctl(...args: string[]): Promise<string> {
		try {
			const {stdout} = await run('launchctl', args, {timeout: 30_000});
			return stdout;
		} catch (error) {
			const stderr = (error as {stderr?: string}).stderr?.trim();
			throw new ServiceError(`launchctl ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
		}
	}

	installedDefinition(): DefinitionSummary | undefined {
		try {
			return parseLaunchdPlist(readFileSync(this.definitionFile, 'utf8'));
		} catch {
			return undefined;
		}
	}

	async status(): Promise<ServiceStatus> {
		const installed = existsSync(this.definitionFile);
		const base = {manager: this.manager, label: this.label, installed, definitionFile: this.definitionFile, logFile: this.plan.logFile};
		if (!installed) {
			return {...base, running: false, detail: 'LaunchAgent not installed. Run: openclaw gateway install'};
		}

		let text: string;
		try {
			text = await this.launchctl('print', `${this.domain}/${this.label}`);
		} catch {
			return {...base, running: false, detail: 'not loaded'};
		}

		const pid = Number(/\bpid = (\d+)/.exec(text)?.[1]) || undefined;
		const state = /\bstate = (\w+)/.exec(text)?.[1] ?? 'unknown';
		return {...base, running: state === 'running', pid, detail: `loaded (${state})`};
	}

	async install(): Promise<string[]> {
		mkdirSync(path.dirname(this.definitionFile), {recursive: true});
		mkdirSync(path.dirname(this.plan.logFile), {recursive: true, mode: 0o700});
		await writeFileAtomic(this.definitionFile, renderLaunchdPlist(this.plan, this.label), {mode: 0o644});
		await this.launchctl('bootout', `${this.domain}/${this.label}`).catch(() => '');
		await this.launchctl('bootstrap', this.domain, this.definitionFile);
		return [`Installed ${this.definitionFile}`, `Loaded ${this.label}.`];
	}

	async uninstall(): Promise<string[]> {
		await this.launchctl('bootout', `${this.domain}/${this.label}`).catch(() => '');
		rmSync(this.definitionFile, {force: true});
		return [`Unloaded and removed ${this.definitionFile}`];
	}

	private requireInstalled(): void {
		if (!existsSync(this.definitionFile)) {
			throw new ServiceError(`${this.label} is not installed: run openclaw gateway install`);
		}
	}

	async start(): Promise<string[]> {
		this.requireInstalled();
		await this.launchctl('bootstrap', this.domain, this.definitionFile).catch(async () => this.launchctl('kickstart', `${this.domain}/${this.label}`));
		return [`Started ${this.label}.`];
	}

	async stop(): Promise<string[]> {
		this.requireInstalled();
		await this.launchctl('bootout', `${this.domain}/${this.label}`);
		return [`Stopped ${this.label}.`];
	}

	async restart(): Promise<string[]> {
		this.requireInstalled();
		await this.launchctl('kickstart', '-k', `${this.domain}/${this.label}`);
		return [`Restarted ${this.label}.`];
	}
}
