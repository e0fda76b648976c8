// The one place that decides which feature services a gateway runs with. run.ts (the real process) and the test
// helpers both build their GatewayServer through here, so tests exercise exactly what operators run.
import type {Logger} from './logger.js';
import type {GatewayService} from './service.js';

/** What lives for the whole process, across in-process restarts (server generations). */
export type GatewayProcessContext = {
	stateDir: string;
	configPath: string;
	logger: Logger;
};

export function buildServices(_context: GatewayProcessContext): GatewayService[] {
	return [];
}
