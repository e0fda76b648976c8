// `openclaw console --fleet [FILE]`: the Fleet view over every gateway of the fleet (this host's profiles, the fleet
// file, the console's added entries), until the operator quits. Enter opens one gateway's panes; Esc comes back.
import path from 'node:path';
import {UsageError} from '../protocol/errors.js';
import type {CommandContext, consoleFlags} from '../commands/registry.js';
import {whereOf} from '../fleet/entry.js';
import {initialRow} from '../fleet/row.js';
import {loadFleet} from '../fleet/sources.js';
import {installCleanupHandlers} from '../supervisor/cleanup.js';
import {FleetConsole} from './FleetConsole.js';
import {FleetStore} from './fleet-store.js';
import {FleetController} from './live/fleet-controller.js';
import {renderUntilFinished, restoreScreen} from './screen-session.js';
import {initialFleetView} from './state/fleet.js';
import {themeFor} from './theme.js';

export async function runFleetConsole(context: CommandContext<typeof consoleFlags>): Promise<number> {
	const {flags} = context;
	if (flags.url || flags.ssh || flags.attach || flags.once) {
		throw new UsageError('--fleet watches every gateway of the fleet: drop --url/--ssh/--attach/--once (for a plain table, run openclaw fleet status)');
	}

	if (context.input.length > 1) {
		throw new UsageError(`--fleet takes one fleet file, got ${context.input.length} (see openclaw console --help)`);
	}

	const named = context.input[0];
	const fleet = await loadFleet({env: context.env, fleetFile: named === undefined ? undefined : path.resolve(named), selection: {profile: context.profile, dev: context.dev}});
	for (const warning of fleet.warnings) {
		process.stderr.write(`openclaw: warning: ${warning}\n`);
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write('openclaw console --fleet needs an interactive terminal (TTY). For the same rows as text, run `openclaw fleet status`.\n');
		return 1;
	}

	const now = Date.now();
	const kinds = Object.fromEntries(fleet.entries.map((entry) => [entry.name, entry.kind]));
	const origins = Object.fromEntries(fleet.entries.map((entry) => [entry.name, entry.origin]));
	const store = new FleetStore(
		initialFleetView(
			fleet.entries.map((entry) => initialRow(entry.name, whereOf(entry), now)),
			kinds,
			{columns: process.stdout.columns || 80, rows: process.stdout.rows || 24},
			origins,
		),
	);
	let finish: (code: number) => void = () => {};
	const finished = new Promise<number>((resolve) => {
		finish = resolve;
	});
	const intervalMs = Number(context.env.OPENCLAW_FLEET_POLL_MS) || undefined;
	const controller = new FleetController({entries: fleet.entries, env: context.env, store, prober: {intervalMs}, onExit: finish});
	// The ssh connections and the drilled-in client are all this console holds: closed on SIGTERM/SIGHUP/SIGINT.
	const uninstall = installCleanupHandlers({
		async dispose() {
			await controller.quit();
			restoreScreen();
		},
		disposeSync() {
			controller.prober.disposeSync();
			restoreScreen();
		},
	});
	controller.start();
	const code = await renderUntilFinished(<FleetConsole store={store} driver={controller} theme={themeFor(context.env)} />, {env: context.env, finished});
	store.dispose();
	restoreScreen();
	uninstall();
	return code;
}
