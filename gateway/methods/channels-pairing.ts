// `channels.pairing.list|approve|dismiss` (operator.pairing), what `openclaw pairing list|approve` call: the DM
// senders waiting under `dmPolicy: "pairing"`, in OpenClaw's shapes.
import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import type {ChannelManager} from '../channels/manager.js';
import {pairingPendingMax, pairingPendingTtlMs, pairingRequestRow} from '../channels/pairing.js';
import {channelIds, channelLabels, defaultAccountId} from '../channels/types.js';
import {defineMethod} from './types.js';

const target = {channel: z.string().min(1), accountId: z.string().min(1), requestId: z.string().min(1)};

function unknownRequest(channel: string, requestId: string): GatewayError {
	return new GatewayError({code: errorCodes.invalidRequest, message: `no pending ${channel} pairing request ${requestId} (it may have expired: requests last an hour)`});
}

export function channelsPairing(manager: ChannelManager) {
	const store = () => {
		if (!manager.pairing) {
			throw new GatewayError({code: errorCodes.unavailable, message: 'channel pairing is not available on this gateway'});
		}

		return manager.pairing;
	};

	return [
		defineMethod({
			name: 'channels.pairing.list',
			scope: scopes.pairing,
			params: z.object({channel: z.string().min(1).optional(), accountId: z.string().min(1).optional()}).strict(),
			async handler(params) {
				const requests = await store().list(params.channel);
				return {
					accounts: channelIds
						.filter((id) => manager.has(id) && (!params.channel || params.channel === id))
						.map((id) => ({channel: id, channelLabel: channelLabels[id], accountId: defaultAccountId, notifySupported: true})),
					requests: requests.map(pairingRequestRow),
					commandOwnerConfigured: false,
					limits: {pendingPerAccount: pairingPendingMax, ttlMs: pairingPendingTtlMs},
				};
			},
		}),
		defineMethod({
			name: 'channels.pairing.approve',
			scope: scopes.pairing,
			params: z.object({...target, notify: z.boolean().optional(), bootstrapCommandOwner: z.boolean().optional()}).strict(),
			async handler(params, {gateway}) {
				const request = await store().resolve(params.channel, params.requestId, true);
				if (!request) {
					throw unknownRequest(params.channel, params.requestId);
				}

				gateway.logger.info('channel pairing approved', {channel: request.channel, peer: request.senderId});
				const notification = params.notify ? ((await manager.notifyApproved(request.channel, request.replyTo)) ? 'sent' : 'failed') : 'not-requested';
				return {requestId: request.requestId, senderId: request.senderId, notification, commandOwnerBootstrap: params.bootstrapCommandOwner ? 'unavailable' : 'not-requested'};
			},
		}),
		defineMethod({
			name: 'channels.pairing.dismiss',
			scope: scopes.pairing,
			params: z.object(target).strict(),
			async handler(params) {
				const request = await store().resolve(params.channel, params.requestId, false);
				if (!request) {
					throw unknownRequest(params.channel, params.requestId);
				}

				return {requestId: request.requestId, senderId: request.senderId, dismissed: true};
			},
		}),
	];
}
