// `openclaw devices list|approve|reject|revoke`: the gateway's device pairing store. A device (a Control UI tab, a
// client with an Ed25519 identity) that connects from off this host, or from anywhere under
// `gateway.nodes.pairing.autoApproveLocal: false`, is refused with PAIRING_REQUIRED and waits as a request; these
// commands are the operator's side of it, over `device.pair.list|approve|reject` and `device.token.revoke`. The
// argument forms follow OpenClaw's own `devices` command: `approve [requestId]` (without one, or with --latest, it
// shows the newest request and the exact command, and approves nothing), `reject <requestId>`,
// `revoke --device <id> --role <role>`; --json prints the gateway's answer as it is.
import {Output} from '../cli-output/output.js';
import {alignedTable} from '../cli-output/table.js';
import {unservedOf} from '../client/served-methods.js';
import {GatewayError, isRecord} from '../protocol/index.js';
import {UsageError} from '../config/index.js';
import {withSession} from './command-connect.js';
import {commandTarget, stringFlag, timeoutFlag} from './command-target.js';
import type {CommandContext, CommandModule} from './command-spec.js';
import type {devicesApproveFlags, devicesListFlags, devicesRevokeFlags} from './operator-commands.js';

export type DevicesAction = 'list' | 'approve' | 'reject' | 'revoke';

type DeviceCommon = {deviceId: string; role: string; scopes: string[]; clientId?: string; clientMode?: string; displayName?: string; platform?: string; remoteIp?: string};
export type PendingRow = DeviceCommon & {requestId: string; ts?: number};
export type PairedRow = DeviceCommon & {roles: string[]; approvedAtMs?: number; connected?: boolean};

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
	return typeof record[key] === 'string' ? record[key] : undefined;
}

function optionalNumber(record: Record<string, unknown>, key: string): number | undefined {
	return typeof record[key] === 'number' && Number.isFinite(record[key]) ? record[key] : undefined;
}

function common(record: Record<string, unknown>): DeviceCommon {
	const facts: DeviceCommon = {deviceId: record.deviceId as string, role: optionalString(record, 'role') ?? '?', scopes: strings(record.scopes)};
	for (const key of ['clientId', 'clientMode', 'displayName', 'platform', 'remoteIp'] as const) {
		const value = optionalString(record, key);
		if (value !== undefined) {
			facts[key] = value;
		}
	}

	return facts;
}

/** `device.pair.list`'s answer, read defensively (a foreign gateway may send more, or less). */
export function devicesListing(payload: unknown): {pending: PendingRow[]; paired: PairedRow[]} {
	const body = isRecord(payload) ? payload : {};
	const records = (value: unknown) => (Array.isArray(value) ? value.filter(isRecord) : []);
	return {
		pending: records(body.pending)
			.filter((request) => typeof request.requestId === 'string' && typeof request.deviceId === 'string')
			.map((request) => ({...common(request), requestId: request.requestId as string, ...(optionalNumber(request, 'ts') === undefined ? {} : {ts: optionalNumber(request, 'ts')})})),
		paired: records(body.paired)
			.filter((device) => typeof device.deviceId === 'string')
			.map((device) => {
				const roles = strings(device.roles);
				const approvedScopes = strings(device.approvedScopes);
				const row: PairedRow = {...common(device), roles: roles.length > 0 ? roles : [optionalString(device, 'role') ?? '?']};
				if (approvedScopes.length > 0) {
					row.scopes = approvedScopes;
				}

				const approvedAtMs = optionalNumber(device, 'approvedAtMs') ?? optionalNumber(device, 'createdAtMs');
				if (approvedAtMs !== undefined) {
					row.approvedAtMs = approvedAtMs;
				}

				if (typeof device.connected === 'boolean') {
					row.connected = device.connected;
				}

				return row;
			}),
	};
}

/** How long ago `ms` was, in the words `pairing list` uses. */
export function ageText(ms: number | undefined, now = Date.now()): string {
	if (ms === undefined) {
		return '-';
	}

	const minutes = Math.max(0, Math.round((now - ms) / 60_000));
	if (minutes < 1) {
		return 'just now';
	}

	if (minutes < 60) {
		return `${minutes}m ago`;
	}

	const hours = Math.floor(minutes / 60);
	return hours < 48 ? `${hours}h ${minutes % 60}m ago` : `${Math.floor(hours / 24)}d ago`;
}

