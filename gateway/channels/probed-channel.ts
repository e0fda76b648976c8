// A channel account kept "connected" by probing its service's API: a first probe on start, then one every
// `probeIntervalMs`. Probe failures are recorded (lastError), never thrown: a broken channel must not take the
// gateway down.
import type {Logger} from '../logger.js';
import {maskSecrets} from './http-probe.js';
import type {ServiceProbe} from './service-probe.js';
import {channelLabels, defaultAccountId, type ChannelAccountSnapshot, type ChannelAdapter, type ChannelId, type ProbeResult} from './types.js';

export const defaultProbeTimeoutMs = 5000;
export const defaultProbeIntervalMs = 60_000;

export type ProbedChannelOptions = {
	id: ChannelId;
	enabled: boolean;
	service: ServiceProbe;
	logger: Logger;
	probeTimeoutMs?: number;
	probeIntervalMs?: number;
};

export class ProbedChannel implements ChannelAdapter {
	readonly id: ChannelId;
	readonly label: string;
	private running = false;
	private connected = false;
	private lastError: string | null = null;
	private lastProbeAt: number | null = null;
	private lastStartAt: number | null = null;
	private lastStopAt: number | null = null;
	private lastConnectedAt: number | null = null;
	private lastProbe?: ProbeResult;
	private timer?: NodeJS.Timeout;
	private loggedError: string | null = null;

	constructor(private readonly options: ProbedChannelOptions) {
		this.id = options.id;
		this.label = channelLabels[options.id];
		if (!options.service.configured) {
			this.lastError = `not configured: set ${options.service.missing}`;
		}
	}

	get enabled(): boolean {
		return this.options.enabled;
	}

	get configured(): boolean {
		return this.options.service.configured;
	}

	get isRunning(): boolean {
		return this.running;
	}

	start(): void {
		if (this.running || !this.configured) {
			return;
		}

		this.running = true;
		this.lastStartAt = Date.now();
		this.options.logger.info(`${this.label} channel starting`, {channel: this.id});
		void this.probe(this.options.probeTimeoutMs ?? defaultProbeTimeoutMs);
		this.timer = setInterval(() => {
			void this.probe(this.options.probeTimeoutMs ?? defaultProbeTimeoutMs);
		}, this.options.probeIntervalMs ?? defaultProbeIntervalMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		this.timer = undefined;
		if (!this.running) {
			return;
		}

		this.running = false;
		this.connected = false;
		this.lastStopAt = Date.now();
		this.options.logger.info(`${this.label} channel stopped`, {channel: this.id});
	}

	async probe(timeoutMs: number): Promise<ProbeResult> {
		const started = performance.now();
		let result: ProbeResult;
		try {
			const outcome = await this.options.service.run(timeoutMs);
			result = {...outcome, elapsedMs: Math.round(performance.now() - started)};
		} catch (error) {
			const message = maskSecrets(error instanceof Error ? error.message : String(error), this.options.service.secrets);
			result = {ok: false, elapsedMs: Math.round(performance.now() - started), error: message};
		}

		this.record(result);
		return result;
	}

	private record(result: ProbeResult): void {
		const wasConnected = this.connected;
		this.lastProbe = result;
		this.lastProbeAt = Date.now();
		if (!this.configured) {
			return;
		}

		this.lastError = result.ok ? null : (result.error ?? 'probe failed');
		if (this.running) {
			this.connected = result.ok;
			if (result.ok && !wasConnected) {
				this.lastConnectedAt = this.lastProbeAt;
				this.options.logger.info(`${this.label} channel connected`, {channel: this.id, bot: result.bot?.username});
			}

			// Log a failure once per distinct error, not once per re-probe.
			if (this.lastError !== this.loggedError) {
				if (this.lastError) {
					this.options.logger.warn(`${this.label} channel probe failed`, {channel: this.id, error: this.lastError});
				}

				this.loggedError = this.lastError;
			}
		}
	}

	status(): ChannelAccountSnapshot {
		return {
			accountId: defaultAccountId,
			enabled: this.enabled,
			configured: this.configured,
			running: this.running,
			connected: this.connected,
			lastError: this.lastError,
			lastProbeAt: this.lastProbeAt,
			lastStartAt: this.lastStartAt,
			lastStopAt: this.lastStopAt,
			lastConnectedAt: this.lastConnectedAt,
			...(this.lastProbe ? {probe: this.lastProbe} : {}),
			...(this.options.service.baseUrl ? {baseUrl: this.options.service.baseUrl} : {}),
			...(this.id === 'webhook' ? {} : {botTokenSource: this.configured ? ('config' as const) : ('none' as const)}),
		};
	}
}
