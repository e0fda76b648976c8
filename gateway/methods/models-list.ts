// `models.list` (`openclaw models list`): the models this gateway can run, from its config: the offline echo model
// and, per `models.providers.<name>`, its `model` and its `models[]` entries. `available` says whether the provider
// has what a call needs (a base URL); `local` whether that URL is on this machine. Served, it lets the gateway
// advertise the `published-model-catalog` capability the CLI requires.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {selectedModelRef} from '../agents/models.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import {defineMethod} from './types.js';
import type {ModelCatalogEntry} from '../../source/protocol/methods/index.js';

type ProviderConfig = {baseUrl?: string; apiKey?: string; model?: string; models?: unknown};
type ModelEntry = {id?: unknown; name?: unknown; contextWindow?: unknown; input?: unknown; alias?: unknown};

const inputKinds = new Set(['text', 'image', 'audio', 'video', 'document']);

function isLocalUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '::1' || host.startsWith('127.');
	} catch {
		return false;
	}
}

export function modelCatalog(config: GatewayConfig): ModelCatalogEntry[] {
	const selected = selectedModelRef(config);
	const tagsFor = (ref: string) => (ref === selected ? ['default'] : []);
	const models: ModelCatalogEntry[] = [
		{id: 'echo', name: 'Echo (offline, built in)', provider: 'echo', available: true, local: true, input: ['text'], tags: tagsFor('echo')},
	];
	for (const [provider, settings] of Object.entries((config.models?.providers ?? {}) as Record<string, ProviderConfig>)) {
		const entries = (Array.isArray(settings.models) ? (settings.models as ModelEntry[]) : []).filter((entry) => typeof entry.id === 'string' && entry.id !== '');
		const ids = new Set(entries.map((entry) => entry.id as string));
		if (settings.model && !ids.has(settings.model)) {
			entries.unshift({id: settings.model});
		}

		for (const entry of entries) {
			const id = entry.id as string;
			const input = Array.isArray(entry.input) ? entry.input.filter((kind): kind is string => typeof kind === 'string' && inputKinds.has(kind)) : ['text'];
			models.push({
				id,
				name: typeof entry.name === 'string' && entry.name ? entry.name : id,
				provider,
				...(typeof entry.alias === 'string' && entry.alias ? {alias: entry.alias} : {}),
				available: Boolean(settings.baseUrl),
				...(settings.baseUrl ? {local: isLocalUrl(settings.baseUrl)} : {}),
				input,
				...(typeof entry.contextWindow === 'number' && Number.isInteger(entry.contextWindow) && entry.contextWindow > 0 ? {contextWindow: entry.contextWindow} : {}),
				tags: tagsFor(`${provider}/${id}`),
			});
		}
	}

	return models;
}

export default defineMethod({
	name: 'models.list',
	scope: scopes.read,
	params: z
		.object({
			agentId: z.string().optional(),
			sessionKey: z.string().optional(),
			provider: z.string().optional(),
			includeDetails: z.boolean().optional(),
			view: z.enum(['default', 'configured', 'provider-config', 'all']).optional(),
			preparedOnly: z.boolean().optional(),
			refresh: z.boolean().optional(),
		})
		.passthrough(),
	handler(params, {gateway}) {
		const models = modelCatalog(gateway.config().config);
		return {models: params.provider ? models.filter((model) => model.provider === params.provider) : models};
	},
});
