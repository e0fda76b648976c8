// Where a gateway's files live and which port/bind/secret it uses, resolved with the runbook's precedence:
// port --port > OPENCLAW_GATEWAY_PORT > gateway.port > 18789 (19001 for --dev); bind CLI > gateway.bind > loopback;
// config OPENCLAW_CONFIG_PATH else <stateDir>/openclaw.json; state dir OPENCLAW_STATE_DIR else from the profile;
// token --token > OPENCLAW_GATEWAY_TOKEN > gateway.auth.token.
import os from 'node:os';
import {BlockList, isIP} from 'node:net';
import path from 'node:path';
import {DEFAULT_PORT, DEV_PORT} from '../index.js';
import type {GatewayConfig} from './schema.js';
import {UsageError} from '../errors.js';

export type Env = Record<string, string | undefined>;

export type ProfileSelection = {
	/** `--profile NAME` (letters, digits, `_`, `-`; `default` means none). */
	profile?: string;
	/** `--dev`: profile `dev`, base port 19001. */
	dev?: boolean;
};

export type ResolvedPaths = {
	profile?: string;
	dev: boolean;
	home: string;
	stateDir: string;
	configPath: string;
	stateDirSource: 'env' | 'profile' | 'default';
	configPathSource: 'env' | 'state-dir';
};

const profileNamePattern = /^[\w-]{1,64}$/;

export function validateProfileName(name: string): string {
	if (!profileNamePattern.test(name)) {
		throw new UsageError(
			`invalid profile name "${name}": use letters, digits, "_" or "-" (at most 64 characters)`,
		);
	}

	return name;
}

function expandHome(value: string, home: string): string {
	if (value === '~') {
		return home;
	}

	if (value.startsWith('~/')) {
		return path.join(home, value.slice(2));
	}

	return path.resolve(value);
}

export function resolvePaths(selection: ProfileSelection = {}, env: Env = process.env): ResolvedPaths {
	if (selection.dev && selection.profile && selection.profile !== 'dev') {
		throw new UsageError('--dev cannot be combined with --profile: --dev is the profile "dev"');
	}

	const profileRaw = selection.dev ? 'dev' : (selection.profile ?? env.OPENCLAW_PROFILE);
	const profile = profileRaw && profileRaw !== 'default' ? validateProfileName(profileRaw) : undefined;
	const home = env.OPENCLAW_HOME?.trim() ? path.resolve(env.OPENCLAW_HOME) : os.homedir();

	let stateDir: string;
	let stateDirSource: ResolvedPaths['stateDirSource'];
	if (env.OPENCLAW_STATE_DIR?.trim()) {
		stateDir = expandHome(env.OPENCLAW_STATE_DIR.trim(), home);
		stateDirSource = 'env';
	} else if (profile) {
		stateDir = path.join(home, `.openclaw-${profile}`);
		stateDirSource = 'profile';
	} else {
		stateDir = path.join(home, '.openclaw');
		stateDirSource = 'default';
	}

	const configFromEnv = env.OPENCLAW_CONFIG_PATH?.trim();
	return {
		profile,
		dev: profile === 'dev',
		home,
		stateDir,
		configPath: configFromEnv ? expandHome(configFromEnv, home) : path.join(stateDir, 'openclaw.json'),
		stateDirSource,
		configPathSource: configFromEnv ? 'env' : 'state-dir',
	};
}

export type PortSource = 'cli' | 'env' | 'config' | 'default';

export function parsePort(value: string | number, origin: string): number {
	const text = String(value).trim();
	const port = Number(text);
	if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new UsageError(`invalid port ${JSON.stringify(String(value))} from ${origin}: use a whole number from 1 to 65535`);
	}

	return port;
}

