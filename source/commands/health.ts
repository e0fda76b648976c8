// `openclaw health` / `openclaw gateway health`: the `health` RPC, as a summary or the raw payload with --json.
import {Output} from '../cli-output/output.js';
import {requireServed, withSession} from './command-connect.js';
import {commandTarget, timeoutFlag} from './command-target.js';
import type {connectionFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

export async function run(context: CommandContext<typeof connectionFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context, 'client');
	const timeoutMs = timeoutFlag(context);
	// The text formatter loads while the request is in flight; --json never needs it.
	const formatter = output.json ? undefined : import('./health-report.js');
	formatter?.catch(() => {});
	return withSession(target, output, {timeoutMs, scopes: ['operator.read']}, async (session) => {
		requireServed(session, 'health');
		const {client} = session;
		const started = performance.now();
		const payload = await client.request('health', undefined, {timeoutMs});
		const roundTripMs = Math.round(performance.now() - started);
		if (output.json) {
			output.document(payload);
		} else {
			const {formatHealth} = await (formatter ?? import('./health-report.js'));
			for (const line of formatHealth(payload, roundTripMs)) {
				output.line(line);
			}
		}

		// `?.` whatever the map says: a foreign gateway's answer could be null.
		return payload?.ok === false ? 1 : 0;
	});
}
