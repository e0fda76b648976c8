// Which model a run uses: the run's override, else `agents.defaults.model`, else the offline `echo` model.
// A model ref is `echo` or `<provider>/<model>` (or just `<provider>`, using its configured `model`), where the
// provider is an entry of `models.providers`.
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import {EchoModel, echoModelRef} from './echo.js';
import {OpenAiCompatibleProvider} from './openai.js';
import {ModelError, type ModelProvider} from './provider.js';

export function selectedModelRef(config: GatewayConfig, override?: string): string {
	const configured = config.agents?.defaults?.model;
	const fromConfig = typeof configured === 'string' ? configured : configured?.primary;
	return override?.trim() || fromConfig?.trim() || echoModelRef;
}

export function resolveModel(config: GatewayConfig, ref: string): ModelProvider {
	// `echo/echo` is how models.list's catalog names it (provider/id).
	if (ref === echoModelRef || ref === `${echoModelRef}/${echoModelRef}`) {
		return new EchoModel();
	}

	const slash = ref.indexOf('/');
	const name = slash === -1 ? ref : ref.slice(0, slash);
	const providers = config.models?.providers ?? {};
	const provider = providers[name];
	if (!provider) {
		const known = Object.keys(providers);
		throw new ModelError(
			`unknown model provider "${name}" in model "${ref}": add models.providers.${name} {baseUrl, apiKey, model} or use ${[echoModelRef, ...known.map((key) => `${key}/<model>`)].join(', ')}`,
		);
	}

	const model = slash === -1 ? provider.model : ref.slice(slash + 1);
	if (!model) {
		throw new ModelError(`model "${ref}" names no model: use "${name}/<model>" or set models.providers.${name}.model`);
	}

	if (!provider.baseUrl) {
		throw new ModelError(`models.providers.${name}.baseUrl is not set (e.g. https://api.openai.com/v1)`);
	}

	return new OpenAiCompatibleProvider({name, baseUrl: provider.baseUrl, apiKey: provider.apiKey, model});
}
