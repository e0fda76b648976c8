// The services a method handler can reach. GatewayServer implements it; methods depend on this interface only.
import type {AuthSettings} from './auth.js';
import type {AuthRateLimiter} from './auth-rate-limit.js';
import type {LoadedConfig} from '../source/protocol/config/load.js';
import type {Logger} from './logger.js';
import type {DevicePairingStore} from './device-pairing.js';
import type {DiagnosticsRecorder} from './diagnostics.js';
import type {GatewayIdentity} from './identity.js';
import type {PresenceRegistry} from './presence.js';
import type {EventLoopStats, HealthResult, StatusResult} from '../source/protocol/methods/index.js';

export type BroadcastOptions = {
	/** Operator scope a recipient needs (default: operator.read unless the event is one every client gets). */
	scope?: string | null;
	/** Skip (but still count in `seq`) for a client whose send buffer is over the limit, instead of closing it. */
	dropIfSlow?: boolean;
	/** Only these connections. */
	connIds?: ReadonlySet<string>;
};

export type RestartStatus = 'scheduled' | 'coalesced';

export interface GatewayRuntime {
	readonly version: string;
	readonly startedAt: number;
	readonly logger: Logger;
	readonly presence: PresenceRegistry;
	readonly stateDir: string;
	readonly configPath: string;
	readonly host: string;
	readonly port: number;
	readonly bindMode: string;
	/** This process's id for clients (`hello-ok.server.bootId`, `system.info.processInstanceId`). */
	readonly bootId: string;
	/** Which device identities may connect (`device.pair.*`). */
	readonly devices: DevicePairingStore;
	/** The stability recorder (`diagnostics.stability`). */
	readonly diagnostics: DiagnosticsRecorder;
	/** The gateway's shared secret settings (HTTP routes check Bearer tokens against them). */
	readonly auth: AuthSettings;
	/** The per-IP failed-auth budget that WebSocket `connect` and HTTP bearer routes share. */
	readonly rateLimiter: AuthRateLimiter;
	/** The config the gateway runs on (the last good one if the file has since become invalid). */
	config(): LoadedConfig;
	/** Synchronous unless a service's part has to wait (a channel probe): await it where either will do. */
	health(options?: {probe?: boolean}): HealthResult | Promise<HealthResult>;
	/** The gateway's own device identity, once loaded at start. */
	identity(): GatewayIdentity | undefined;
	/** Work a restart would interrupt, by kind (`embeddedRuns`, `cronRuns`, `rootRequests`). */
	activeWork(): Record<string, number>;
	eventLoopStats(): EventLoopStats;
	status(options: {admin: boolean}): Promise<StatusResult>;
	broadcast(event: string, payload: unknown, options?: BroadcastOptions): void;
	requestRestart(reason: string, delayMs?: number): RestartStatus;
	/** Close a device's open connections (4001 "device removed") after its token or pairing was taken away. */
	disconnectDevice(deviceId: string, role?: string): number;
	/** Called with the connection id when an authenticated client goes away (subscriptions end with it). */
	onConnectionClosed(listener: (connId: string) => void): () => void;
}
