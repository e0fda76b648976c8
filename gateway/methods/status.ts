import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'status',
	scope: scopes.read,
	params: z.object({includeChannelSummary: z.boolean().optional()}).passthrough(),
	async handler(_params, {gateway, caller}) {
		return gateway.status({admin: caller.scopes.includes(scopes.admin)});
	},
});
