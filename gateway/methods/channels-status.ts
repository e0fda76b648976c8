import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import type {ChannelManager} from '../channels/manager.js';
import {channelIds} from '../channels/types.js';
import {defineMethod} from './types.js';

const params = z
	.object({
		probe: z.boolean().optional(),
		timeoutMs: z.number().int().min(0).optional(),
		channel: z.string().min(1).optional(),
	})
	.strict();

/** Per-probe deadline bounds: a caller's overall budget (the CLI sends ~60 s) must not hold a status call hostage. */
const minProbeTimeoutMs = 50;
const maxProbeTimeoutMs = 30_000;

export default function channelsStatus(manager: ChannelManager) {
	return defineMethod({
		name: 'channels.status',
		scope: scopes.read,
		params,
		async handler(input) {
			if (input.channel && !(channelIds as readonly string[]).includes(input.channel)) {
				throw new GatewayError({
					code: errorCodes.invalidRequest,
					message: `unknown channel: ${input.channel} (known: ${channelIds.join(', ')})`,
				});
			}

			const timeoutMs =
				input.timeoutMs === undefined ? undefined : Math.min(Math.max(input.timeoutMs, minProbeTimeoutMs), maxProbeTimeoutMs);
			return manager.status({probe: input.probe === true, timeoutMs, channel: input.channel});
		},
	});
}
