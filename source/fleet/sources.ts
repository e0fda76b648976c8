// The fleet: every profile found on this host, then the fleet file's entries, then those added from the console.
// Names are the rows' keys, so they are unique: a later entry reusing a name is left out, with a warning saying so.
import {existsSync} from 'node:fs';
import type {Env, ProfileSelection} from '../protocol/config/paths.js';
import {consoleStoreFile, defaultFleetFile} from './config-dir.js';
import type {ConsoleStore} from './console-store.js';
import type {FleetEntry} from './entry.js';
import {loadFleetFile} from './fleet-file.js';
import {discoverProfiles} from './profiles.js';

export type FleetSourceOptions = {
	env: Env;
	/** --fleet FILE; default: fleet.json5 in the console's config dir (absent there: no file entries). */
	fleetFile?: string;
	selection?: ProfileSelection;
	/** The console's store; by default opened only if its file exists (opening one creates it; conf loads only then). */
	store?: ConsoleStore;
};

export type Fleet = {
	entries: FleetEntry[];
	warnings: string[];
	fleetFile: {path: string; exists: boolean};
	storePath?: string;
};

export async function loadFleet(options: FleetSourceOptions): Promise<Fleet> {
	const filePath = options.fleetFile ?? defaultFleetFile(options.env);
	const file = loadFleetFile(filePath, options.env, options.fleetFile !== undefined);
	let store = options.store;
	if (!store && existsSync(consoleStoreFile(options.env))) {
		const {ConsoleStore} = await import('./console-store.js');
		store = new ConsoleStore(options.env);
	}

	const stored = store?.gateways() ?? {entries: [], issues: []};
	const warnings = [...file.warnings, ...stored.issues.map((issue) => `left out: ${issue}`)];
	const entries: FleetEntry[] = [];
	const names = new Set<string>();
	const candidates = [...(file.profiles ? discoverProfiles(options.env, options.selection) : []), ...file.entries, ...stored.entries];
	for (const entry of candidates) {
		if (names.has(entry.name)) {
			warnings.push(`left out: ${entry.origin.source === 'profile' ? 'profile' : (entry.origin.path ?? 'entry')} ${JSON.stringify(entry.name)}: the name is already used by another gateway`);
			continue;
		}

		names.add(entry.name);
		entries.push(entry);
	}

	return {entries, warnings, fleetFile: {path: filePath, exists: file.exists}, storePath: store?.path};
}
