// `openclaw pairing list|approve|reject`: the DM senders waiting under a channel's `dmPolicy: "pairing"`. A peer who
// is not allowed gets a pairing code and is told to ask the owner to run `openclaw pairing approve <channel> <code>`;
// these commands are that owner's side. They go through the running gateway (`channels.pairing.*`), which holds the
// requests and answers for remote gateways too. The arguments follow OpenClaw's own `pairing` command: the channel
// positionally or with --channel, and the only channel is the default when the gateway has one.
import {Output} from '../cli-output/output.js';
import {alignedTable} from '../cli-output/table.js';
import {isRecord} from '../protocol/index.js';
import {UsageError} from '../config/index.js';
import {requireServed, withSession} from './command-connect.js';
import {commandTarget, stringFlag, timeoutFlag} from './command-target.js';
import type {CommandContext, CommandModule} from './command-spec.js';
import type {pairingApproveFlags, pairingListFlags} from './operator-commands.js';

export type PairingAction = 'list' | 'approve' | 'reject';

export type PairingRow = {requestId: string; channel: string; senderId: string; senderLabel?: string; createdAt?: string; expiresAt?: string};

/** The pairing channels the gateway has (`channels.pairing.list`'s accounts), and its pending requests. */
export function pairingListing(payload: unknown): {channels: string[]; requests: PairingRow[]} {
	const body = isRecord(payload) ? payload : {};
	const accounts = Array.isArray(body.accounts) ? body.accounts.filter(isRecord) : [];
	const requests = Array.isArray(body.requests) ? body.requests.filter(isRecord) : [];
	return {
		channels: [...new Set(accounts.map((account) => account.channel).filter((channel): channel is string => typeof channel === 'string'))],
		requests: requests
			.filter((request) => typeof request.requestId === 'string' && typeof request.channel === 'string')
			.map((request) => ({
				requestId: request.requestId as string,
				channel: request.channel as string,
				senderId: typeof request.senderId === 'string' ? request.senderId : '?',
				...(typeof request.senderLabel === 'string' ? {senderLabel: request.senderLabel} : {}),
				...(typeof request.createdAt === 'string' ? {createdAt: request.createdAt} : {}),
				...(typeof request.expiresAt === 'string' ? {expiresAt: request.expiresAt} : {}),
			})),
	};
}

/**
 * Channel and code from `approve|reject <channel> <code>`, `--channel C <code>` or, with one pairing channel, `<code>`.
 * Throws a UsageError that shows the accepted forms.
 */
export function pairingTarget(action: 'approve' | 'reject', input: string[], channelFlag: string | undefined, channels: string[]): {channel: string; code: string} {
	const usage = `openclaw pairing ${action} <channel> <code> (or --channel <channel> <code>)`;
	if (input.length === 0 || input.length > 2 || (channelFlag !== undefined && input.length === 2)) {
		throw new UsageError(`${input.length > 2 || channelFlag !== undefined ? 'too many arguments' : 'name the pairing code'}: ${usage}`);
	}

	const [first, second] = input as [string, string | undefined];
	const channel = channelFlag ?? (second === undefined ? (channels.length === 1 ? channels[0] : undefined) : first);
	const code = second ?? first;
	if (!channel) {
		throw new UsageError(`name the channel (${channels.length > 0 ? channels.join(', ') : 'this gateway has no pairing channel'}): ${usage}`);
	}

	return {channel, code: code.trim().toUpperCase()};
}

/** The human table: code, sender, channel, age; oldest first as the gateway lists them. */
export function pairingTable(rows: PairingRow[], now = Date.now()): string[] {
	if (rows.length === 0) {
		return [];
	}

	const cells = rows.map((row) => [row.requestId, row.senderLabel && row.senderLabel !== row.senderId ? `${row.senderId} (${row.senderLabel})` : row.senderId, row.channel, age(row.createdAt, now)]);
	const header = ['CODE', 'SENDER', 'CHANNEL', 'REQUESTED'];
	return alignedTable(header, cells);
}

function stringField(value: unknown, key: string): string | undefined {
	const field = isRecord(value) ? value[key] : undefined;
	return typeof field === 'string' ? field : undefined;
}