function clientText(device: DeviceCommon): string {
	const name = device.displayName && device.displayName !== device.clientId ? ` (${device.displayName})` : '';
	const client = device.clientId ?? '-';
	return `${client}${device.clientMode ? `/${device.clientMode}` : ''}${name}`;
}

function scopesText(scopes: string[]): string {
	return scopes.length > 0 ? scopes.join(',') : '-';
}

/** The pending requests: request id, device (its first 12 hex digits), role, scopes, client, when it asked. */
export function pendingTable(rows: PendingRow[], now = Date.now()): string[] {
	if (rows.length === 0) {
		return [];
	}

	return alignedTable(
		['REQUEST', 'DEVICE', 'ROLE', 'SCOPES', 'CLIENT', 'REQUESTED'],
		rows.map((row) => [row.requestId, row.deviceId.slice(0, 12), row.role, scopesText(row.scopes), clientText(row), ageText(row.ts, now)]),
	);
}

/** The paired devices: full device id (what `revoke --device` takes), roles, approved scopes, client, when, connected. */
export function pairedTable(rows: PairedRow[], now = Date.now()): string[] {
	if (rows.length === 0) {
		return [];
	}

	return alignedTable(
		['DEVICE', 'ROLES', 'SCOPES', 'CLIENT', 'PAIRED', 'CONNECTED'],
		rows.map((row) => [row.deviceId, row.roles.join(','), scopesText(row.scopes), clientText(row), ageText(row.approvedAtMs, now), row.connected === undefined ? '-' : row.connected ? 'yes' : 'no']),
	);
}

/** The request id `approve` and `reject` act on, checked before connecting; undefined: approve's "show the newest". */
export function devicesRequestArgument(action: 'approve' | 'reject', input: string[], latest: boolean): string | undefined {
	const usage = action === 'approve' ? 'openclaw devices approve <requestId> (or --latest to see the newest request)' : 'openclaw devices reject <requestId>';
	if (input.length > 1) {
		throw new UsageError(`too many arguments: ${usage}`);
	}

	const requestId = input[0]?.trim();
	if (action === 'approve' && latest && requestId) {
		throw new UsageError(`give a request id or --latest, not both: ${usage}`);
	}

	if (action === 'reject' && !requestId) {
		throw new UsageError(`name the request (openclaw devices list shows them): ${usage}`);
	}

	return requestId || undefined;
}

const neededMethods: Record<DevicesAction, string[]> = {
	list: ['device.pair.list'],
	approve: ['device.pair.list', 'device.pair.approve'],
	reject: ['device.pair.list', 'device.pair.reject'],
	revoke: ['device.token.revoke'],
};

export function forAction(action: 'list' | 'reject'): CommandModule<typeof devicesListFlags>;
export function forAction(action: 'approve'): CommandModule<typeof devicesApproveFlags>;
export function forAction(action: 'revoke'): CommandModule<typeof devicesRevokeFlags>;
export function forAction(action: DevicesAction): CommandModule<typeof devicesListFlags> | CommandModule<typeof devicesApproveFlags> | CommandModule<typeof devicesRevokeFlags> {
	if (action === 'approve') {
		const approve: CommandModule<typeof devicesApproveFlags> = {run: async (context) => run(action, context, {latest: context.flags.latest === true})};
		return approve;
	}

	if (action === 'revoke') {
		const revoke: CommandModule<typeof devicesRevokeFlags> = {
			async run(context) {
				if (context.input.length > 0) {
					throw new UsageError('openclaw devices revoke takes no arguments: openclaw devices revoke --device <id> --role <role>');
				}

				const deviceId = stringFlag(context, 'device')?.trim();
				const role = stringFlag(context, 'role')?.trim();
				if (!deviceId || !role) {
					throw new UsageError('--device and --role are required (openclaw devices list shows the paired devices and their roles): openclaw devices revoke --device <id> --role <role>');
				}

				return run(action, context, {revoke: {deviceId, role}});
			},
		};
		return revoke;
	}

	return {run: async (context: CommandContext<typeof devicesListFlags>) => run(action, context, {})};
}

type RunOptions = {latest?: boolean; revoke?: {deviceId: string; role: string}};

