import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {ReloadController} from '../reload/controller.js';
import {parseRawParam, writeConfig} from './config-write.js';
import {defineMethod} from './types.js';

export const configSetParams = z
	.object({raw: z.string(), baseHash: z.string().optional(), sessionKey: z.string().optional(), note: z.string().optional()})
	.strict();

/** Replace the whole config (the file keeps the comments of keys that stay), then reload as for a file edit. */
export function configSetMethod(controller: () => ReloadController) {
	return defineMethod({
		name: 'config.set',
		scope: scopes.admin,
		params: configSetParams,
		async handler(params) {
			const next = parseRawParam(params.raw, 'config');
			return writeConfig(controller(), {baseHash: params.baseHash, build: () => next});
		},
	});
}
