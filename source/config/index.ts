// Client-side view of configuration: the same files and precedence the gateway uses (defined once, in source/protocol/config).
export {resolvePaths, resolvePort, resolveBind, resolveSecrets, parsePort, type ResolvedPaths, type Env} from '../protocol/config/paths.js';
export {UsageError} from '../protocol/errors.js';
export {loadConfig, loadConfigSync, parseConfigText, hashConfigText, ConfigError, type LoadedConfig} from '../protocol/config/load.js';
export {writeFileAtomic, serializeConfig} from '../protocol/config/write.js';
export type {GatewayConfig} from '../protocol/config/schema.js';
export {resolveTarget, validateGatewayUrl, type GatewayTarget, type TargetOptions} from './target.js';
