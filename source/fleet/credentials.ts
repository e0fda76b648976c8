// Where a fleet entry's gateway is and what it takes to get in, worked out at each connect: a profile's config and
// token are re-read (a token rotated on disk is picked up), a tokenFile is read then, never cached.
import {readFileSync} from 'node:fs';
import type {Env} from '../protocol/config/paths.js';
import type {EntryAuth, FleetEntry} from './entry.js';
import {profileTarget} from './profiles.js';
import type {SshHostPool} from './ssh-hosts.js';

export type Dial = {url: string; token?: string; password?: string};

export class CredentialError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialError';
	}
}

export function readAuth(auth: EntryAuth): {token?: string; password?: string} {
	if (auth.tokenFile === undefined) {
		return {token: auth.token, password: auth.password};
	}

	let token: string;
	try {
		token = readFileSync(auth.tokenFile, 'utf8').trim();
	} catch (error) {
		throw new CredentialError(`cannot read tokenFile ${auth.tokenFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
	}

	if (!token) {
		throw new CredentialError(`tokenFile ${auth.tokenFile} is empty`);
	}

	return {token};
}

/** The URL to dial and the secret to send. Throws CredentialError for a secret that cannot be read, Error for an ssh host down. */
export async function dial(entry: FleetEntry, env: Env, sshPool: () => Promise<SshHostPool>): Promise<Dial> {
	switch (entry.kind) {
		case 'profile': {
			const target = await profileTarget(entry, env);
			return {url: target.url, token: target.token, password: target.password};
		}

		case 'url':
			return {url: entry.url, ...readAuth(entry.auth)};
		default: {
			const secret = readAuth(entry.auth);
			return {url: await (await sshPool()).urlFor(entry), ...secret};
		}
	}
}
