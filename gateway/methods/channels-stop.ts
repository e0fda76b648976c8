import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {ChannelManager} from '../channels/manager.js';
import {defaultAccountId} from '../channels/types.js';
import {channelTarget} from './channels-target.js';
import {defineMethod} from './types.js';

export default function channelsStop(manager: ChannelManager) {
	return defineMethod({
		name: 'channels.stop',
		scope: scopes.admin,
		params: z.object({channel: z.string().min(1), accountId: z.string().min(1).optional()}).strict(),
		handler(input) {
			const id = channelTarget(manager, input);
			return {channel: id, accountId: defaultAccountId, ...manager.stopChannel(id)};
		},
	});
}
