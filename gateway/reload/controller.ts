// Carries out the reload plan (plan.ts) for a gateway process. It lives for the whole process, across in-process
// restarts: each server generation attaches to it when it starts and detaches when it stops, so the reload state
// (mode, pending paths, last result, config error) survives a restart. File edits (watcher.ts) and config.* RPC
// writes feed the same pipeline. A file that turns invalid or disappears is reported and never applied: the
// gateway keeps running on the last good config.
import {events, type ReloadMode} from '../../source/protocol/index.js';
import type {LoadedConfig} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import {unknownConfigKeys, unknownKeysShown, unknownKeysSummary, type UnknownKey} from '../../source/protocol/config/unknown-keys.js';
import type {Logger} from '../logger.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {parseConfigFile, readConfigFile} from './config-file.js';
import {classifyPath, diffConfigPaths, planReload, reloadModeOf, takePaths, type ReloadPlan} from './plan.js';
import {ConfigFileWatcher} from './watcher.js';
import type {ConfigReloadHealth, ReloadEvent, ReloadResult} from '../../source/protocol/methods/config.js';

export type {ConfigReloadHealth, ReloadEvent, ReloadResult};

/** What a server generation gives the controller: where to apply a hot change. */
export type ReloadTarget = {
	gateway: GatewayRuntime;
	services: readonly GatewayService[];
	setConfig?: (config: LoadedConfig) => void;
};

export type ReloadControllerOptions = {
	configPath: string;
	logger: Logger;
	/** The config the first generation starts with. */
	initial: LoadedConfig;
	/** Masks secrets in error texts that reach logs, health and events. */
	redact?: (text: string) => string;
	debounceMs?: number;
	/**
	 * Checks that need the process's start-up settings (the log directory), beyond the schema: `key: problem` lines,
	 * empty when the config is acceptable. A config that fails them is refused like an invalid one.
	 */
	policy?: (config: GatewayConfig) => string[];
};

export class ReloadController {
	private disk: LoadedConfig;
	private runtime: LoadedConfig;
	private target?: ReloadTarget;
	private watcher?: ConfigFileWatcher;
	private pendingPaths: string[] = [];
	private lastReload?: ConfigReloadHealth['lastReload'];
	private configError?: string;
	private brokenHash?: string;
	private restartingFor?: string[];
	private unknownKeys: UnknownKey[];
	private queue: Promise<unknown> = Promise.resolve();
	/** Also where config writes report what the operator should know about the file (formatting lost). */
	readonly logger: Logger;
	private readonly redact: (text: string) => string;

	constructor(private readonly options: ReloadControllerOptions) {
		this.disk = options.initial;
		this.runtime = options.initial;
		this.logger = options.logger.child('gateway/reload');
		this.redact = options.redact ?? ((text) => text);
		this.unknownKeys = this.checkKeys(options.initial);
	}

	get configPath(): string {
		return this.options.configPath;
	}

	get mode(): ReloadMode {
		return reloadModeOf(this.disk.config);
	}

	/** Problems the start-up policy finds in `config` (empty when it may run). */
	policyIssues(config: GatewayConfig): string[] {
		return this.options.policy?.(config) ?? [];
	}

	/** The last valid config read from the file (what a restart would run on). */
	lastGood(): LoadedConfig {
		return this.disk;
	}

	state(): ConfigReloadHealth {
		const state: ConfigReloadHealth = {
			hotReloadStatus: this.mode === 'off' || !this.watcher ? 'disabled' : 'active',
			mode: this.mode,
			watch: this.watcher ? this.watcher.mode : 'off',
			pendingPaths: [...this.pendingPaths],
			appliedConfigHash: this.runtime.hash,
			fileHash: this.disk.hash,
			unknownKeys: this.unknownKeys.slice(0, unknownKeysShown),
		};
		if (this.unknownKeys.length > unknownKeysShown) {
			state.unknownKeysOmitted = this.unknownKeys.length - unknownKeysShown;
		}

		if (this.lastReload) {
			state.lastReload = {...this.lastReload, changedPaths: [...this.lastReload.changedPaths]};
		}

		if (this.configError) {
			state.configError = this.configError;
		}

		return state;
	}

	/** A server generation is up: apply hot changes to it from now on. */
	attach(target: ReloadTarget): void {
		this.target = target;
		this.runtime = target.gateway.config();
		this.pendingPaths = restartRelevant(diffConfigPaths(this.runtime.config, this.disk.config));
		if (this.restartingFor && this.runtime.hash === this.disk.hash) {
			this.lastReload = {ts: Date.now(), result: 'applied', changedPaths: this.restartingFor, restarted: true};
		}

		this.restartingFor = undefined;

		if (!this.watcher) {
			const debounceMs = this.options.debounceMs ?? this.disk.config.gateway?.reload?.debounceMs;
			this.watcher = new ConfigFileWatcher(this.options.configPath, () => void this.check(), {debounceMs});
			const mode = this.watcher.start();
			this.logger.debug('watching config file', {path: this.options.configPath, mode});
		}

		// An edit made while no generation was listening (during a restart) is picked up now.
		void this.check();
	}

