// What a fleet is made of: one entry per gateway, from a local profile, a fleet file or the console's own store.
// Types only; fleet-file.ts parses entries, profiles.ts finds the local ones, sources.ts puts them together.

/** How the gateway takes the credentials: a token in clear, a file holding it (read at each connect), or a password. */
export type EntryAuth = {token?: string; tokenFile?: string; password?: string};

/** An entry as written in a fleet file or the console's store (the file's vocabulary). */
export type WrittenEntry =
	| ({name: string; url: string} & EntryAuth)
	| ({name: string; ssh: string; remotePort?: number; identity?: string} & EntryAuth);

export type UrlEntry = {kind: 'url'; name: string; url: string; auth: EntryAuth; origin: EntryOrigin};

export type SshEntry = {
	kind: 'ssh';
	name: string;
	/** user@host[:port], as written. */
	ssh: string;
	remotePort: number;
	identity?: string;
	auth: EntryAuth;
	origin: EntryOrigin;
};

/** A profile on this host: its config, port and token are resolved as `openclaw --profile NAME` would, at each connect. */
export type ProfileEntry = {
	kind: 'profile';
	name: string;
	/** The profile selected (undefined: the default one, ~/.openclaw, or the state dir OPENCLAW_STATE_DIR names). */
	profile?: string;
	stateDir: string;
	/** True for the profile the environment selects (OPENCLAW_STATE_DIR and friends apply to it, and only to it). */
	fromEnv: boolean;
	origin: EntryOrigin;
};

export type FleetEntry = UrlEntry | SshEntry | ProfileEntry;

export type EntryKind = FleetEntry['kind'];

export type EntryOrigin = {source: 'profile' | 'file' | 'console'; /** The file the entry came from. */ path?: string};

export const defaultRemotePort = 18_789;

/** Where a gateway is, for the operator: `profile main`, the ws URL, `ssh user@host:22 :18789`. */
export function whereOf(entry: FleetEntry): string {
	switch (entry.kind) {
		case 'profile':
			return entry.profile ? `profile ${entry.profile}` : 'profile default';
		case 'url':
			return entry.url;
		default:
			return `ssh ${entry.ssh} :${entry.remotePort}`;
	}
}
