// The token the gateway generates when none is configured: <stateDir>/gateway.token, mode 0600. Clients on the
// same host read it, so a fresh install needs no copy-pasting of secrets.
import {readFileSync} from 'node:fs';
import path from 'node:path';

export function tokenFilePath(stateDir: string): string {
	return path.join(stateDir, 'gateway.token');
}

export function readTokenFile(stateDir: string): string | undefined {
	try {
		const token = readFileSync(tokenFilePath(stateDir), 'utf8').trim();
		return token || undefined;
	} catch {
		return undefined;
	}
}
