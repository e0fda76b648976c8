// The console's side effects, in one place: the child gateway (local mode) or the SSH tunnel, the GatewayClient,
// polling (status, health latency, channels), the log follower, and the operator's effects (restart, stop/start,
// probe, reload mode, quit). It only dispatches facts into the store; the view reads them from there.
import path from 'node:path';
import {GatewayClient, GatewayConnectError, type ClientState} from '../../client/index.js';
import {isRecord, type EventFrame} from '../../protocol/index.js';
import {detailCode, diagnosisSentence, signature, type SignatureId} from '../../protocol/signatures.js';
import type {LocalGateway, LocalGatewayState} from '../../supervisor/local-gateway.js';
import type {SshTunnel, SshTunnelState} from '../../supervisor/ssh-tunnel.js';
import type {Effect} from '../intents.js';
import type {ConsoleAction} from '../state/index.js';
import {helloAction} from '../state/connection.js';
import {LogIngest} from '../state/log-ingest.js';
import type {LogLevel, LogSource} from '../state/log-line.js';
import {isConflictError, nextMode, reloadModePatch, writeWarning} from '../state/reload.js';
import type {ConsoleStore} from '../store.js';
import {notServed, serves} from '../../client/served-methods.js';
import {probeHealth, readChannels, readConfig, readReloadCapabilities, readSessions, readStatus, subscribeSessions} from './gateway-reads.js';
import {LogFollower} from './log-follower.js';
import {savedLogsDir} from '../../fleet/config-dir.js';
import {writeFileAtomic} from '../../protocol/config/write.js';
import {logExportName, logExportText} from '../state/log-export.js';

export type ControllerOptions = {
	store: ConsoleStore;
	/** Local mode: the child gateway to run. */
	local?: LocalGateway;
	/** SSH mode: the tunnel to open first. */
	tunnel?: SshTunnel;
	/** Attach mode (and SSH before the tunnel is known): where and with what credentials. */
	url?: string;
	token?: string;
	password?: string;
	/**
	 * Attach/SSH mode: the credentials as they are now where they came from (the profile's config or token file), read
	 * again after the gateway refused the ones held. Absent when they were given explicitly (flag or env).
	 */
	rereadCredentials?: () => {token?: string; password?: string};
	/** When the attached gateway is run by a service manager: restart through it instead of the RPC. */
	serviceRestart?: (status: {pid?: number}) => Promise<(() => Promise<unknown>) | undefined>;
	pollMs?: number;
	channelProbeMs?: number;
	restartTimeoutMs?: number;
	/** Called once everything is stopped after a quit. */
	onExit?: (code: number) => void;
	/** Where `Ctrl-S` saves the Logs view (default: savedLogsDir of the environment). */
	savedLogsDir?: string;
};

const scopes = ['operator.read', 'operator.write', 'operator.admin'];

/**
 * Retrying refused credentials: at once when re-reading them found new ones, else slowly. The gateway may come back
 * with the held ones (restarted, its config fixed), but each refused attempt is a failure it counts against us.
 */
