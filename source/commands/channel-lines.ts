// One readable line per channel account, from `channels.status` (channelAccounts) or `health` (channels).
// Pure; only the fields that are present contribute, so a real OpenClaw payload renders too.
import {isRecord} from '../protocol/index.js';

export type ChannelAccount = {
	accountId?: string;
	name?: string;
	enabled?: boolean;
	configured?: boolean;
	linked?: boolean;
	running?: boolean;
	connected?: boolean;
	lastError?: string | null;
	probe?: {ok?: boolean; elapsedMs?: number; error?: string | null; status?: number} | null;
};

export type ChannelRow = {id: string; label: string; account: ChannelAccount};

/** Readiness: ready (running/connected and any probe passed), failing (error or failed probe), or idle. */
export function readiness(account: ChannelAccount): 'ready' | 'failing' | 'off' | 'not ready' {
	if (account.enabled === false || account.configured === false) {
		return 'off';
	}

	if (account.probe && account.probe.ok === false) {
		return 'failing';
	}

	if (account.lastError) {
		return 'failing';
	}

	return account.running || account.connected || account.probe?.ok ? 'ready' : 'not ready';
}

export function accountBits(account: ChannelAccount): string[] {
	const bits: string[] = [];
	const flag = (value: boolean | undefined, yes: string, no: string) => {
		if (value !== undefined) {
			bits.push(value ? yes : no);
		}
	};

	flag(account.enabled, 'enabled', 'disabled');
	flag(account.configured, 'configured', 'not configured');
	flag(account.linked, 'linked', 'not linked');
	flag(account.running, 'running', 'stopped');
	flag(account.connected, 'connected', 'disconnected');
	if (account.probe) {
		const elapsed = typeof account.probe.elapsedMs === 'number' ? ` (${Math.round(account.probe.elapsedMs)} ms)` : '';
		bits.push(account.probe.ok ? `works${elapsed}` : `probe failed${elapsed}: ${account.probe.error ?? 'unknown error'}`);
	}

	// A failed probe usually is the last error: say it once.
	if (account.lastError && account.lastError !== account.probe?.error) {
		bits.push(`error: ${account.lastError}`);
	}

	return bits;
}

function asAccount(value: unknown): ChannelAccount {
	return isRecord(value) ? (value as ChannelAccount) : {};
}

/** Rows from a `channels.status` payload, in channelOrder (then any others, sorted). */
export function rowsFromChannelsStatus(payload: unknown, only?: string): ChannelRow[] {
	const status = isRecord(payload) ? payload : {};
	const accounts = isRecord(status.channelAccounts) ? status.channelAccounts : {};
	const channels = isRecord(status.channels) ? status.channels : {};
	const labels = isRecord(status.channelLabels) ? status.channelLabels : {};
	const order = Array.isArray(status.channelOrder) ? status.channelOrder.filter((id): id is string => typeof id === 'string') : [];
	const ids = [...new Set([...order, ...Object.keys(accounts).sort(), ...Object.keys(channels).sort()])].filter((id) => !only || id === only);
	const rows: ChannelRow[] = [];
	for (const id of ids) {
		const label = typeof labels[id] === 'string' ? (labels[id] as string) : id;
		const list = Array.isArray(accounts[id]) ? (accounts[id] as unknown[]) : [];
		if (list.length === 0) {
			rows.push({id, label, account: asAccount(channels[id])});
		} else {
			for (const account of list) {
				rows.push({id, label, account: asAccount(account)});
			}
		}
	}

	return rows;
}

/** Rows from a `health` payload's `channels` map. */
export function rowsFromHealth(payload: unknown): ChannelRow[] {
	return rowsFromChannelsStatus(payload);
}

export function formatChannelRow(row: ChannelRow): string {
	const account = row.account.accountId && row.account.accountId !== 'default' ? ` ${row.account.accountId}` : '';
	const name = row.account.name ? ` (${row.account.name})` : '';
	const bits = accountBits(row.account);
	return `- ${row.label}${account}${name}: ${bits.length > 0 ? bits.join(', ') : 'no status'}`;
}
