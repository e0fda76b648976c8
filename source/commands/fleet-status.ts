// `openclaw fleet status`: every gateway of the fleet (this host's profiles, the fleet file, the console's added
// entries) probed once, in parallel with a bound, as one row each. Exit 0 when every gateway answered its probe,
// 1 when any did not (its row says why), 2 on usage errors (a bad flag, a fleet file that is missing or invalid).
import path from 'node:path';
import {Output} from '../cli-output/output.js';
import {fleetTable, rowJson} from '../fleet/format.js';
import {FleetProber} from '../fleet/prober.js';
import {answers} from '../fleet/row.js';
import {loadFleet} from '../fleet/sources.js';
import {stringFlag, timeoutFlag, UsageError} from './command-target.js';
import type {fleetStatusFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

export async function run(context: CommandContext<typeof fleetStatusFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	if (context.input.length > 0) {
		throw new UsageError(`unexpected argument ${JSON.stringify(context.input[0])} (see openclaw fleet status --help)`);
	}

	const timeoutMs = timeoutFlag(context);
	const named = stringFlag(context, 'fleet');
	const fleet = await loadFleet({env: context.env, fleetFile: named === undefined ? undefined : path.resolve(named), selection: {profile: context.profile, dev: context.dev}});
	for (const warning of fleet.warnings) {
		output.notice(`openclaw: warning: ${warning}`);
	}

	if (fleet.entries.length === 0) {
		const message = `no gateways: no profile state dir under home and no entries in ${fleet.fleetFile.path}${fleet.fleetFile.exists ? '' : ' (no such file)'}. Fix: run a gateway (openclaw setup, openclaw gateway) or list gateways in a fleet file.`;
		if (output.json) {
			output.document({ok: false, rows: [], fleetFile: fleet.fleetFile, warnings: fleet.warnings, error: message});
		} else {
			output.error(`openclaw: ${message}`);
		}

		return 1;
	}

	const prober = new FleetProber(fleet.entries, {env: context.env, timeoutMs, tunnelOptions: {openTimeoutMs: timeoutMs}});
	let rows;
	try {
		rows = await prober.probeAll();
	} finally {
		await prober.stop();
	}

	const ok = rows.every((row) => answers(row));
	if (output.json) {
		output.document({ok, rows: rows.map((row) => rowJson(row)), fleetFile: fleet.fleetFile, warnings: fleet.warnings});
	} else {
		for (const line of fleetTable(rows, (role, text) => output.paint(role, text))) {
			output.line(line);
		}
	}

	return ok ? 0 : 1;
}
