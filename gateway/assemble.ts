// The one place that decides which feature services a gateway runs with. run.ts (the real process) and the test
// helpers both build their GatewayServer through here, so tests exercise exactly what operators run.
import {AgentService} from './agents/service.js';
import {ChannelManager} from './channels/manager.js';
import {CronService} from './cron/service.js';
import {HooksService} from './http-routes/hooks.js';
import {ResponsesService} from './http-routes/responses.js';
import type {Logger} from './logger.js';
import {logLocationIssues} from '../source/protocol/logs/location.js';
import {createGatewayLogging, type GatewayLogging} from './logs/runtime.js';
import {logsService} from './logs/service.js';
import type {ReloadController} from './reload/controller.js';
import {reloadService} from './reload/service.js';
import {SessionService} from './sessions/service.js';
import type {GatewayService} from './service.js';
import {UsageService} from './usage/service.js';

/** What lives for the whole process, across in-process restarts (server generations). */
export type GatewayProcessContext = {
	stateDir: string;
	configPath: string;
	logger: Logger;
	/** The log writer and redactor (run.ts). Without them (in-process tests) each server reads its own log dir. */
	logging?: GatewayLogging;
	/** Reload state across generations (run.ts). Without it each server gets its own controller. */
	reload?: ReloadController;
};

export function buildServices(context: GatewayProcessContext): GatewayService[] {
	const agents = new AgentService(context.logger);
	const logging = context.logging ?? {...createGatewayLogging({stateDir: context.stateDir, config: {}}), logger: context.logger};
	const services: GatewayService[] = [
		logsService(logging, {ownsWriter: !context.logging}),
		new ChannelManager(context.logger, process.env, {agents, stateDir: context.stateDir}),
		agents,
		// After agents: on stop, the runs it aborts end before the sessions service writes their last turns.
		new SessionService({stateDir: context.stateDir, logger: context.logger, agents}),
		new ResponsesService(agents, context.logger),
		new HooksService(agents, context.logger),
		new CronService(context.logger, agents),
		new UsageService(context.logger, agents),
	];
	// Last, and given the list itself: a hot reload is applied to every service above.
	services.push(
		reloadService({
			configPath: context.configPath,
			logger: context.logger,
			controller: context.reload,
			redact: (text) => logging.redactor.redact(text),
			policy: (config) => logLocationIssues(config, logging.logDir),
			services,
		}),
	);
	return services;
}
