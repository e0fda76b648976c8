// `channels.*`: the chat channels (Telegram, Discord, Slack...) this gateway runs, their accounts and the DM pairing
// queue, in OpenClaw's shapes.

export type ProbeResult = {
	ok: boolean;
	elapsedMs: number;
	error?: string;
	/** HTTP status of the probe request, when one came back. */
	status?: number;
	bot?: {username?: string; id?: string};
	team?: string;
};

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

export type ChannelsStatusParams = {probe?: boolean; timeoutMs?: number; channel?: string};

export type ChannelsStatusResult = {
	ts: number;
	channelOrder: string[];
	channelLabels: Record<string, string>;
	/** Per channel: its account's summary plus routing facts, which vary by channel: free-form. */
	channels: Record<string, Record<string, unknown>>;
	channelAccounts: Record<string, ChannelAccountSnapshot[]>;
	channelDefaultAccountId: Record<string, string>;
	/** OpenClaw's per-channel warnings (`openclaw channels status` prints them); this gateway sends none. */
	statusIssues?: unknown[];
};

export type ChannelTarget = {channel: string; accountId?: string};

export type PairingAccount = {channel: string; channelLabel: string; accountId: string; notifySupported: boolean};

export type PairingRequestRow = {
	requestId: string;
	channel: string;
	channelLabel: string;
	accountId: string;
	senderId: string;
	senderLabel: string;
	createdAt: string;
	lastSeenAt: string;
	expiresAt: string;
	notifySupported: boolean;
};

export type PairingRequestTarget = {channel: string; accountId: string; requestId: string};

export type ChannelMethods = {
	'channels.status': {params: ChannelsStatusParams; result: ChannelsStatusResult};
	'channels.start': {params: ChannelTarget; result: {channel: string; accountId: string; started: boolean; outcome: string}};
	'channels.stop': {params: ChannelTarget; result: {channel: string; accountId: string; stopped: boolean}};
	'channels.pairing.list': {
		params: {channel?: string; accountId?: string};
		result: {
			accounts: PairingAccount[];
			requests: PairingRequestRow[];
			commandOwnerConfigured: boolean;
			limits: {pendingPerAccount: number; ttlMs: number};
		};
	};
	'channels.pairing.approve': {
		params: PairingRequestTarget & {notify?: boolean; bootstrapCommandOwner?: boolean};
		result: {
			requestId: string;
			senderId: string;
			notification: 'sent' | 'failed' | 'not-requested';
			commandOwnerBootstrap: 'unavailable' | 'not-requested';
		};
	};
	'channels.pairing.dismiss': {params: PairingRequestTarget; result: {requestId: string; senderId: string; dismissed: true}};
};
