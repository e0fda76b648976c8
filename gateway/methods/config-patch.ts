import {z} from 'zod';
import {errorCodes, GatewayError, isRecord, scopes} from '../../source/protocol/index.js';
import type {ReloadController} from '../reload/controller.js';
import {applyMergePatch} from './config-merge-patch.js';
import {parseRawParam, writeConfig} from './config-write.js';
import {defineMethod} from './types.js';

export const configPatchParams = z
	.object({
		raw: z.string(),
		baseHash: z.string().optional(),
		replacePaths: z.array(z.string()).max(256).optional(),
		sessionKey: z.string().optional(),
		note: z.string().optional(),
		restartDelayMs: z.number().int().nonnegative().optional(),
	})
	.strict();

/** Merge a JSON merge patch (RFC 7396, as JSON5) into the config file: objects merge, `null` deletes. */
export function configPatchMethod(controller: () => ReloadController) {
	return defineMethod({
		name: 'config.patch',
		scope: scopes.admin,
		params: configPatchParams,
		async handler(params) {
			const patch = parseRawParam(params.raw, 'config patch');
			if (!isRecord(patch)) {
				throw new GatewayError({code: errorCodes.invalidRequest, message: 'invalid config patch: expected an object'});
			}

			return writeConfig(controller(), {
				baseHash: params.baseHash,
				build(current) {
					if (current.parsed === undefined) {
						throw new GatewayError({
							code: errorCodes.invalidRequest,
							message: `config file is not valid JSON5 (${current.syntaxError}): fix it or replace it with config.set`,
						});
					}

					return applyMergePatch(current.parsed, patch);
				},
			});
		},
	});
}
