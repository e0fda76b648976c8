// `openclaw channels status [--probe]`: "Gateway reachable." then one line per channel account with its readiness.
import {Output} from '../cli-output/output.js';
import {isRecord} from '../protocol/index.js';
import {formatChannelRow, readiness, rowsFromChannelsStatus} from './channel-lines.js';
import {requireServed, withSession} from './command-connect.js';
import {commandTarget, stringFlag, timeoutFlag} from './command-target.js';
import type {channelsStatusFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';
import type {MethodParams} from '../protocol/methods/index.js';

export async function run(context: CommandContext<typeof channelsStatusFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context, 'client');
	const timeoutMs = timeoutFlag(context);
	const probe = context.flags.probe === true;
	const only = stringFlag(context, 'channel');
	return withSession(target, output, {timeoutMs, scopes: ['operator.read']}, async (session) => {
		requireServed(session, 'channels.status');
		const {client} = session;
		const params: MethodParams<'channels.status'> = {probe, timeoutMs: Math.max(1000, timeoutMs - 500)};
		if (only) {
			params.channel = only;
		}

		const payload = await client.request('channels.status', params, {timeoutMs});
		const rows = rowsFromChannelsStatus(payload, only);
		const failing = rows.filter((row) => readiness(row.account) === 'failing');
		if (output.json) {
			output.document({gatewayReachable: true, probe, ...(isRecord(payload) ? payload : {payload})});
		} else {
			output.line('Gateway reachable.');
			if (rows.length === 0) {
				output.line(only ? `- no channel "${only}" configured` : '- no configured chat channels (add one under channels.* in the config)');
			}

			for (const row of rows) {
				const state = readiness(row.account);
				const line = formatChannelRow(row);
				output.line(state === 'failing' ? output.paint('fail', line) : state === 'ready' ? line : output.paint('muted', line));
			}

			const issues = isRecord(payload) && Array.isArray(payload.statusIssues) ? payload.statusIssues : [];
			if (issues.length > 0) {
				output.line('Warnings:');
				for (const issue of issues) {
					output.line(`- ${isRecord(issue) ? String(issue.message ?? JSON.stringify(issue)) : String(issue)}`);
				}

				output.line('- Run: openclaw doctor');
			}
		}

		// A failed live probe is a failure worth a non-zero exit; a plain status read is not.
		return probe && failing.length > 0 ? 1 : 0;
	});
}
