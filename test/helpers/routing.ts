// Gateways for the routing tests: the real services (buildServices) over a state dir the test keeps, so a test can
// stop one and start the next on the same sessions, with every log line kept for checks.
import path from 'node:path';
import {buildServices} from '../../gateway/assemble.js';
import {Logger} from '../../gateway/logger.js';
import {startTestGateway, type TestGateway} from './gateway.js';
import {loadedConfig} from './loaded-config.js';

export type Started = {gw: TestGateway; logLines: string[]; services: ReturnType<typeof buildServices>};

export async function startGateway(stateDir: string, config: Record<string, unknown>): Promise<Started> {
	const logLines: string[] = [];
	const logger = new Logger({level: 'debug', sinks: [(line) => logLines.push(line)]});
	const configPath = path.join(stateDir, 'openclaw.json');
	const services = buildServices({stateDir, configPath, logger});
	const gw = await startTestGateway({stateDir, configPath, config: loadedConfig(config, configPath), logger, services});
	return {gw, logLines, services};
}

export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** waitFor with the patience a gateway child process under load needs (its start, a channel's first poll). */
export async function waitForProcess<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
	return waitFor(what, check, timeoutMs);
}

export const pause = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