export function resolvePort(
	options: {cliPort?: number | string; config?: GatewayConfig; dev?: boolean},
	env: Env = process.env,
): {port: number; source: PortSource} {
	if (options.cliPort !== undefined && options.cliPort !== '') {
		return {port: parsePort(options.cliPort, '--port'), source: 'cli'};
	}

	if (env.OPENCLAW_GATEWAY_PORT?.trim()) {
		return {port: parsePort(env.OPENCLAW_GATEWAY_PORT, 'OPENCLAW_GATEWAY_PORT'), source: 'env'};
	}

	const fromConfig = options.config?.gateway?.port;
	if (fromConfig !== undefined) {
		return {port: fromConfig, source: 'config'};
	}

	return {port: options.dev ? DEV_PORT : DEFAULT_PORT, source: 'default'};
}

export const bindModes = ['loopback', 'lan', 'tailnet', 'auto', 'custom'] as const;
export type BindMode = (typeof bindModes)[number];

export function resolveBind(
	options: {cliBind?: string; cliHost?: string; config?: GatewayConfig},
): {mode: BindMode; host: string} {
	const raw = options.cliBind ?? options.config?.gateway?.bind ?? 'loopback';
	if (!(bindModes as readonly string[]).includes(raw)) {
		throw new UsageError(`invalid bind mode "${raw}": use one of ${bindModes.join(', ')}`);
	}

	const mode = raw as BindMode;
	switch (mode) {
		case 'lan': {
			return {mode, host: '0.0.0.0'};
		}

		case 'custom': {
			const host = options.cliHost ?? options.config?.gateway?.customBindHost;
			if (!host) {
				throw new UsageError('bind mode "custom" needs a host: pass --host or set gateway.customBindHost');
			}

			return {mode, host};
		}

		case 'tailnet': {
			return {mode, host: tailnetAddress() ?? '127.0.0.1'};
		}

		case 'loopback':
		case 'auto': {
			return {mode, host: '127.0.0.1'};
		}
	}
}

/** The machine's Tailscale IPv4 (100.64.0.0/10), if it has one. */
function tailnetAddress(): string | undefined {
	for (const addresses of Object.values(os.networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family !== 'IPv4') {
				continue;
			}

			const [a, b] = address.address.split('.').map(Number);
			if (a === 100 && b >= 64 && b <= 127) {
				return address.address;
			}
		}
	}

	return undefined;
}

const loopbackRanges = new BlockList();
loopbackRanges.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackRanges.addAddress('::1', 'ipv6');
loopbackRanges.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** An IP literal in 127.0.0.0/8 or ::1 (also IPv4-mapped, in any spelling); never a name. */
export function isLoopbackAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '');
	const family = isIP(bare);
	return family !== 0 && loopbackRanges.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * A host that can only mean this machine: a loopback IP literal, or the name `localhost` (RFC 6761: never sent to
 * DNS). A prefix test is not enough: `127.evil.example` and `127.0.0.1.nip.io` are names any DNS owner controls.
 */
export function isLoopbackHost(host: string): boolean {
	const name = host.toLowerCase().replace(/\.$/, '');
	return name === 'localhost' || isLoopbackAddress(name);
}

export type SecretSource = 'cli' | 'env' | 'config' | 'generated' | 'file';

export function resolveSecrets(
	options: {cliToken?: string; cliPassword?: string; config?: GatewayConfig},
	env: Env = process.env,
): {token?: string; tokenSource?: SecretSource; password?: string; passwordSource?: SecretSource} {
	const out: ReturnType<typeof resolveSecrets> = {};
	const auth = options.config?.gateway?.auth;
	if (options.cliToken) {
		out.token = options.cliToken;
		out.tokenSource = 'cli';
	} else if (env.OPENCLAW_GATEWAY_TOKEN?.trim()) {
		out.token = env.OPENCLAW_GATEWAY_TOKEN.trim();
		out.tokenSource = 'env';
	} else if (auth?.token) {
		out.token = auth.token;
		out.tokenSource = 'config';
	}

	if (options.cliPassword) {
		out.password = options.cliPassword;
		out.passwordSource = 'cli';
	} else if (env.OPENCLAW_GATEWAY_PASSWORD?.trim()) {
		out.password = env.OPENCLAW_GATEWAY_PASSWORD.trim();
		out.passwordSource = 'env';
	} else if (auth?.password) {
		out.password = auth.password;
		out.passwordSource = 'config';
	}

	return out;
}
