import {z} from 'zod';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'health',
	scope: null,
	params: z.object({probe: z.boolean().optional()}).passthrough(),
	async handler(params, {gateway}) {
		return gateway.health({probe: params.probe === true});
	},
});
