// `gateway.identity.get`: the gateway's own device id and public key (identity.ts), stable across restarts.
import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'gateway.identity.get',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler(_params, {gateway}) {
		const identity = gateway.identity();
		if (!identity) {
			throw new GatewayError({code: errorCodes.unavailable, message: 'gateway identity not loaded yet; retry shortly', retryable: true});
		}

		return identity;
	},
});
