// Asking the local tailscaled who owns a tailnet address (`tailscale whois --json <ip>`). Tailscale Serve adds
// `Tailscale-User-Login` to the requests it proxies, but any local process can send that header too, so the gateway
// only believes it when tailscaled itself says the forwarded client address belongs to that login. Behind an
// interface so tests (and a future local-API client) can stand in for the binary.
import {execFile} from 'node:child_process';

export type WhoisIdentity = {login: string; name?: string};

/** Not ok: the binary is missing, timed out, exited non-zero or printed no login, so tailscaled did not vouch. */
export type WhoisResult = {ok: true; identity: WhoisIdentity} | {ok: false; reason: string};

export type TailscaleWhois = (ip: string) => Promise<WhoisResult>;

const maxOutputBytes = 200_000;

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The login in tailscale's JSON: `UserProfile.LoginName` (other builds: `User`, lower-case keys). */
export function parseWhois(stdout: string): WhoisIdentity | undefined {
	let payload: Record<string, unknown> | undefined;
	try {
		payload = record(JSON.parse(stdout));
	} catch {
		return undefined;
	}

	if (!payload) {
		return undefined;
	}

	const profile = record(payload.UserProfile) ?? record(payload.userProfile) ?? record(payload.User);
	const login = text(profile?.LoginName) ?? text(profile?.Login) ?? text(profile?.login) ?? text(payload.LoginName) ?? text(payload.login);
	if (!login) {
		return undefined;
	}

	const name = text(profile?.DisplayName) ?? text(profile?.Name) ?? text(profile?.displayName);
	return name ? {login, name} : {login};
}

/** The real lookup: runs `tailscale` from PATH (or `binary`), never through a shell, bounded in time and output. */
export function execTailscaleWhois(options: {binary?: string; timeoutMs?: number} = {}): TailscaleWhois {
	const binary = options.binary ?? 'tailscale';
	const timeout = options.timeoutMs ?? 5000;
	return async (ip) =>
		new Promise((resolve) => {
			execFile(binary, ['whois', '--json', ip], {timeout, maxBuffer: maxOutputBytes, windowsHide: true}, (error, stdout) => {
				if (error) {
					const code = (error as NodeJS.ErrnoException).code as string | number | undefined;
					const reason =
						code === 'ENOENT'
							? `${binary} not found on PATH`
							: error.killed
								? `${binary} whois timed out after ${timeout} ms`
								: `${binary} whois failed (${typeof code === 'number' ? `exit ${code}` : (code ?? error.message)})`;
					resolve({ok: false, reason});
					return;
				}

				const identity = parseWhois(stdout);
				resolve(identity ? {ok: true, identity} : {ok: false, reason: `${binary} whois printed no login for ${ip}`});
			});
		});
}
