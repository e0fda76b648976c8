// The Fleet view's side effects: the prober that keeps the rows current, the drill-in (a ConsoleController and store
// for one gateway, attached with that gateway's credentials, an ssh entry through its host's shared connection), and
// the keys that act on the selected gateway from the fleet: R through gateway.restart.request, S through the
// profile's service, m through config.patch with the base hash and a read-back, p a probe now; the add form's entry
// checked and saved in the console's store (then probed at once), x's entry removed from it; doctor --all's audit of
// this host's profiles, read again when one of their gateways starts or stops.
import {EventEmitter} from 'node:events';
import type {Env} from '../../protocol/config/paths.js';
import {terminalSafe} from '../../cli-output/terminal-safe.js';
import type {GatewayClient} from '../../client/index.js';
import {openSession} from '../../commands/command-connect.js';
import {runAllChecks} from '../../commands/doctor-all-checks.js';
import {profileFacts} from '../../commands/doctor-all-facts.js';
import type {ConsoleStore as FleetConsoleStore} from '../../fleet/console-store.js';
import type {FleetEntry, ProfileEntry} from '../../fleet/entry.js';
import {parseEntry} from '../../fleet/fleet-file.js';
import {FleetProber, type FleetProberOptions} from '../../fleet/prober.js';
import {shortReason} from '../../fleet/reasons.js';
import {stateText} from '../../fleet/row.js';
import type {FleetEffect} from '../fleet-intents.js';
import type {FleetStore} from '../fleet-store.js';
import type {ConsoleEffects} from '../hooks/useConsoleInput.js';
import {fleetCollisions} from '../state/fleet-audit.js';
import {formEntry, type FleetForm} from '../state/fleet-form.js';
import {initialConsoleState, type ConsoleAction} from '../state/index.js';
import {notServed, serves} from '../../client/served-methods.js';
import {initialReload, nextMode, reloadModePatch, reloadReducer, writeWarning, type ReloadAction, type ReloadState} from '../state/reload.js';
import {ConsoleStore} from '../store.js';
import {ConsoleController} from './controller.js';
import {readConfig, readReloadCapabilities} from './gateway-reads.js';

/** `label`: the header's name for it, with the way back (`fleet > alpha (profile alpha)  Esc: fleet`). */
export type DrillIn = {name: string; label: string; store: ConsoleStore; effects: ConsoleEffects};

export type FleetControllerOptions = {
	entries: readonly FleetEntry[];
	env: Env;
	store: FleetStore;
	prober?: Partial<FleetProberOptions>;
	/** Poll period of the drilled-in gateway's panes (default: the console's). */
	drillPollMs?: number;
	/** The console's own store, where `a` saves and `x` removes (default: opened in the console's config dir when first needed). */
	consoleStore?: () => Promise<FleetConsoleStore>;
	/** Where relative paths typed in the add form start from (default: the process's cwd). */
	cwd?: string;
	onExit?: (code: number) => void;
};

const adminScopes = ['operator.read', 'operator.write', 'operator.admin'];

/** A profile's gateway that started or stopped is audited again after this (several at once make one audit). */
export const auditDelayMs = 500;

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function foldReload(state: ReloadState, actions: ConsoleAction[]): ReloadState {
	return actions.filter((action): action is ReloadAction => action.type.startsWith('reload/')).reduce(reloadReducer, state);
}

export class FleetController extends EventEmitter<{drill: []}> {
	readonly prober: FleetProber;
	private drilled?: DrillIn & {controller: ConsoleController};
	private stopped = false;
	private consoleStoreLoading?: Promise<FleetConsoleStore>;
	private readonly profileRunning = new Map<string, boolean>();
	private auditTimer?: NodeJS.Timeout;
	private auditing?: Promise<void>;
	private auditAgain = false;

	constructor(private readonly options: FleetControllerOptions) {
		super();
		this.prober = new FleetProber(options.entries, {env: options.env, ...options.prober});
	}

	/** The gateway whose panes are open, if any (the screen shows them instead of the fleet). */
	drill = (): DrillIn | undefined => this.drilled;

	subscribeDrill = (listener: () => void): (() => void) => {
		this.on('drill', listener);
		return () => this.off('drill', listener);
	};

	start(): void {
		this.prober.on('row', (row) => {
			this.options.store.queueRow(row);
			this.noteProfileState(row.name, row.state === 'running');
		});
		this.prober.start();
		void this.audit();
	}

	/**
	 * doctor --all's checklist over this host's profiles, shown above the table. Read at start and again when a
	 * profile's gateway starts or stops (its running port and config count), never on a probe tick: a fleet of 100
	 * gateways probes 20 a second, and the audit reads every profile's config.
	 */
	async audit(): Promise<void> {
		if (this.auditing) {
			this.auditAgain = true;
			return this.auditing;
		}

		const profiles = this.options.entries.filter((entry): entry is ProfileEntry => entry.kind === 'profile');
		this.auditing = (async () => {
			try {
				const facts = await profileFacts(this.options.env, profiles);
				if (!this.stopped) {
					this.options.store.dispatch({type: 'fleet/audit', collisions: fleetCollisions(runAllChecks(facts))});
				}
			} catch (error) {
				this.flash(`cannot check this host's profiles (openclaw doctor --all): ${errorText(error)}`, 'warn');
			}
		})();
		await this.auditing;
		this.auditing = undefined;
		if (this.auditAgain && !this.stopped) {
			this.auditAgain = false;
			await this.audit();
		}
	}

