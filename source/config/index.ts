// Client-side view of configuration: the same files and precedence the gateway uses (defined once, in gateway/config).
export {resolvePaths, resolvePort, resolveBind, resolveSecrets, parsePort, UsageError, type ResolvedPaths, type Env} from '../../gateway/config/paths.js';
export {loadConfig, loadConfigSync, parseConfigText, hashConfigText, ConfigError, type LoadedConfig} from '../../gateway/config/load.js';
export {writeFileAtomic, serializeConfig} from '../../gateway/config/write.js';
export type {GatewayConfig} from '../../gateway/config/schema.js';
export {resolveTarget, validateGatewayUrl, type GatewayTarget, type TargetOptions} from './target.js';
