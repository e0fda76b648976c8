// A LoadedConfig from a plain object, validated by the real schema, for gateways started in-process by tests.
import {hashConfigText, parseConfigText, type LoadedConfig} from '../../source/protocol/config/load.js';

export function loadedConfig(config: Record<string, unknown>, configPath = '/nonexistent/openclaw.json'): LoadedConfig {
	const raw = JSON.stringify(config, null, 2);
	return {path: configPath, exists: true, raw, config: parseConfigText(raw, configPath), hash: hashConfigText(raw)};
}
