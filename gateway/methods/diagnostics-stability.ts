// `diagnostics.stability` (`openclaw gateway stability`): the newest events of the stability recorder.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'diagnostics.stability',
	scope: scopes.read,
	params: z
		.object({limit: z.number().int().min(1).max(1000).optional(), type: z.string().min(1).optional(), sinceSeq: z.number().int().min(0).optional()})
		.passthrough(),
	handler(params, {gateway}) {
		return gateway.diagnostics.snapshot(params);
	},
});
