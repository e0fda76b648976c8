// Channel id -> the adapter built from its `channels.<id>` config section.
import type {Logger} from '../logger.js';
import {discordProbe} from './discord.js';
import {ProbedChannel} from './probed-channel.js';
import type {ChannelSection, ServiceProbe} from './service-probe.js';
import {slackProbe} from './slack.js';
import {telegramProbe} from './telegram.js';
import type {ChannelId} from './types.js';
import {webhookProbe} from './webhook.js';
import type {ChannelTransport} from './inbound.js';
import {discordTransport} from './discord-transport.js';
import {slackTransport} from './slack-transport.js';
import {telegramTransport} from './telegram-transport.js';
import {webhookTransport} from './webhook-transport.js';

const probes: Record<ChannelId, (section: ChannelSection) => ServiceProbe> = {
	telegram: telegramProbe,
	discord: discordProbe,
	slack: slackProbe,
	webhook: webhookProbe,
};

/** The setting a channel lacks before it can send or receive (an absent section lacks what an empty one does). */
export function missingSetting(id: ChannelId, section: ChannelSection | undefined): string | undefined {
	const probe = probes[id](section ?? {});
	return probe.configured ? undefined : (probe.missing ?? `channels.${id}`);
}

export function createChannel(id: ChannelId, section: ChannelSection, logger: Logger): ProbedChannel {
	return new ProbedChannel({
		id,
		enabled: section.enabled !== false,
		service: probes[id](section),
		logger,
		probeTimeoutMs: section.probeTimeoutMs,
		probeIntervalMs: section.probeIntervalMs,
	});
}

export type TransportContext = {stateDir?: string};

const transports: Partial<Record<ChannelId, (section: ChannelSection, logger: Logger, context: TransportContext) => ChannelTransport>> = {
	telegram: telegramTransport,
	slack: slackTransport,
	discord: (section, logger) => discordTransport(section, logger),
	webhook: webhookTransport,
};

/** How a channel receives and answers messages (undefined for a channel that only probes its service so far). */
export function createTransport(id: ChannelId, section: ChannelSection, logger: Logger, context: TransportContext): ChannelTransport | undefined {
	return transports[id]?.(section, logger, context);
}
