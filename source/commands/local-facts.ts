// What this machine knows about its gateway without asking it: the service manager's view, the config as the
// gateway would judge it, and where its log file is. Shared by `gateway status` and `status --all`; each loads its
// heavy parts (service managers, zod, the log code) only when called.
import {configVouchedValid, validateConfigText} from '../config/client-config.js';
import type {GatewayTarget} from '../config/target-rules.js';
import type {ServiceStatus} from '../supervisor/service.js';

/** The service manager's status for the gateway on `port`, or the reason it could not say. */
export async function serviceStatus(target: GatewayTarget, port: number, env: NodeJS.ProcessEnv): Promise<ServiceStatus | {error: string}> {
	try {
		const {serviceController} = await import('../supervisor/service.js');
		const controller = await serviceController({paths: target.paths, port, env, credentials: target});
		return await controller.status();
	} catch (error) {
		return {error: (error as Error).message};
	}
}

/** The config's validity as the gateway would judge it (every key): the problem, or undefined when it is valid. */
export async function fullConfigError(target: GatewayTarget): Promise<string | undefined> {
	if (target.configError) {
		return target.configError.message;
	}

	if (!target.config?.exists || configVouchedValid(target.config.config)) {
		return undefined;
	}

	try {
		await validateConfigText(target.config.raw, target.config.path);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** The file the local gateway writes its log to (whether or not it exists yet); undefined for a remote target. */
export async function localLogFile(target: GatewayTarget, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	if (target.urlSource !== 'local') {
		return undefined;
	}

	const {logFilePath, resolveLogDir} = await import('../protocol/logs/location.js');
	return logFilePath(resolveLogDir(target.paths.stateDir, env), target.config?.config ?? {});
}
