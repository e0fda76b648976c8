// `openclaw gateway call <method> [--params JSON]`: one RPC to the running gateway, its answer as JSON. For scripts
// and for methods no other command covers; the gateway decides what the connection may call (missing scope).
import {Output} from '../cli-output/output.js';
import {isRecord} from '../protocol/index.js';
import {UsageError} from '../config/index.js';
import {withSession} from './command-connect.js';
import {commandTarget, stringFlag, timeoutFlag} from './command-target.js';
import type {gatewayCallFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

/** `--params` as a JSON object (or nothing); anything else is a usage error naming the flag. */
export function parseCallParams(raw: string | undefined): Record<string, unknown> | undefined {
	if (raw === undefined) {
		return undefined;
	}

	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch (error) {
		throw new UsageError(`--params is not JSON: ${(error as Error).message}`);
	}

	if (!isRecord(value)) {
		throw new UsageError('--params must be a JSON object, e.g. --params \'{"probe": true}\'');
	}

	return value;
}

export async function run(context: CommandContext<typeof gatewayCallFlags>): Promise<number> {
	const [method, ...extra] = context.input;
	if (!method || extra.length > 0) {
		throw new UsageError('name one method: openclaw gateway call <method> [--params JSON]');
	}

	const params = parseCallParams(stringFlag(context, 'params'));
	// Always JSON: the answer of an arbitrary method has no human form.
	const output = new Output({json: true, env: context.env});
	const target = await commandTarget(context, 'client');
	const timeoutMs = timeoutFlag(context);
	return withSession(target, output, {timeoutMs, scopes: ['operator.read', 'operator.write', 'operator.admin']}, async ({client}) => {
		// Sent whether or not the gateway lists it in hello-ok (every other command asks serves() first): this is the
		// operator's explicit raw call, the way to reach a method a gateway serves without advertising it.
		output.document(await client.request(method, params, {timeoutMs}));
		return 0;
	});
}