function age(iso: string | undefined, now: number): string {
	const at = iso ? Date.parse(iso) : Number.NaN;
	if (Number.isNaN(at)) {
		return '-';
	}

	const minutes = Math.max(0, Math.round((now - at) / 60_000));
	return minutes < 1 ? 'just now' : minutes < 60 ? `${minutes}m ago` : `${Math.floor(minutes / 60)}h ${minutes % 60}m ago`;
}

export function forAction(action: 'list' | 'reject'): CommandModule<typeof pairingListFlags>;
export function forAction(action: 'approve'): CommandModule<typeof pairingApproveFlags>;
export function forAction(action: PairingAction): CommandModule<typeof pairingListFlags> | CommandModule<typeof pairingApproveFlags> {
	if (action === 'approve') {
		const approve: CommandModule<typeof pairingApproveFlags> = {run: async (context) => run(action, context, context.flags.notify)};
		return approve;
	}

	return {run: async (context: CommandContext<typeof pairingListFlags>) => run(action, context, false)};
}

async function run(action: PairingAction, context: CommandContext<typeof pairingListFlags>, notify: boolean): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const channelFlag = stringFlag(context, 'channel');
	if (action === 'list' && (context.input.length > 1 || (context.input.length === 1 && channelFlag !== undefined))) {
		throw new UsageError('openclaw pairing list [channel] (or --channel <channel>)');
	}

	if (action !== 'list') {
		// The arguments' shape is checked before connecting; only the default channel needs the gateway's answer.
		pairingTarget(action, context.input, channelFlag, ['?']);
	}

	const target = await commandTarget(context, 'client');
	const timeoutMs = timeoutFlag(context);
	let usage: UsageError | undefined;
	const exitCode = await withSession(target, output, {timeoutMs, scopes: ['operator.read', 'operator.pairing']}, async (session) => {
		const {client} = session;
		requireServed(session, 'channels.pairing.list');
		const listChannel = action === 'list' ? (channelFlag ?? context.input[0]) : undefined;
		const listing = pairingListing(await client.request('channels.pairing.list', listChannel ? {channel: listChannel} : {}, {timeoutMs}));
		if (action === 'list') {
			if (output.json) {
				output.document({channel: listChannel ?? null, requests: listing.requests});
			} else if (listing.requests.length === 0) {
				output.line(`No pending ${listChannel ? `${listChannel} ` : ''}pairing requests.`);
			} else {
				output.line(`Pairing requests (${listing.requests.length})`);
				for (const line of pairingTable(listing.requests)) {
					output.line(line);
				}

				output.line(`Approve one with: openclaw pairing approve <channel> <code>`);
			}

			return 0;
		}

		let chosen: {channel: string; code: string};
		try {
			chosen = pairingTarget(action, context.input, channelFlag, listing.channels);
		} catch (error) {
			usage = error as UsageError; // thrown after the session closes: a usage error exits 2, not 1
			return 2;
		}

		const {channel, code} = chosen;
		const pending = listing.requests.find((request) => request.channel === channel && request.requestId === code);
		if (!pending) {
			const message = `no pending ${channel} pairing request with code ${code} (requests last an hour). List them: openclaw pairing list ${channel}`;
			if (output.json) {
				output.document({ok: false, channel, code, error: message});
			} else {
				output.error(output.paint('fail', message));
			}

			return 1;
		}

		const params = {channel, accountId: 'default', requestId: code};
		requireServed(session, action === 'approve' ? 'channels.pairing.approve' : 'channels.pairing.dismiss');
		let notification: string | undefined;
		if (action === 'approve') {
			const answer = await client.request('channels.pairing.approve', {...params, notify}, {timeoutMs});
			// A real OpenClaw gateway answers this too: its notification is read only when it is a string.
			notification = stringField(answer, 'notification');
		} else {
			await client.request('channels.pairing.dismiss', params, {timeoutMs});
		}
		if (output.json) {
			output.document({ok: true, action, channel, code, senderId: pending.senderId, ...(notification ? {notification} : {})});
		} else if (action === 'approve') {
			output.line(`${output.paint('ok', 'Approved')} ${channel} sender ${pending.senderId}: their messages now reach the agent.`);
			if (notification === 'failed') {
				output.line(output.paint('warn', 'The sender could not be told (the channel did not take the message).'));
			}
		} else {
			output.line(`Rejected ${channel} pairing request ${code} from ${pending.senderId}: nothing was allowed.`);
		}

		return 0;
	});
	if (usage) {
		throw usage;
	}

	return exitCode;
}
