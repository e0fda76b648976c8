import {z} from 'zod';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'health',
	scope: null,
	params: z.object({probe: z.boolean().optional()}).passthrough(),
	// Not async: a synchronous answer is sent in the turn the request arrived in (Connection.onRequest).
	handler(params, {gateway}) {
		return gateway.health({probe: params.probe === true});
	},
});
