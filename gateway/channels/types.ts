// The channel adapter contract. A channel here is one account (`default`) of a chat service the gateway keeps a
// connection to; `connected` means the last probe of the service's API succeeded.
export const channelIds = ['telegram', 'discord', 'slack', 'webhook'] as const;
export type ChannelId = (typeof channelIds)[number];

export const channelLabels: Record<ChannelId, string> = {
	telegram: 'Telegram',
	discord: 'Discord',
	slack: 'Slack',
	webhook: 'Webhook',
};

export const defaultAccountId = 'default';

export type ProbeResult = {
	ok: boolean;
	elapsedMs: number;
	error?: string;
	/** HTTP status of the probe request, when one came back. */
	status?: number;
	bot?: {username?: string; id?: string};
	team?: string;
};

/** OpenClaw's ChannelAccountSnapshot (open object): the fields we can know for a probed account. */
export type ChannelAccountSnapshot = {
	accountId: string;
	enabled: boolean;
	configured: boolean;
	running: boolean;
	connected: boolean;
	lastError: string | null;
	lastProbeAt: number | null;
	lastStartAt: number | null;
	lastStopAt: number | null;
	lastConnectedAt: number | null;
	probe?: ProbeResult;
	baseUrl?: string;
	botTokenSource?: 'config' | 'none';
};

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