	private noteProfileState(name: string, running: boolean): void {
		if (this.prober.entry(name)?.kind !== 'profile') {
			return;
		}

		const before = this.profileRunning.get(name);
		this.profileRunning.set(name, running);
		if (before !== undefined && before !== running) {
			clearTimeout(this.auditTimer);
			this.auditTimer = setTimeout(() => {
				void this.audit();
			}, auditDelayMs);
			this.auditTimer.unref();
		}
	}

	private flash(text: string, tone: 'ok' | 'warn' | 'error' | 'muted' = 'muted'): void {
		this.options.store.dispatch({type: 'fleet/flash', text: terminalSafe(text), tone, at: Date.now()});
	}

	run(effect: FleetEffect): void {
		switch (effect.kind) {
			case 'quit':
				void this.quit();
				break;
			case 'open':
				void this.open(effect.name);
				break;
			case 'probe':
				void this.probe(effect.name);
				break;
			case 'restart':
				void this.withAdmin(effect.name, 'R', async (client) => this.restart(effect.name, client));
				break;
			case 'cycleReload':
				void this.withAdmin(effect.name, 'm', async (client) => this.cycleReload(effect.name, client));
				break;
			case 'stop':
			case 'start':
				void this.stopStart(effect.name, effect.kind);
				break;
			case 'add':
				void this.add(effect.form);
				break;
			case 'remove':
				void this.remove(effect.name);
				break;
			default:
				break;
		}
	}

