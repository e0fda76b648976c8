// The target for commands that only need a connection (health, channels status, gateway status, logs): the same
// precedence as resolveTarget, over the lean config read, so zod and the schema load only for a config that needs
// the full check. A config whose client keys are fine but which is invalid elsewhere is still used here.
import type {ConfigError, LoadedConfig} from '../protocol/config/load.js';
import {resolvePaths, type Env} from '../protocol/config/paths.js';
import {liveRuntime} from '../protocol/locks/state-lock.js';
import {loadClientConfig} from './client-config.js';
import {targetFromConfig, type GatewayTarget, type TargetOptions} from './target-rules.js';

export async function resolveClientTarget(options: TargetOptions, env: Env = process.env): Promise<GatewayTarget> {
	const paths = resolvePaths({profile: options.profile, dev: options.dev}, env);
	let config: LoadedConfig | undefined;
	let configError: ConfigError | undefined;
	try {
		config = await loadClientConfig(paths.configPath);
	} catch (error) {
		// Only the full loader throws, so its module is loaded by now.
		const {ConfigError} = await import('../protocol/config/load.js');
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		configError = error;
	}

	return targetFromConfig(options, env, paths, config, configError, liveRuntime(paths.stateDir));
}