const authRetryDelaysMs = [2000, 5000, 10_000, 30_000];

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export class ConsoleController {
	private client?: GatewayClient;
	/** Records come twice only in local mode: the child's stdout and the log file carry the same ones. */
	private readonly ingest: LogIngest;
	private follower?: LogFollower;
	private pollTimer?: NodeJS.Timeout;
	/** A sessions re-read after `sessions.changed`, pending: a burst of events (a turn's start and end) costs one. */
	private sessionsTimer?: NodeJS.Timeout;
	private sessionsReading = false;
	private sessionsAgain = false;
	private lastChannelProbe = 0;
	private restartTimer?: NodeJS.Timeout;
	private serviceRestarter?: () => Promise<unknown>;
	private serviceCheckedPid?: number;
	private stopped = false;
	private lastPid?: number;
	private authRetryTimer?: NodeJS.Timeout;
	private authFailures = 0;
	/** Attach/SSH credentials as last read (they start as given and change only through rereadCredentials). */
	private attachCredentials: {token?: string; password?: string};
	/** The diagnosis last written to the Logs pane: said once while it lasts, not at every sighting. */
	private saidDiagnosis?: SignatureId;
	private unsubscribe?: () => void;

	constructor(private readonly options: ControllerOptions) {
		this.ingest = new LogIngest({dedupe: options.local !== undefined});
		this.attachCredentials = {token: options.token, password: options.password};
	}

	private get store(): ConsoleStore {
		return this.options.store;
	}

	private flash(text: string, tone: 'ok' | 'warn' | 'error' | 'muted' = 'muted', options: {untilHello?: boolean} = {}): void {
		this.store.dispatch({type: 'ui/flash', text, tone, at: Date.now(), ...options});
	}

	private log(text: string, source: LogSource, ts = Date.now(), level?: LogLevel): void {
		const line = this.ingest.accept(text, source);
		if (line) {
			// Plain lines (the child's own messages, ours) get their arrival time, so the time column has no holes.
			const timed = line.time ? line : {...line, time: new Date(ts).toISOString()};
			this.store.appendLog(level ? {...timed, level} : timed);
		}
	}

	/** The console's own words, with a level: a crash said at `error` must not vanish under the `warn` filter. */
	private say(text: string, level: LogLevel): void {
		this.log(text, 'console', Date.now(), level);
	}

	/** The whole diagnosis (what it means, the fix) goes to the Logs pane, which has the width the Runtime line lacks. */
	private sayDiagnosis(): void {
		const current = this.store.getSnapshot().diagnosis.current;
		if (current?.id === this.saidDiagnosis) {
			return;
		}

		this.saidDiagnosis = current?.id;
		if (current) {
			const known = signature(current.id);
			const key = known.key && this.options.local ? ` ${known.key.afterFix ? 'Then, in this console' : 'In this console'}: ${known.key.key} to ${known.key.does}.` : '';
			this.say(`diagnosis: ${diagnosisSentence(known)}${key}`, 'error');
		}
	}

	/** Start whatever the mode needs; failures show in the panes, they never throw. */
	async start(): Promise<void> {
		this.unsubscribe = this.store.subscribe(() => {
			this.sayDiagnosis();
		});
		const {local, tunnel} = this.options;
		if (local) {
			local.on('state', (state) => {
				this.onSupervisorState(state);
			});
			local.on('line', ({stream, text, ts}) => {
				this.log(text, stream, ts);
			});
			try {
				await local.start();
			} catch (error) {
				this.say(`gateway failed to start: ${errorText(error)}`, 'error');
			}

			return;
		}

		if (tunnel) {
			tunnel.on('state', (state) => {
				this.onTunnelState(state);
			});
			tunnel.on('line', ({text}) => {
				this.say(`ssh: ${text}`, 'warn');
			});
			try {
				const {localPort} = await tunnel.start();
				this.connect(`ws://127.0.0.1:${localPort}`);
			} catch (error) {
				this.say(`ssh tunnel failed: ${errorText(error)}`, 'error');
			}

			return;
		}

		if (this.options.url) {
			this.connect(this.options.url);
		}
	}

	private onSupervisorState(state: LocalGatewayState): void {
		this.store.dispatch({
			type: 'runtime/supervisor',
			state: {...state, port: state.port ?? 0, exitCode: state.exitCode, signal: state.signal},
			at: Date.now(),
		});
		if (state.status === 'crashed' || state.status === 'failed') {
			this.say(`gateway ${state.status}${state.lastError ? `: ${state.lastError}` : ''}`, 'error');
		}

		// A new process: connect to it now rather than waiting for the old client's backoff.
		if (state.status === 'running' && state.pid !== undefined && state.pid !== this.lastPid && !this.stopped) {
			this.lastPid = state.pid;
			const url = this.options.local?.url;
			if (url) {
				this.connect(url);
			}
		}
	}

	private onTunnelState(state: SshTunnelState): void {
		this.store.dispatch({
			type: 'tunnel/state',
			status: state.status,
			localPort: state.localPort,
			error: state.error ?? state.warning,
			retryInMs: state.retryInMs,
			attempt: state.attempt,
			at: Date.now(),
		});
	}

	private credentials(): {token?: string; password?: string} {
		const {local} = this.options;
		if (local) {
			return {token: local.token, password: local.password};
		}

		return this.attachCredentials;
	}

	/** Read the credentials again from where they came from; says whether they changed. */
	private rereadCredentials(): boolean {
		const {local} = this.options;
		if (local) {
			return local.rereadCredentials();
		}

		let fresh: {token?: string; password?: string} | undefined;
		try {
			fresh = this.options.rereadCredentials?.();
		} catch {
			return false; // the profile's config is broken meanwhile: keep the credentials held
		}

		if (!fresh || (fresh.token === this.attachCredentials.token && fresh.password === this.attachCredentials.password)) {
			return false;
		}

		this.attachCredentials = {token: fresh.token, password: fresh.password};
		return true;
	}

	/** After a refusal: re-read the credentials and try again (at once when they changed), with the wait on screen. */
	private scheduleAuthRetry(error?: string, errorCode?: string): void {
		const url = this.client?.url;
		if (this.stopped || !url) {
			return;
		}

		const changed = this.rereadCredentials();
		const delayMs = changed ? 0 : authRetryDelaysMs[Math.min(this.authFailures, authRetryDelaysMs.length - 1)]!;
		this.authFailures++;
		if (changed) {
			this.say('the gateway refused the credentials held; read them again and found new ones: reconnecting', 'warn');
		}

		this.store.dispatch({type: 'connection/state', status: 'auth-failed', attempt: this.authFailures, retryInMs: delayMs, error, errorCode, at: Date.now()});
		clearTimeout(this.authRetryTimer);
		this.authRetryTimer = setTimeout(() => {
			if (!this.stopped && this.client?.url === url && this.client.state === 'auth-failed') {
				this.connect(url);
			}
		}, delayMs);
		this.authRetryTimer.unref();
	}

	/** `r`: connect again now, with the credentials read afresh (a changed token, a gateway that came back). */
	private reconnectNow(): void {
		const {tunnel} = this.options;
		// A tunnel that is down is opened now rather than at its next retry; one that gave up (a refused key, a host
		// that stayed away) is not reopened on its own at all: `r` is the way out.
		if (tunnel && tunnel.state.status !== 'open' && !this.stopped) {
			this.flash('reopening the ssh tunnel', 'muted');
			tunnel.start().then(
				({localPort}) => {
					if (!this.stopped) {
						this.connect(`ws://127.0.0.1:${localPort}`);
					}
				},
				(error: unknown) => {
					this.say(`ssh tunnel failed: ${errorText(error)}`, 'error');
				},
			);
			return;
		}

		const url = this.client?.url ?? this.options.local?.url ?? this.options.url;
		if (!url) {
			this.flash('nothing to reconnect to yet', 'warn');
			return;
		}

		clearTimeout(this.authRetryTimer);
		this.authFailures = 0;
		const changed = this.rereadCredentials();
		this.flash(changed ? 'reconnecting with the credentials read again (they changed)' : 'reconnecting', 'muted');
		this.connect(url);
	}

	/** (Re)create the client for `url`, dropping the previous one. */
	private connect(url: string): void {
		const old = this.client;
		if (old) {
			old.removeAllListeners();
			void old.close();
		}

		this.store.dispatch({type: 'connection/url', url});
		const client = new GatewayClient({
			url,
			...this.credentials(),
			clientId: 'cli',
			clientMode: 'cli',
			displayName: 'openclaw console',
			scopes,
			reconnect: {initialMs: 500, maxMs: 5000},
			keepaliveMs: 10_000,
			connectTimeoutMs: 10_000,
			requestTimeoutMs: 15_000,
		});
		this.client = client;
		client.on('state', (status, info) => {
			this.onClientState(status, info);
		});
		client.on('hello', (hello) => {
			this.store.dispatch(helloAction(hello, Date.now()));
		});
		client.on('event', (frame) => {
			this.onEvent(frame);
		});
		client.on('shutdown', (payload) => {
			this.store.dispatch({type: 'runtime/shutdown', reason: payload.reason, restartExpectedMs: payload.restartExpectedMs, at: Date.now()});
			this.flash(`gateway: ${payload.reason}${payload.restartExpectedMs ? ' (restarting)' : ''}`, 'warn', {untilHello: true});
		});
		client.on('resync', () => {
			void this.refresh();
		});
		this.follower?.stop();
		this.follower = new LogFollower({
			request: async (params) => client.request('logs.tail', params),
			onLines: (lines) => {
				for (const line of lines) {
					this.log(line, 'file');
				}
			},
			onNotice: (text) => {
				this.say(text, 'warn');
			},
		});
		client.start();
	}

	private onClientState(status: ClientState, info: {attempt: number; retryInMs?: number; error?: Error}): void {
		// Through an open tunnel, "not reachable" is about the remote host's port, not ssh's local end of it.
		const error = this.options.tunnel?.explainConnectFailure(info.error) ?? info.error?.message;
		const errorCode = info.error instanceof GatewayConnectError ? detailCode(info.error.detail?.error) : undefined;
		this.store.dispatch({type: 'connection/state', status, attempt: info.attempt, retryInMs: info.retryInMs, error, errorCode, at: Date.now()});
		if (status === 'connected') {
			this.authFailures = 0;
			clearTimeout(this.authRetryTimer);
			if (this.client && serves(this.client, 'logs.tail')) {
				this.follower?.start();
			} else {
				this.say(`${notServed('logs.tail')}: only this console's own lines show here`, 'warn');
			}

			void this.refresh({config: true, channelsProbe: false});
			void this.readCapabilities();
			void this.subscribeSessions();
			this.schedulePoll();
		} else {
			this.follower?.stop();
			this.store.dispatch({type: 'runtime/restartDown'});
			if (status === 'auth-failed') {
				this.scheduleAuthRetry(error, errorCode);
			}
		}
	}

	private onEvent(frame: EventFrame): void {
		switch (frame.event) {
			case 'logs.appended':
				this.follower?.poke(isRecord(frame.payload) && typeof frame.payload.size === 'number' ? frame.payload.size : undefined);
				break;
			case 'config.reload':
				this.store.dispatch({type: 'reload/event', payload: frame.payload, at: Date.now()});
				void this.fetchConfig();
				break;
			case 'sessions.changed':
				this.sessionsChanged();
				break;
			case 'health':
				if (isRecord(frame.payload) && isRecord(frame.payload.configReload)) {
					this.store.dispatch({type: 'reload/health', payload: frame.payload.configReload, at: Date.now()});
				}

				break;
			default:
				break;
		}
	}

	private schedulePoll(): void {
		clearTimeout(this.pollTimer);
		if (this.stopped) {
			return;
		}

		this.pollTimer = setTimeout(() => {
			const probeChannels = Date.now() - this.lastChannelProbe >= (this.options.channelProbeMs ?? 30_000);
			void this.refresh({channelsProbe: probeChannels}).finally(() => {
				this.schedulePoll();
			});
		}, this.options.pollMs ?? 10_000);
		this.pollTimer.unref();
	}

	/** Health (timed: the RPC probe), status, channels, and optionally the config, read together, each shown as it answers. */
	private async refresh(options: {config?: boolean; channelsProbe?: boolean} = {}): Promise<void> {
		const client = this.client;
		if (!client || client.state !== 'connected') {
			return;
		}

		if (options.channelsProbe) {
			this.lastChannelProbe = Date.now();
		}

		const tasks: Array<Promise<ConsoleAction[]>> = [probeHealth(client), readStatus(client), readChannels(client, options.channelsProbe === true)];
		if (options.config) {
			tasks.push(readConfig(client));
		}

		// Each read lands as it answers: a slow one must not hold what the others already know (OpenClaw's first
		// config.get after a start took 2 s on a loaded machine, so a restart's "in-process, pid N" waited on it).
		await Promise.all(
			tasks.map(async (task) => {
				const actions = await task;
				if (this.client === client) {
					this.store.dispatchAll(actions);
					this.settleRestartTimer();
				}
			}),
		);

		const pid = this.store.getSnapshot().runtime.status?.pid;
		// Asked once per gateway process: whether a service manager runs it does not change while it lives.
		if (!this.options.local && this.options.serviceRestart && pid !== undefined && pid !== this.serviceCheckedPid) {
			this.serviceCheckedPid = pid;
			this.serviceRestarter = await this.options.serviceRestart({pid}).catch(() => undefined);
		}
	}

	/** Subscribed, the sessions line follows `sessions.changed` within a fraction of a second; else the poll's summary. */
	private async subscribeSessions(): Promise<void> {
		const client = this.client;
		if (client?.state === 'connected') {
			await subscribeSessions(client);
		}
	}

	/** One re-read at a time: events during a read (OpenClaw sends several per turn) cost one more read after it. */
	private sessionsChanged(): void {
		if (this.sessionsReading) {
			this.sessionsAgain = true;
			return;
		}

		this.sessionsTimer ??= setTimeout(() => {
			this.sessionsTimer = undefined;
			void this.rereadSessions();
		}, 200);
		this.sessionsTimer.unref();
	}

	private async rereadSessions(): Promise<void> {
		const client = this.client;
		if (client?.state !== 'connected' || this.stopped) {
			return;
		}

		this.sessionsReading = true;
		this.sessionsAgain = false;
		try {
			const actions = await readSessions(client);
			if (this.client === client) {
				this.store.dispatchAll(actions);
			}
		} finally {
			this.sessionsReading = false;
		}

		if (this.sessionsAgain) {
			this.sessionsChanged();
		}
	}

	private async readCapabilities(): Promise<void> {
		const client = this.client;
		if (client?.state === 'connected') {
			const actions = await readReloadCapabilities(client);
			if (this.client === client) {
				this.store.dispatchAll(actions);
			}
		}
	}

	private async fetchConfig(): Promise<void> {
		const client = this.client;
		if (client?.state === 'connected') {
			this.store.dispatchAll(await readConfig(client));
		}
	}

	/** Run an effect the operator asked for (from the keymap or a confirmed question). */
	run(effect: Effect): void {
		switch (effect) {
			case 'restart':
				void this.restart();
				break;
			case 'stop':
				void this.options.local?.stop().catch((error: unknown) => {
					this.flash(`stop failed: ${errorText(error)}`, 'error');
				});
				break;
			case 'forceStart':
				this.lastPid = undefined;
				void this.forceStart();
				break;
			case 'start':
				this.lastPid = undefined;
				void this.options.local?.start().catch((error: unknown) => {
					this.flash(`start failed: ${errorText(error)}`, 'error');
				});
				break;
			case 'probe':
				void this.probeNow();
				break;
			case 'reconnect':
				this.reconnectNow();
				break;
			case 'cycleReload':
				void this.cycleReloadMode();
				break;
			case 'saveLogs':
				void this.saveLogs();
				break;
			case 'quit':
				void this.quit();
				break;
			default:
				break;
		}
	}

	/** The busy-port fix the operator confirmed: whatever start or restart is pending is dropped, then --force. */
	private async forceStart(): Promise<void> {
		const {local} = this.options;
		if (!local) {
			return;
		}

		try {
			await local.stop();
			await local.start({force: true});
		} catch (error) {
			this.flash(`start failed: ${errorText(error)}`, 'error');
		}
	}

	private async probeNow(): Promise<void> {
		const client = this.client;
		if (!client || client.state !== 'connected') {
			this.flash('not connected: nothing to probe', 'warn');
			return;
		}

		this.store.dispatch({type: 'runtime/probeStart'});
		await this.refresh({channelsProbe: true});
		// The pane shows the median of recent probes; the probe the operator asked for gets its own figure.
		const {probe} = this.store.getSnapshot().runtime;
		if (probe?.ok && probe.latencyMs !== undefined) {
			this.flash(`probe ok in ${probe.latencyMs} ms`, 'ok');
		}
	}

	private settleRestartTimer(): void {
		const phase = this.store.getSnapshot().runtime.restart.phase;
		if (phase === 'done' || phase === 'failed') {
			clearTimeout(this.restartTimer);
		}
	}

	private async restart(): Promise<void> {
		const state = this.store.getSnapshot();
		if (state.runtime.restart.phase === 'requested' || state.runtime.restart.phase === 'waiting') {
			this.flash('a restart is already under way', 'warn');
			return;
		}

		const {local} = this.options;
		const via = local ? 'supervisor' : this.serviceRestarter ? 'service' : 'rpc';
		if (via === 'rpc' && this.client && !serves(this.client, 'gateway.restart.request')) {
			this.flash(`R unavailable: ${notServed('gateway.restart.request')}`, 'warn');
			return;
		}

		this.store.dispatch({type: 'runtime/restartRequested', via, at: Date.now()});
		clearTimeout(this.restartTimer);
		const timeoutMs = this.options.restartTimeoutMs ?? 60_000;
		this.restartTimer = setTimeout(() => {
			const phase = this.store.getSnapshot().runtime.restart.phase;
			if (phase === 'requested' || phase === 'waiting') {
				this.store.dispatch({type: 'runtime/restartFailed', error: `the gateway did not come back within ${timeoutMs / 1000} s`, at: Date.now()});
			}
		}, timeoutMs);
		this.restartTimer.unref();
		try {
			if (local) {
				await local.restart();
			} else if (this.serviceRestarter) {
				await this.serviceRestarter();
			} else {
				if (!this.client || this.client.state !== 'connected') {
					throw new Error('not connected to the gateway');
				}

				await this.client.request('gateway.restart.request', {reason: 'openclaw console'});
			}
		} catch (error) {
			clearTimeout(this.restartTimer);
			this.store.dispatch({type: 'runtime/restartFailed', error: errorText(error), at: Date.now()});
		}
	}

	private async cycleReloadMode(): Promise<void> {
		const client = this.client;
		const state = this.store.getSnapshot();
		if (!client || client.state !== 'connected') {
			this.flash('not connected: cannot change the reload mode', 'warn');
			return;
		}

		if (state.reload.writing) {
			return;
		}

		if (!serves(client, 'config.patch')) {
			this.flash(`m unavailable: ${notServed('config.patch')}`, 'warn');
			return;
		}

		// A fresh base hash for every write: a stale one would be a conflict the operator did not cause.
		await this.fetchConfig();
		const current = this.store.getSnapshot().reload;
		const mode = nextMode(current);
		this.store.dispatch({type: 'reload/writeStart', mode});
		let gatewaySaid: string | undefined;
		try {
			const result = await client.request('config.patch', {raw: reloadModePatch(mode), baseHash: current.hash});
			const hash = isRecord(result) && typeof result.hash === 'string' ? result.hash : undefined;
			this.store.dispatch({type: 'reload/written', mode, hash});
			const warning = writeWarning(result);
			if (warning) {
				this.flash(warning, 'warn');
			}
		} catch (error) {
			gatewaySaid = errorText(error);
		}

		// Read back whatever the answer was: the pane shows the file as it now is, and the next press has its hash.
		// An error is judged after that (was the mode written after all?), so it never flashes up to be taken back.
		await this.fetchConfig();
		if (gatewaySaid !== undefined) {
			this.store.dispatch({type: 'reload/writeFailed', error: gatewaySaid, conflict: isConflictError(gatewaySaid), mode});
		}
	}

	/** The Logs view, as filtered, to a file of its own (mode 0600: logs name hosts, peers and paths). */
	private async saveLogs(): Promise<void> {
		const state = this.store.getSnapshot();
		const {text, count} = logExportText(state.logs);
		if (count === 0) {
			this.flash('nothing to save: the view holds no lines', 'warn');
			return;
		}

		const file = path.join(this.options.savedLogsDir ?? savedLogsDir(process.env), logExportName(state.connection.url, new Date()));
		try {
			await writeFileAtomic(file, text, {mode: 0o600});
			this.flash(`saved ${count} lines to ${file}`, 'ok');
			this.say(`saved the ${count} lines in view to ${file}`, 'info');
		} catch (error) {
			this.flash(`save failed: ${errorText(error)}`, 'error');
		}
	}

	/** Stop everything this console started (the child cleanly: its clients get `shutdown`), then exit. */
	async quit(): Promise<void> {
		if (this.stopped) {
			return;
		}

		if (this.options.local?.state.status === 'running') {
			this.flash('stopping the gateway...', 'warn');
		}

		await this.shutdown();
		this.options.onExit?.(0);
	}

	async shutdown(): Promise<void> {
		this.stopped = true;
		this.unsubscribe?.();
		clearTimeout(this.pollTimer);
		clearTimeout(this.sessionsTimer);
		clearTimeout(this.restartTimer);
		clearTimeout(this.authRetryTimer);
		this.follower?.stop();
		const client = this.client;
		this.client = undefined;
		client?.removeAllListeners();
		await Promise.allSettled([client?.close(), this.options.local?.dispose(), this.options.tunnel?.dispose()]);
		this.store.flush();
	}
}