async function run(action: DevicesAction, context: CommandContext<typeof devicesListFlags>, options: RunOptions): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	// Every argument is checked before connecting: a usage error exits 2 without touching the gateway.
	if (action === 'list' && context.input.length > 0) {
		throw new UsageError('openclaw devices list takes no arguments');
	}

	const requestId = action === 'approve' || action === 'reject' ? devicesRequestArgument(action, context.input, options.latest === true) : undefined;
	const target = await commandTarget(context, 'client');
	const timeoutMs = timeoutFlag(context);
	const fail = (message: string, extra: Record<string, unknown> = {}) => {
		if (output.json) {
			output.document({ok: false, ...extra, error: message});
		} else {
			output.error(output.paint('fail', message));
		}

		return 1;
	};

	return withSession(target, output, {timeoutMs, scopes: ['operator.read', 'operator.pairing']}, async ({client, hello}) => {
		const missing = unservedOf(client, neededMethods[action]);
		if (missing.length > 0) {
			const server = hello.server?.version ? ` (${hello.server.version})` : '';
			return fail(`this gateway${server} does not serve ${missing.join(', ')} (its hello-ok lists the methods it serves), so openclaw devices ${action} cannot run against it`, {
				missingMethods: missing,
			});
		}

		if (action === 'revoke') {
			const {deviceId, role} = options.revoke!;
			let answer: unknown;
			try {
				answer = await client.request('device.token.revoke', {deviceId, role}, {timeoutMs});
			} catch (error) {
				if (error instanceof GatewayError && error.code === 'INVALID_REQUEST') {
					return fail(`${error.message}. See the paired devices and their roles: openclaw devices list`, {deviceId, role});
				}

				throw error;
			}

			if (output.json) {
				output.document(answer);
			} else {
				output.line(`${output.paint('ok', 'Revoked')} the ${role} token of device ${deviceId}: its ${role} connections are closed, and it must pair again or use the gateway token.`);
			}

			return 0;
		}

		const listing = await client.request('device.pair.list', {}, {timeoutMs});
		const {pending, paired} = devicesListing(listing);
		if (action === 'list') {
			if (output.json) {
				output.document(listing);
				return 0;
			}

			if (pending.length === 0 && paired.length === 0) {
				output.line('No device pairing entries.');
				return 0;
			}

			if (pending.length > 0) {
				output.line(`Pending (${pending.length})`);
				for (const line of pendingTable(pending)) {
					output.line(line);
				}

				output.line('Approve one with: openclaw devices approve <requestId>');
			}

			if (paired.length > 0) {
				output.line(`${pending.length > 0 ? '\n' : ''}Paired (${paired.length})`);
				for (const line of pairedTable(paired)) {
					output.line(line);
				}
			}

			return 0;
		}

		if (requestId === undefined) {
			// approve without an id (or --latest): OpenClaw's form shows the newest request and approves nothing.
			const newest = [...pending].sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0))[0];
			if (!newest) {
				return fail('no pending device pairing requests to approve');
			}

			const command = `openclaw devices approve ${newest.requestId}`;
			if (output.json) {
				output.document({ok: false, selected: newest, approveCommand: command});
			} else {
				output.line(`Selected pending device request ${newest.requestId}`);
				output.line(`  Device: ${newest.deviceId} · ${clientText(newest)}${newest.remoteIp ? ` · ${newest.remoteIp}` : ''}`);
				output.line(`  Requested: role ${newest.role}, scopes ${scopesText(newest.scopes)}`);
				output.error(`Approve this exact request with: ${command}`);
			}

			return 1;
		}

		const request = pending.find((entry) => entry.requestId === requestId);
		if (!request) {
			return fail(`no pending device pairing request ${requestId} (it may have been approved, rejected or replaced). List them: openclaw devices list`, {requestId});
		}

		if (action === 'approve') {
			const answer = await client.request('device.pair.approve', {requestId}, {timeoutMs});
			if (output.json) {
				output.document(answer);
			} else {
				output.line(`${output.paint('ok', 'Approved')} device ${request.deviceId} (request ${requestId}, role ${request.role}): it may connect now.`);
			}

			return 0;
		}

		const answer = await client.request('device.pair.reject', {requestId}, {timeoutMs});
		if (output.json) {
			output.document(answer);
		} else {
			output.line(`Rejected device ${request.deviceId} (request ${requestId}): its request is dropped and nothing was allowed.`);
		}

		return 0;
	});
}
