// The console's own store (conf): its preferences and the gateways added from the console, in
// <console config dir>/console.json. The file can hold tokens, so it is written 0600 (in a 0700 dir) whatever the
// umask, and tightened on open if someone loosened it. Entries are checked as a fleet file's are.
import {chmodSync, mkdirSync, statSync} from 'node:fs';
import Conf from 'conf';
import {type Env} from '../protocol/config/paths.js';
import {UsageError} from '../protocol/errors.js';
import {consoleConfigDir} from './config-dir.js';

export {consoleStoreFile} from './config-dir.js';
import type {SshEntry, UrlEntry, WrittenEntry} from './entry.js';
import {parseEntry} from './fleet-file.js';

export const fleetSorts = ['name', 'state', 'latency'] as const;
export type FleetSort = (typeof fleetSorts)[number];

export type ConsolePreferences = {
	/** How the Fleet view orders its rows. */
	sort: FleetSort;
	/** The Fleet view's `/` filter, kept across runs. */
	filter: string;
	/** Time between two probes of one gateway. */
	pollIntervalMs: number;
};

type StoreShape = {preferences: ConsolePreferences; gateways: WrittenEntry[]};

export const defaultPreferences: ConsolePreferences = {sort: 'name', filter: '', pollIntervalMs: 5000};

export class ConsoleStore {
	private readonly conf: Conf<StoreShape>;

	constructor(
		private readonly env: Env,
		dir = consoleConfigDir(env),
	) {
		mkdirSync(dir, {recursive: true, mode: 0o700});
		try {
			this.conf = new Conf<StoreShape>({
				cwd: dir,
				configName: 'console',
				configFileMode: 0o600,
				defaults: {preferences: defaultPreferences, gateways: []},
				accessPropertiesByDotNotation: false,
			});
		} catch (error) {
			throw new UsageError(`cannot read the console's store in ${dir}/console.json: ${(error as Error).message}. Fix: correct or remove the file.`);
		}

		tighten(this.conf.path);
	}

	get path(): string {
		return this.conf.path;
	}

	preferences(): ConsolePreferences {
		return {...defaultPreferences, ...this.conf.get('preferences')};
	}

	setPreferences(patch: Partial<ConsolePreferences>): void {
		this.conf.set('preferences', {...this.preferences(), ...patch});
	}

	/** The stored entries, each checked; a bad one is reported (by name and key) and left out, never fatal. */
	gateways(): {entries: Array<UrlEntry | SshEntry>; issues: string[]} {
		const entries: Array<UrlEntry | SshEntry> = [];
		const issues: string[] = [];
		for (const [index, value] of this.written().entries()) {
			const parsed = parseEntry(value, `${this.path}: gateways[${index}]`, {source: 'console', path: this.path}, this.env);
			issues.push(...parsed.issues);
			if (parsed.entry) {
				entries.push(parsed.entry);
			}
		}

		return {entries, issues};
	}

	/** Add (or replace, by name) an entry. Throws a UsageError naming the key when it is not valid. */
	addGateway(entry: WrittenEntry): void {
		const parsed = parseEntry(entry, 'gateway', {source: 'console', path: this.path}, this.env);
		if (parsed.issues.length > 0) {
			throw new UsageError(parsed.issues.join('; '));
		}

		this.conf.set('gateways', [...this.written().filter((item) => item.name !== entry.name), entry]);
	}

	removeGateway(name: string): boolean {
		const before = this.written();
		const after = before.filter((item) => item.name !== name);
		this.conf.set('gateways', after);
		return after.length !== before.length;
	}

	private written(): WrittenEntry[] {
		const value = this.conf.get('gateways');
		return Array.isArray(value) ? value : [];
	}
}

function tighten(file: string): void {
	try {
		if ((statSync(file).mode & 0o077) !== 0) {
			chmodSync(file, 0o600);
		}
	} catch {}
}
