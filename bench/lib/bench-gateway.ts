// An in-process gateway for benches: a real GatewayServer with every service (buildServices) on a loopback port,
// token auth, the given config (no file on disk) and either the process-wide logging a bench measures through, or
// a plain logger.
import path from 'node:path';
import {buildServices} from '../../gateway/assemble.js';
import type {Logger} from '../../gateway/logger.js';
import type {GatewayLogging} from '../../gateway/logs/runtime.js';
import {GatewayServer} from '../../gateway/server.js';
import {hashConfigText} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';

/** `logging`: the set-up of a bench that measures logs; `logger`: a plain one (the logs service makes its own). */
export type BenchGatewayOptions = {stateDir: string; token: string; config: GatewayConfig} & ({logging: GatewayLogging} | {logger: Logger});

export async function startBenchGateway(options: BenchGatewayOptions): Promise<GatewayServer> {
	const {stateDir, token, config} = options;
	const logging = 'logging' in options ? options.logging : undefined;
	const logger = 'logging' in options ? options.logging.logger : options.logger;
	const configPath = path.join(stateDir, 'openclaw.json');
	const server = new GatewayServer({
		host: '127.0.0.1',
		port: 0,
		auth: {mode: 'token', token},
		stateDir,
		configPath,
		config: {path: configPath, exists: false, raw: '', config, hash: hashConfigText('')},
		logger,
		services: buildServices({stateDir, configPath, logger, ...(logging ? {logging} : {})}),
	});
	await server.start();
	return server;
}