	detach(target: GatewayRuntime): void {
		if (this.target?.gateway === target) {
			this.target = undefined;
		}
	}

	stop(): void {
		this.watcher?.stop();
		this.watcher = undefined;
	}

	/** Run config writes and reloads one at a time, so a baseHash check and its write see the same file. */
	serialize<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task, task);
		this.queue = run.catch(() => undefined);
		return run;
	}

	/** The file changed on disk (watcher): read it and reload. */
	async check(): Promise<ReloadEvent | undefined> {
		return this.serialize(async () => this.checkNow());
	}

	private checkNow(): ReloadEvent | undefined {
		const path = this.options.configPath;
		const read = readConfigFile(path);
		switch (read.kind) {
			case 'missing': {
				return this.disk.exists ? this.fail(`config file ${path} is missing (deleted or moved); keeping the last good config`, 'missing') : undefined;
			}

			case 'unreadable': {
				return this.fail(`cannot read config ${path}: ${read.message}; keeping the last good config`, 'unreadable');
			}

			case 'text': {
				return this.checkText(read.raw, read.hash);
			}
		}
	}

	private checkText(raw: string, hash: string): ReloadEvent | undefined {
		const path = this.options.configPath;
		if (raw.trim() === '') {
			// Editors truncate before they write: an empty file is a write in progress (or a mistake), never "no config".
			return this.fail(`config file ${path} is empty; keeping the last good config`, hash);
		}

		if (hash === this.disk.hash && this.disk.exists) {
			// Back to the last good file after a broken one; unless that very file is what failed (reportError).
			if (this.configError && this.brokenHash !== hash) {
				this.configError = undefined;
				this.brokenHash = undefined;
				this.logger.info('config file is valid again (same as the last good one)');
			}

			return undefined;
		}

		if (hash === this.brokenHash) {
			return undefined;
		}

		const parsed = parseConfigFile(path, raw, hash, (config) => this.policyIssues(config));
		if (!parsed.ok) {
			return this.fail(`invalid config ${path}: ${parsed.issues}; keeping the last good config`, hash);
		}

		return this.apply(parsed.loaded, 'file');
	}

	/** A config.* RPC wrote `loaded` to the file: reload at once (call inside `serialize`). */
	afterWrite(loaded: LoadedConfig): ReloadEvent {
		return this.apply(loaded, 'rpc');
	}

	/** For an in-process restart: the file as it is now if valid, else the last good config. */
	loadForRestart(): LoadedConfig {
		this.checkNow();
		return this.disk;
	}

	/** A restart could not use the file (e.g. auth settings that cannot start): report it like a broken file. */
	reportError(message: string): void {
		this.fail(message, this.disk.hash);
	}

	private fail(message: string, brokenKey: string | undefined): ReloadEvent | undefined {
		if (brokenKey !== undefined && brokenKey === this.brokenHash) {
			return undefined;
		}

		this.brokenHash = brokenKey;
		this.configError = this.redact(message);
		this.lastReload = {ts: Date.now(), result: 'error', changedPaths: []};
		this.logger.error('config reload failed', {error: this.configError});
		return this.broadcast({result: 'error', changedPaths: [], error: this.configError});
	}

	/** A valid new file: take it as the last good config, then apply what changed to the running generation, by step. */
	private apply(loaded: LoadedConfig, source: ReloadSource): ReloadEvent {
		const previous = this.disk;
		this.acceptFile(loaded);
		// Planned against what RUNS, not the previous file: changes left pending earlier are applied once they can be.
		const changedPaths = diffConfigPaths(this.runtime.config, loaded.config);
		const plan = planReload(changedPaths, reloadModeOf(loaded.config));
		if (previous.exists && diffConfigPaths(previous.config, loaded.config).length === 0) {
			return this.applyFormattingOnly(loaded, changedPaths, plan);
		}

		if (!this.target) {
			// Between generations: the next one reads the file (loadForRestart) and attach() lists what differs.
			this.pendingPaths = restartRelevant(plan.changedPaths);
			return this.event('pending', changedPaths);
		}

		if (plan.action === 'restart') {
			return this.restartFor(this.target, plan, changedPaths, source);
		}

		return this.applyHot(this.target, loaded, plan, changedPaths, source);
	}

	private acceptFile(loaded: LoadedConfig): void {
		this.disk = loaded;
		this.unknownKeys = this.checkKeys(loaded);
		this.configError = undefined;
		this.brokenHash = undefined;
	}

	/** Comments or formatting only: nothing to apply; the running config takes the new hash if it equals the file. */
	private applyFormattingOnly(loaded: LoadedConfig, changedPaths: string[], plan: ReloadPlan): ReloadEvent {
		if (changedPaths.length === 0) {
			this.runtime = {...this.runtime, raw: loaded.raw, hash: loaded.hash};
			this.target?.setConfig?.(this.runtime);
		}

		return this.broadcast({result: outcome(this.pendingPaths, plan.mode), changedPaths: []});
	}

	private restartFor(target: ReloadTarget, plan: ReloadPlan, changedPaths: string[], source: ReloadSource): ReloadEvent {
		this.pendingPaths = restartRelevant(plan.changedPaths);
		this.restartingFor = changedPaths;
		this.lastReload = {ts: Date.now(), result: 'restarting', changedPaths};
		this.logger.info('config change needs a restart; restarting in-process', {source, mode: plan.mode, changedPaths, restartPaths: plan.restartPaths});
		const event = this.broadcast({result: 'restarting', changedPaths});
		target.gateway.requestRestart(`config change (${plan.restartPaths.concat(plan.hotPaths).slice(0, 5).join(', ')})`);
		return event;
	}

	/** Hot paths go to the running config and its services now; the rest waits for a restart (or mode=off ignores it). */
	private applyHot(target: ReloadTarget, loaded: LoadedConfig, plan: ReloadPlan, changedPaths: string[], source: ReloadSource): ReloadEvent {
		const next: LoadedConfig =
			plan.pendingPaths.length === 0
				? loaded
				: {...this.runtime, config: takePaths(this.runtime.config, loaded.config, plan.applyPaths)};
		this.runtime = next;
		this.pendingPaths = plan.pendingPaths;
		if (plan.applyPaths.length > 0) {
			target.setConfig?.(next);
			this.pushToServices(target.services, next, plan.applyPaths);
			this.logger.info('config change applied', {source, mode: plan.mode, paths: plan.applyPaths});
		}

		if (plan.pendingPaths.length > 0) {
			this.logger.warn(
				plan.mode === 'off' ? 'config change ignored (gateway.reload.mode=off); a restart applies it' : 'config change needs a restart; pending',
				{source, mode: plan.mode, pendingPaths: plan.pendingPaths},
			);
		}

		const result = outcome(plan.pendingPaths, plan.mode);
		this.lastReload = {ts: Date.now(), result, changedPaths};
		return this.broadcast({result, changedPaths});
	}

	/** Each service takes the paths it cares about; one that fails is logged and does not stop the others. */
	private pushToServices(services: readonly GatewayService[], config: LoadedConfig, paths: string[]): void {
		for (const service of services) {
			try {
				void Promise.resolve(service.applyConfig?.(config, paths)).catch((error: unknown) => {
					this.logger.error('service failed to apply config', {service: service.name, error: (error as Error).message});
				});
			} catch (error) {
				this.logger.error('service failed to apply config', {service: service.name, error: (error as Error).message});
			}
		}
	}

	/** The file's unknown keys, warned about in one line: at start and at every reload that reads the file. */
	private checkKeys(loaded: LoadedConfig): UnknownKey[] {
		const keys = unknownConfigKeys(loaded.config);
		if (keys.length > 0) {
			this.logger.warn(`config: ${unknownKeysSummary(keys)}`, {path: this.options.configPath});
		}

		return keys;
	}

	private event(result: ReloadResult, changedPaths: string[]): ReloadEvent {
		return {mode: this.mode, result, changedPaths, pendingPaths: [...this.pendingPaths], hash: this.disk.hash, ts: Date.now()};
	}

	private broadcast(fields: {result: ReloadResult; changedPaths: string[]; error?: string}): ReloadEvent {
		const event: ReloadEvent = {...this.event(fields.result, fields.changedPaths)};
		if (fields.error) {
			event.error = fields.error;
		}

		this.target?.gateway.broadcast(events.configReload, event);
		return event;
	}
}

type ReloadSource = 'file' | 'rpc';

/** Paths worth listing as pending: those a restart would change something for. */
function restartRelevant(paths: string[]): string[] {
	return paths.filter((path) => classifyPath(path) !== 'none');
}

/** How a reload ended, from what is left pending: nothing (applied), or waiting for a restart unless mode=off. */
function outcome(pendingPaths: string[], mode: ReloadMode): ReloadResult {
	return pendingPaths.length === 0 ? 'applied' : mode === 'off' ? 'ignored' : 'pending';
}
