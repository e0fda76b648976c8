import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {ReloadController} from '../reload/controller.js';
import {parseRawParam, writeConfig} from './config-write.js';
import {defineMethod} from './types.js';

export const configApplyParams = z
	.object({
		raw: z.string(),
		baseHash: z.string().optional(),
		sessionKey: z.string().optional(),
		deliveryContext: z.unknown().optional(),
		note: z.string().optional(),
		restartDelayMs: z.number().int().nonnegative().optional(),
	})
	.strict();

/**
 * Replace the config and make it take effect: like config.set, and when the reload mode leaves changes pending
 * (hot/off), restart in-process so that nothing written stays unapplied.
 */
export function configApplyMethod(controller: () => ReloadController) {
	return defineMethod({
		name: 'config.apply',
		scope: scopes.admin,
		params: configApplyParams,
		async handler(params, {gateway}) {
			const next = parseRawParam(params.raw, 'config');
			return writeConfig(controller(), {
				baseHash: params.baseHash,
				build: () => next,
				forceRestart(event) {
					if (event.pendingPaths.length === 0) {
						return false;
					}

					gateway.requestRestart('config.apply');
					return true;
				},
			});
		},
	});
}
