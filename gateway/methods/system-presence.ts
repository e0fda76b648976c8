import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'system-presence',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler(_params, {gateway}) {
		return gateway.presence.list();
	},
});
