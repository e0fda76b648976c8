// The Channels pane: one row per channel account from `channels.status`, with a stale marker when the answer is
// old (the link is down or polling failed), so an operator never trusts a green row that nobody re-checked.
import {isRecord} from '../../protocol/index.js';

export type ChannelRow = {
	id: string;
	label: string;
	accountId: string;
	enabled?: boolean;
	configured?: boolean;
	running?: boolean;
	connected?: boolean;
	lastError?: string;
	probe?: {ok: boolean; elapsedMs?: number; error?: string};
	lastProbeAt?: number;
};

export type ChannelsState = {
	rows: ChannelRow[];
	fetchedAt?: number;
	error?: string;
	loaded: boolean;
};

export type ChannelsAction = {type: 'channels/status'; payload: unknown; at: number} | {type: 'channels/error'; error: string; at: number};

export const initialChannels: ChannelsState = {rows: [], loaded: false};

function optionalBoolean(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Rows from a `channels.status` payload (OpenClaw's ChannelsStatusResult; unknown keys ignored). */
export function channelRows(payload: unknown): ChannelRow[] {
	if (!isRecord(payload)) {
		return [];
	}

	const accounts = isRecord(payload.channelAccounts) ? payload.channelAccounts : {};
	const labels = isRecord(payload.channelLabels) ? payload.channelLabels : {};
	const order = Array.isArray(payload.channelOrder) ? payload.channelOrder.filter((id): id is string => typeof id === 'string') : [];
	const ids = [...order, ...Object.keys(accounts).filter((id) => !order.includes(id))];
	const rows: ChannelRow[] = [];
	for (const id of ids) {
		const label = optionalString(labels[id]) ?? id;
		const list = Array.isArray(accounts[id]) ? (accounts[id] as unknown[]) : [];
		if (list.length === 0) {
			rows.push({id, label, accountId: 'default', configured: false});
			continue;
		}

		for (const account of list) {
			if (!isRecord(account)) {
				continue;
			}

			const probe = isRecord(account.probe)
				? {
						ok: account.probe.ok === true,
						elapsedMs: typeof account.probe.elapsedMs === 'number' ? account.probe.elapsedMs : undefined,
						error: optionalString(account.probe.error),
					}
				: undefined;
			rows.push({
				id,
				label,
				accountId: optionalString(account.accountId) ?? 'default',
				enabled: optionalBoolean(account.enabled),
				configured: optionalBoolean(account.configured),
				running: optionalBoolean(account.running),
				connected: optionalBoolean(account.connected),
				lastError: optionalString(account.lastError),
				probe,
				lastProbeAt: typeof account.lastProbeAt === 'number' ? account.lastProbeAt : undefined,
			});
		}
	}

	return rows;
}

export function channelsReducer(state: ChannelsState, action: ChannelsAction): ChannelsState {
	switch (action.type) {
		case 'channels/status':
			return {rows: channelRows(action.payload), fetchedAt: action.at, loaded: true};
		case 'channels/error':
			return {...state, error: action.error};
		default:
			return state;
	}
}

/** Rows are stale when the last good answer is older than `staleAfterMs`, or the last poll failed. */
export function channelsStale(state: ChannelsState, now: number, staleAfterMs: number): boolean {
	return state.loaded && (state.error !== undefined || state.fetchedAt === undefined || now - state.fetchedAt > staleAfterMs);
}
