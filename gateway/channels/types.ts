// The channel adapter contract. A channel here is one account (`default`) of a chat service the gateway keeps a
// connection to; `connected` means the last probe of the service's API succeeded and, for a channel that receives
// over a socket or a long poll, that way in is not failing (manager.ts adds that half).
import type {ChannelAccountSnapshot, ProbeResult} from '../../source/protocol/methods/channels.js';

export const channelIds = ['telegram', 'discord', 'slack', 'webhook'] as const;
export type ChannelId = (typeof channelIds)[number];

export const channelLabels: Record<ChannelId, string> = {
	telegram: 'Telegram',
	discord: 'Discord',
	slack: 'Slack',
	webhook: 'Webhook',
};

export const defaultAccountId = 'default';

/** OpenClaw's ChannelAccountSnapshot and its probe: defined once, in the method map (`channels.status`). */
export type {ChannelAccountSnapshot, ProbeResult};

export interface ChannelAdapter {
	readonly id: ChannelId;
	readonly label: string;
	/** Begin the connection: a first probe now, then periodic re-probes. Never throws. */
	start(): void;
	stop(): void;
	status(): ChannelAccountSnapshot;
	/** A fresh probe under `timeoutMs`; updates `connected`/`lastError`. Never throws. */
	probe(timeoutMs: number): Promise<ProbeResult>;
}
