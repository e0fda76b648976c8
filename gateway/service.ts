// A gateway feature (logs, config, channels, agents...) plugs into a GatewayServer as a service: its RPC methods,
// its HTTP routes, its part of `health`, and start/stop hooks for the server generation it belongs to.
import type {LoadedConfig} from '../source/protocol/config/load.js';
import type {HttpRoute} from './http.js';
import type {MethodSpec} from './methods/types.js';
import type {GatewayRuntime} from './runtime.js';

export type GatewayService = {
	name: string;
	methods?: MethodSpec[];
	httpRoutes?: HttpRoute[];
	/** Fields merged into the `health` snapshot (e.g. `channels`, `configReload`). */
	health?(options: {probe?: boolean}): Record<string, unknown> | Promise<Record<string, unknown>>;
	/** Fields merged into the `status` result (e.g. `sessions`). */
	status?(): Record<string, unknown> | Promise<Record<string, unknown>>;
	/** Called once the server listens. */
	start?(gateway: GatewayRuntime): void | Promise<void>;
	/** A hot reload changed the config: take the new values (channels, logging level...) without a restart. */
	applyConfig?(config: LoadedConfig, changedPaths: string[]): void | Promise<void>;
	/** Work in progress that a restart would interrupt, by kind (restart preflight adds them up). */
	activeWork?(): Record<string, number>;
	/** Called when the server generation stops (restart or exit), after clients got `shutdown`. */
	stop?(): void | Promise<void>;
};
