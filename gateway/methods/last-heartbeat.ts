// `last-heartbeat` (`openclaw system heartbeat last`): the last heartbeat event, or null. This gateway runs none.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'last-heartbeat',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler() {
		return null;
	},
});
