// An `agent` answer sent to a channel peer (`deliver: true`), through the very transport that answers the peer's own
// messages (Telegram sendMessage, Discord's REST, Slack chat.postMessage, the webhook's reply POST). As in OpenClaw,
// an outbound send is the operator's act: the inbound rules (dmPolicy, allowFrom, the per-peer rate) do not apply,
// and a configured channel sends whether or not its way in is running (a send needs only the service's API).
import type {Logger} from '../logger.js';
import type {ChannelTransport} from './inbound.js';
import {notConfiguredMessage, type ChannelOutbound} from './agent-delivery.js';
import {missingSetting} from './registry.js';
import type {ChannelRouter} from './router.js';
import type {ChannelSection} from './service-probe.js';
import {channelLabels, type ChannelId} from './types.js';

export type OutboundChannels = {
	section(id: ChannelId): ChannelSection | undefined;
	transport(id: ChannelId): ChannelTransport | undefined;
};

/** What the `agent` method gets from the channels: the router's peer sessions, and sends that log their failures. */
export function channelOutbound(router: ChannelRouter, channels: OutboundChannels, logger: Logger): ChannelOutbound {
	return {
		peerSession: (channel, peerId, agentId) => router.peerSession(channel, peerId, agentId),
		async send(channel, to, text) {
			try {
				await sendToPeer(channels, channel, to, text);
				router.noteOutbound(channel);
			} catch (error) {
				logger.warn(`agent delivery failed (${channel} to ${to})`, {channel, peer: to, error: (error as Error).message});
				throw error;
			}
		},
	};
}

/** Send `text` to `to` on `channel`; rejects with an error that names the problem and the fix. */
export async function sendToPeer(channels: OutboundChannels, channel: ChannelId, to: string, text: string): Promise<void> {
	const section = channels.section(channel);
	const missing = missingSetting(channel, section);
	if (missing) {
		throw new Error(notConfiguredMessage(channelLabels[channel], missing));
	}

	if (section?.enabled === false) {
		throw new Error(`channel ${channel} is disabled: set channels.${channel}.enabled to true`);
	}

	const transport = channels.transport(channel);
	if (!transport) {
		throw new Error(`channel ${channel} cannot send messages from this gateway`);
	}

	await transport.send(to, text);
}
