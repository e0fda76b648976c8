import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'gateway.restart.request',
	scope: scopes.admin,
	params: z
		.object({
			reason: z.string().max(200).optional(),
			skipDeferral: z.boolean().optional(),
			target: z.object({pid: z.number().int().optional(), port: z.number().int().optional()}).passthrough().optional(),
		})
		.passthrough(),
	handler(params, {gateway, caller}) {
		if (params.target?.pid !== undefined && params.target.pid !== process.pid) {
			throw new GatewayError({code: errorCodes.invalidRequest, message: 'target gateway no longer owns the active lock'});
		}

		const status = gateway.requestRestart(params.reason ?? `requested by ${caller.client.id}`);
		return {ok: true, status, pid: process.pid};
	},
});
