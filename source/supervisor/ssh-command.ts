// The pure half of SshTunnel: parse `user@host[:port]`, build the `ssh -N -L` argv, and turn ssh's stderr into one
// message that names the problem and the fix.
//
// API: parseSshTarget(text) -> SshTarget; sshTunnelArgs(input) -> string[]; describeSshFailure(input) ->
// {message, permanent}; remoteGatewayDown(target, port) and missingIdentity(path) -> the messages for those two. `permanent` failures (refused key, unknown or changed host key) are not retried: the same
// attempt would fail the same way, and hammering a server with a bad key only gets the address banned.
export type SshTarget = {user?: string; host: string; port?: number; /** For messages: user@host:port as given. */ display: string};

export class SshTargetError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SshTargetError';
	}
}

const userPattern = /^[\w.@-]+$/;

export function parseSshTarget(text: string): SshTarget {
	const trimmed = text.trim();
	const fail = (why: string) =>
		new SshTargetError(`invalid ssh target ${JSON.stringify(text)}: ${why}; use user@host or user@host:port (IPv6: user@[::1]:22)`);
	if (!trimmed || trimmed.startsWith('-') || /\s/.test(trimmed)) {
		throw fail('empty, or starts with "-" or has spaces');
	}

	const at = trimmed.lastIndexOf('@');
	const user = at >= 0 ? trimmed.slice(0, at) : undefined;
	const hostPart = at >= 0 ? trimmed.slice(at + 1) : trimmed;
	if (user !== undefined && !userPattern.test(user)) {
		throw fail('bad user name');
	}

	let host: string;
	let portText: string | undefined;
	if (hostPart.startsWith('[')) {
		const close = hostPart.indexOf(']');
		if (close < 0) {
			throw fail('unclosed "["');
		}

		host = hostPart.slice(1, close);
		const rest = hostPart.slice(close + 1);
		if (rest && !rest.startsWith(':')) {
			throw fail('unexpected text after "]"');
		}

		portText = rest ? rest.slice(1) : undefined;
	} else {
		const colon = hostPart.indexOf(':');
		host = colon >= 0 ? hostPart.slice(0, colon) : hostPart;
		portText = colon >= 0 ? hostPart.slice(colon + 1) : undefined;
	}

	if (!host || !/^[\w.:%-]+$/.test(host)) {
		throw fail('bad host');
	}

	let port: number | undefined;
	if (portText !== undefined) {
		port = Number(portText);
		if (!/^\d+$/.test(portText) || port < 1 || port > 65_535) {
			throw fail(`bad port "${portText}"`);
		}
	}

	return {user, host, port, display: trimmed};
}

export type SshTunnelArgsInput = {
	target: SshTarget;
	localPort: number;
	remotePort: number;
	/** More `-L` forwards over the same connection (a fleet's gateways on one host share it). */
	moreForwards?: Array<{localPort: number; remotePort: number}>;
	/** The host the remote side connects to; the gateway listens on loopback there. */
	remoteHost?: string;
	identity?: string;
	knownHostsFile?: string;
	strictHostKeyChecking?: 'yes' | 'no' | 'accept-new';
	/** `-F`: e.g. /dev/null so the operator's ~/.ssh/config is not read. */
	configFile?: string;
	serverAliveIntervalSec?: number;
	serverAliveCountMax?: number;
	connectTimeoutSec?: number;
	extraArgs?: string[];
};

export function sshTunnelArgs(input: SshTunnelArgsInput): string[] {
	const {target} = input;
	const remoteHost = input.remoteHost ?? '127.0.0.1';
	const args = ['-N', '-L', `127.0.0.1:${input.localPort}:${remoteHost}:${input.remotePort}`];
	for (const forward of input.moreForwards ?? []) {
		args.push('-L', `127.0.0.1:${forward.localPort}:${remoteHost}:${forward.remotePort}`);
	}

	if (target.port !== undefined) {
		args.push('-p', String(target.port));
	}

	if (input.configFile) {
		args.push('-F', input.configFile);
	}

	args.push(
		'-o', 'BatchMode=yes',
		'-o', 'ExitOnForwardFailure=yes',
		'-o', `ServerAliveInterval=${input.serverAliveIntervalSec ?? 5}`,
		'-o', `ServerAliveCountMax=${input.serverAliveCountMax ?? 2}`,
		'-o', `ConnectTimeout=${input.connectTimeoutSec ?? 10}`,
	);
	if (input.identity) {
		// Only this key: an agent offering many keys can exhaust the server's MaxAuthTries before ours is tried.
		args.push('-i', input.identity, '-o', 'IdentitiesOnly=yes');
	}

	if (input.knownHostsFile) {
		args.push('-o', `UserKnownHostsFile=${input.knownHostsFile}`);
	}

	if (input.strictHostKeyChecking) {
		args.push('-o', `StrictHostKeyChecking=${input.strictHostKeyChecking}`);
	}

	args.push(...(input.extraArgs ?? []));
	// `--` so a target can never be read as an option.
	args.push('--', target.user ? `${target.user}@${target.host}` : target.host);
	return args;
}