	/** Enter: the four panes of one gateway, attached with its credentials as the prober dials it now. */
	private async open(name: string): Promise<void> {
		if (this.drilled) {
			return;
		}

		let target;
		try {
			target = await this.prober.dialFor(name);
		} catch (error) {
			this.flash(`${name}: cannot open: ${errorText(error)}`, 'error');
			return;
		}

		const {size} = this.options.store.getSnapshot();
		const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: target.url, size}));
		const controller = new ConsoleController({
			store,
			url: target.url,
			token: target.token,
			password: target.password,
			pollMs: this.options.drillPollMs,
			onExit: () => {},
		});
		const effects: ConsoleEffects = {
			run: (effect) => {
				if (effect === 'back') {
					void this.back();
				} else if (effect === 'quit') {
					void this.quit();
				} else {
					controller.run(effect);
				}
			},
		};
		const where = this.options.store.getSnapshot().rows.find((row) => row.name === name)?.where ?? target.url;
		this.drilled = {name, label: terminalSafe(`fleet › ${name} (${where})  Esc: fleet`), store, effects, controller};
		void controller.start();
		this.emit('drill');
	}

	/** Esc in a gateway's panes: its connection closed, its store dropped, the fleet shown again with that row fresh. */
	private async back(): Promise<void> {
		const drilled = this.drilled;
		if (!drilled) {
			return;
		}

		this.drilled = undefined;
		this.options.store.dispatch({type: 'fleet/select', name: drilled.name});
		this.emit('drill');
		await drilled.controller.shutdown();
		drilled.store.dispose();
		void this.prober.probe(drilled.name);
	}

	private async probe(name: string): Promise<void> {
		const row = await this.prober.probe(name);
		if (!row) {
			return;
		}

		// The row shows the figure the flash quotes, not the one of the last batch.
		this.options.store.flushRows();

		this.flash(row.state === 'running' ? `${name}: probe ok in ${row.latencyMs} ms` : `${name}: ${stateText(row)}`, row.state === 'running' ? 'ok' : 'warn');
	}

	/** One short session with the scopes R and m need (the prober's own link only reads). */
	private async withAdmin(name: string, key: string, act: (client: GatewayClient) => Promise<void>): Promise<void> {
		let client: GatewayClient | undefined;
		try {
			const target = await this.prober.dialFor(name);
			client = (await openSession(target, {timeoutMs: 10_000, scopes: adminScopes, displayName: 'openclaw console (fleet)'})).client;
		} catch (error) {
			this.flash(`${key} on ${name}: ${shortReason(error)}`, 'error');
			return;
		}

		try {
			await act(client);
		} catch (error) {
			this.flash(`${key} on ${name} failed: ${errorText(error)}`, 'error');
		} finally {
			client.removeAllListeners();
			await client.close();
		}
	}

	private async restart(name: string, client: GatewayClient): Promise<void> {
		if (!serves(client, 'gateway.restart.request')) {
			this.flash(`R unavailable on ${name}: ${notServed('gateway.restart.request')}`, 'warn');
			return;
		}

		await client.request('gateway.restart.request', {reason: 'openclaw console (fleet)'});
		this.flash(`${name}: restart requested`, 'ok');
	}

	/** As the panes' m does: a fresh base hash, the next mode the gateway allows, then the file read back. */
	private async cycleReload(name: string, client: GatewayClient): Promise<void> {
		if (!serves(client, 'config.patch')) {
			this.flash(`m unavailable on ${name}: ${notServed('config.patch')}`, 'warn');
			return;
		}

		const before = foldReload(initialReload, [...(await readReloadCapabilities(client)), ...(await readConfig(client))]);
		const mode = nextMode(before);
		let said: string | undefined;
		let warning: string | undefined;
		try {
			const result = await client.request('config.patch', {raw: reloadModePatch(mode), baseHash: before.hash});
			warning = writeWarning(result);
		} catch (error) {
			said = errorText(error);
		}

		const after = foldReload(before, await readConfig(client));
		if (after.mode === mode) {
			this.flash(`${name}: reload mode ${before.mode ?? '?'} -> ${mode} (read back)${warning ? `; ${warning}` : ''}`, warning ? 'warn' : 'ok');
		} else {
			this.flash(`${name}: reload mode still ${after.mode ?? '?'}${said ? `: ${said}` : ''}`, 'error');
		}

		void this.prober.probe(name);
	}

	/** S: a profile of this host through its service, as `openclaw --profile NAME gateway start|stop` does. */
	private async stopStart(name: string, action: 'stop' | 'start'): Promise<void> {
		const entry = this.prober.entry(name);
		if (entry?.kind !== 'profile') {
			this.flash(`S on ${name}: only this host's profiles can be started or stopped here`, 'warn');
			return;
		}

		this.flash(`${name}: ${action === 'stop' ? 'stopping' : 'starting'}...`, 'muted');
		try {
			const {profileService} = await import('../../fleet/profile-service.js');
			const service = await profileService(entry, this.options.env);
			const lines = action === 'stop' ? await service.stop() : await service.start();
			this.flash(`${name}: ${lines.join('; ') || `${action} done`}`, 'ok');
		} catch (error) {
			this.flash(`S on ${name}: ${errorText(error)}`, 'error');
		}

		void this.prober.probe(name);
	}

	private async consoleStore(): Promise<FleetConsoleStore> {
		this.consoleStoreLoading ??= this.options.consoleStore
			? this.options.consoleStore()
			: import('../../fleet/console-store.js').then(({ConsoleStore: Store}) => new Store(this.options.env));
		return this.consoleStoreLoading;
	}

	/** Enter in the add form: the fleet file's checks, shown under their fields; else saved, shown and probed now. */
	private async add(form: FleetForm): Promise<void> {
		const {store} = this.options;
		const taken = Object.fromEntries(store.getSnapshot().rows.map((row) => [row.name, row.where]));
		const checked = formEntry(form, {env: this.options.env, cwd: this.options.cwd ?? process.cwd(), taken});
		if ('errors' in checked) {
			store.dispatch({type: 'fleet/form', action: {type: 'form/errors', errors: checked.errors}});
			return;
		}

		let entry;
		try {
			const consoleStore = await this.consoleStore();
			consoleStore.addGateway(checked.entry);
			const origin = {source: 'console' as const, path: consoleStore.path};
			entry = parseEntry(checked.entry, 'gateway', origin, this.options.env).entry!;
		} catch (error) {
			this.flash(`cannot add ${checked.entry.name}: ${errorText(error)}`, 'error');
			return;
		}

		const row = this.prober.add(entry);
		store.dispatch({type: 'fleet/formClose'});
		store.dispatch({type: 'fleet/added', row, kind: entry.kind, origin: entry.origin});
		this.flash(`${entry.name}: added to ${entry.origin.path ?? "the console's store"}`, 'ok');
	}

	/** x, confirmed: out of the console's store first (a failed write leaves the row, and says why), then off the screen. */
	private async remove(name: string): Promise<void> {
		try {
			const consoleStore = await this.consoleStore();
			if (!consoleStore.removeGateway(name)) {
				this.flash(`${name} is not in ${consoleStore.path}: nothing removed`, 'warn');
				return;
			}
		} catch (error) {
			this.flash(`cannot remove ${name}: ${errorText(error)}`, 'error');
			return;
		}

		this.options.store.dispatch({type: 'fleet/removed', name});
		this.flash(`${name}: removed from the console's store`, 'ok');
		await this.prober.remove(name);
	}

	async quit(): Promise<void> {
		if (this.stopped) {
			return;
		}

		this.stopped = true;
		clearTimeout(this.auditTimer);
		const drilled = this.drilled;
		this.drilled = undefined;
		await Promise.allSettled([drilled?.controller.shutdown(), this.prober.stop()]);
		drilled?.store.dispose();
		this.options.onExit?.(0);
	}
}
