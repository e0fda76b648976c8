// Which auth mode the gateway runs, from the config's `gateway.auth.mode` and the secrets found (flag > env > file).
// An operator who passes `--token` (or sets OPENCLAW_GATEWAY_TOKEN) believes token auth is on: an explicit
// credential always wins over the file's mode, so the gateway never runs open while a credential was given.
import type {AuthMode} from './auth.js';
import type {SecretSource} from '../source/protocol/config/paths.js';

export type FoundSecrets = {token?: string; tokenSource?: SecretSource; password?: string; passwordSource?: SecretSource};

export type AuthModeChoice = {mode: AuthMode; source?: SecretSource; overrides?: string} | {error: string};

const explicit = (source: SecretSource | undefined) => source === 'cli' || source === 'env';

function describeSource(kind: 'token' | 'password', source: SecretSource | undefined): string {
	if (source === 'cli') {
		return `--${kind}`;
	}

	return kind === 'token' ? 'OPENCLAW_GATEWAY_TOKEN' : 'OPENCLAW_GATEWAY_PASSWORD';
}

export function chooseAuthMode(configured: AuthMode | undefined, secrets: FoundSecrets): AuthModeChoice {
	const explicitToken = explicit(secrets.tokenSource);
	const explicitPassword = explicit(secrets.passwordSource);
	if (explicitToken && explicitPassword) {
		if (configured === 'token' || configured === 'password') {
			return {mode: configured, source: configured === 'token' ? secrets.tokenSource : secrets.passwordSource};
		}

		return {
			error: `both ${describeSource('token', secrets.tokenSource)} and ${describeSource('password', secrets.passwordSource)} were given and gateway.auth.mode is ${configured ?? 'unset'}: give one, or set gateway.auth.mode to "token" or "password"`,
		};
	}

	if (explicitToken || explicitPassword) {
		const mode = explicitToken ? 'token' : 'password';
		const source = explicitToken ? secrets.tokenSource : secrets.passwordSource;
		return configured === undefined || configured === mode
			? {mode, source}
			: {mode, source, overrides: `${describeSource(mode, source)} overrides gateway.auth.mode="${configured}" from the config`};
	}

	if (configured) {
		return {mode: configured, source: configured === 'password' ? secrets.passwordSource : configured === 'token' ? secrets.tokenSource : undefined};
	}

	if (secrets.token && secrets.password) {
		return {error: 'gateway auth has both a token and a password: set gateway.auth.mode to "token" or "password"'};
	}

	return secrets.password && !secrets.token ? {mode: 'password', source: secrets.passwordSource} : {mode: 'token', source: secrets.tokenSource};
}
