// `channels.start` / `channels.stop` name a configured channel and (optionally) its one account, `default`.
import {errorCodes, GatewayError} from '../../source/protocol/index.js';
import type {ChannelManager} from '../channels/manager.js';
import {defaultAccountId, type ChannelId} from '../channels/types.js';

export function channelTarget(manager: ChannelManager, input: {channel: string; accountId?: string}): ChannelId {
	if (!manager.has(input.channel)) {
		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `channel not configured: ${input.channel} (add a channels.${input.channel} section to the config)`,
		});
	}

	if (input.accountId !== undefined && input.accountId !== defaultAccountId) {
		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `unknown account ${input.accountId} for channel ${input.channel} (only "${defaultAccountId}")`,
		});
	}

	return input.channel;
}
