// Config and reload as a gateway service: config.get/set/patch/apply, `health.configReload`, and attaching each
// server generation to the process's ReloadController so hot changes reach the running services.
import type {LoadedConfig} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import type {Logger} from '../logger.js';
import {configApplyMethod} from '../methods/config-apply.js';
import {configGetMethod} from '../methods/config-get.js';
import {configPatchMethod} from '../methods/config-patch.js';
import {configSetMethod} from '../methods/config-set.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {ReloadController} from './controller.js';

export type ReloadServiceOptions = {
	configPath: string;
	logger: Logger;
	/** The process's controller (run.ts). Without one (in-process tests) each server gets its own. */
	controller?: ReloadController;
	redact?: (text: string) => string;
	/** Start-up checks beyond the schema, for a controller made here (see ReloadControllerOptions.policy). */
	policy?: (config: GatewayConfig) => string[];
	/** The generation's services, to hot-apply config changes to (read when a change arrives). */
	services: readonly GatewayService[];
};

function canSetConfig(gateway: GatewayRuntime): gateway is GatewayRuntime & {setConfig(config: LoadedConfig): void} {
	return typeof (gateway as {setConfig?: unknown}).setConfig === 'function';
}

export function reloadService(options: ReloadServiceOptions): GatewayService {
	let controller = options.controller;
	let gateway: GatewayRuntime | undefined;
	const current = () => {
		if (!controller) {
			throw new Error('config service is not started');
		}

		return controller;
	};

	return {
		name: 'reload',
		methods: [configGetMethod(current), configSetMethod(current), configPatchMethod(current), configApplyMethod(current)],
		health() {
			return controller ? {configReload: controller.state()} : {};
		},
		start(runtime) {
			gateway = runtime;
			controller ??= new ReloadController({
				configPath: options.configPath,
				logger: options.logger,
				initial: runtime.config(),
				redact: options.redact,
				policy: options.policy,
			});
			controller.attach({
				gateway: runtime,
				services: options.services.filter((service) => service.name !== 'reload'),
				setConfig: canSetConfig(runtime) ? (config) => runtime.setConfig(config) : undefined,
			});
		},
		stop() {
			if (gateway) {
				controller?.detach(gateway);
			}

			if (!options.controller) {
				controller?.stop();
			}
		},
	};
}