export type SshFailureInput = {target: SshTarget; stderr: string; exitCode?: number; signal?: string; localPort?: number; remotePort?: number};

/** Lines ssh prints that are noise, not the reason (warnings about known_hosts, banners). */
function reasonLines(stderr: string): string[] {
	return stderr
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line && !/^Warning: Permanently added/.test(line) && !/^\*\*/.test(line));
}

/** The ssh command line that reaches `target` (`ssh -p 2222 ops@gw`): `user@host:port` is not ssh's syntax. */
export function sshCommandLine(target: SshTarget): string {
	const destination = target.user ? `${target.user}@${target.host}` : target.host;
	return target.port && target.port !== 22 ? `ssh -p ${target.port} ${destination}` : `ssh ${destination}`;
}

/** `host:port` as the remote side sees it (IPv6 in brackets). */
function remoteAddress(target: SshTarget, port: number): string {
	return target.host.includes(':') ? `[${target.host}]:${port}` : `${target.host}:${port}`;
}

/**
 * The tunnel is up but the remote end refuses the forwarded connection: the gateway is not running on the remote
 * host (or not on that port). Said about the remote host, since the local port is only ssh's end of the tunnel, and
 * `openclaw gateway` run here would start the wrong gateway.
 */
export function remoteGatewayDown(target: SshTarget, remotePort: number): string {
	return `nothing answers on ${remoteAddress(target, remotePort)} on the remote side (the ssh tunnel to ${target.display} is up). Fix: start the gateway there (${sshCommandLine(target)} openclaw gateway), or pass --remote-port with the port it listens on.`;
}

/** ssh only warns about a missing -i file and goes on to other keys: the reason must not read "Permission denied". */
export function missingIdentity(identity: string, why = 'not found'): string {
	return `identity file ${identity} ${why}. Fix: pass --identity with the path of an ssh private key the server accepts (e.g. ~/.ssh/id_ed25519).`;
}

export function describeSshFailure(input: SshFailureInput): {message: string; permanent: boolean} {
	const lines = reasonLines(input.stderr);
	const text = lines.join('\n');
	const where = input.target.display;
	const last = lines.at(-1) ?? (input.signal ? `ssh killed by ${input.signal}` : `ssh exited with code ${input.exitCode ?? 'unknown'}`);
	const rules: Array<[RegExp, (match: RegExpMatchArray) => string, boolean]> = [
		// Before Permission denied, which follows it: the key that was meant to be offered was never read.
		[/Identity file (.+) not accessible: (.+?)\.?$/m, (match) => missingIdentity(match[1], match[2] === 'No such file or directory' ? 'not found' : `not readable (${match[2]})`), true],
		[
			/Permission denied \(([^)]*)\)/,
			(match) =>
				`ssh to ${where} failed: Permission denied (${match[1]}). Fix: pass --identity with a key the server accepts, or add your public key to ~/.ssh/authorized_keys on the host.`,
			true,
		],
		[
			/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/,
			() => `ssh to ${where} failed: the host key is unknown or has changed (Host key verification failed). Fix: check the host, then add its key to known_hosts (${sshCommandLine(input.target)} once).`,
			true,
		],
		[
			/Connection refused/,
			() => `ssh to ${where} failed: Connection refused: nothing accepts ssh there. Fix: check the host and port (user@host:port) and that sshd runs.`,
			false,
		],
		[
			/Could not resolve hostname ([^:]+)/,
			(match) => `ssh to ${where} failed: Could not resolve hostname ${match[1]}. Fix: check the host name.`,
			false,
		],
		[
			/[Cc]onnection timed out|Operation timed out/,
			() => `ssh to ${where} failed: Connection timed out. Fix: check the host, the port and any firewall in between.`,
			false,
		],
		[
			/bind.*Address already in use|cannot listen to port|Could not request local forwarding/,
			() => `ssh could not forward local port ${input.localPort ?? '?'} (Address already in use). Fix: pick another local port, or let the console choose a free one.`,
			false,
		],
		[
			/Timeout, server .* not responding/,
			() => `ssh to ${where} lost the server (no answer to keepalives): the network or the host went away.`,
			false,
		],
	];
	for (const [pattern, message, permanent] of rules) {
		const match = text.match(pattern);
		if (match) {
			return {message: message(match), permanent};
		}
	}

	return {message: `ssh to ${where} failed: ${last}`, permanent: false};
}
