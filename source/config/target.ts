// Which gateway a command talks to, with the config fully validated (zod) as the gateway would load it. The
// precedence rules live in target-rules.ts; client commands that only need the connection use client-target.ts.
import {ConfigError, loadConfigSync, type LoadedConfig} from '../protocol/config/load.js';
import {resolvePaths, type Env} from '../protocol/config/paths.js';
import {liveRuntime} from '../protocol/locks/state-lock.js';
import {targetFromConfig, type GatewayTarget, type TargetOptions} from './target-rules.js';

export {validateGatewayUrl, type GatewayTarget, type TargetOptions} from './target-rules.js';

export function resolveTarget(options: TargetOptions, env: Env = process.env): GatewayTarget {
	const paths = resolvePaths({profile: options.profile, dev: options.dev}, env);
	let config: LoadedConfig | undefined;
	let configError: ConfigError | undefined;
	try {
		config = loadConfigSync(paths.configPath);
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		configError = error;
	}

	return targetFromConfig(options, env, paths, config, configError, liveRuntime(paths.stateDir));
}
