// Which state dir, config and credentials a console-started child gateway runs with, and the exact command line and
// environment it gets. The rule (issue 5, Modes): the resolved profile when its config file exists; otherwise a
// state dir of its own (a temporary one unless given) with a generated token and --allow-unconfigured.
//
// API: resolveEmbeddedProfile(options, env) -> EmbeddedProfile; childInvocation(input) -> {file, args, env};
// generateToken(); defaultCliPath(). Secrets go to the child through its environment only, never its argv
// (visible in ps and /proc/<pid>/cmdline to every user of the machine).
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ConfigError, loadConfigSync} from '../protocol/config/load.js';
import {resolvePaths, resolvePort, type Env} from '../protocol/config/paths.js';
import {readTokenFile} from '../protocol/config/token-file.js';
import {resolveTarget} from '../config/target.js';
import {newGatewayToken} from '../protocol/tokens.js';

export type EmbeddedProfileOptions = {
	profile?: string;
	dev?: boolean;
	/** Explicit state dir / config file (override OPENCLAW_STATE_DIR / OPENCLAW_CONFIG_PATH and the profile). */
	stateDir?: string;
	configPath?: string;
	/** Use this token instead of the configured or generated one. */
	token?: string;
};

export type EmbeddedProfile =
	| {
			kind: 'configured';
			stateDir: string;
			configPath: string;
			profile?: string;
			dev: boolean;
			/** Client credentials as `resolveTarget` finds them; undefined token until the gateway generates one. */
			token?: string;
			password?: string;
			/** The profile's port by the runbook's precedence (OPENCLAW_GATEWAY_PORT > gateway.port > default), so that
			 * `openclaw --profile NAME gateway status` in another terminal finds the child where it looks. */
			port?: number;
			/** The environment the child runs with (secrets included). */
			env: Env;
	  }
	| {
			kind: 'unconfigured';
			/** Undefined: the supervisor makes a temporary one (and removes it on dispose). */
			stateDir?: string;
			configPath?: string;
			profile?: string;
			dev: boolean;
			token: string;
			env: Env;
	  };

export function generateToken(): string {
	return newGatewayToken();
}

/** Variables meant for clients, which would only confuse credential resolution for our own child. */
const clientOnlyVariables = ['OPENCLAW_GATEWAY_URL', 'OPENCLAW_GATEWAY_PORT'];

function baseEnv(options: EmbeddedProfileOptions, env: Env): Env {
	const out: Env = {...env};
	for (const name of clientOnlyVariables) {
		delete out[name];
	}

	if (options.stateDir) {
		out.OPENCLAW_STATE_DIR = path.resolve(options.stateDir);
		// An explicit state dir means its own openclaw.json, not the one a stray OPENCLAW_CONFIG_PATH names.
		delete out.OPENCLAW_CONFIG_PATH;
	}

	if (options.configPath) {
		out.OPENCLAW_CONFIG_PATH = path.resolve(options.configPath);
	}

	if (options.token) {
		out.OPENCLAW_GATEWAY_TOKEN = options.token;
	}

	return out;
}

function configExists(configPath: string): boolean {
	try {
		return loadConfigSync(configPath).exists;
	} catch (error) {
		// A config that is there but broken still belongs to the operator: the child reports it (exit 78).
		if (error instanceof ConfigError) {
			return true;
		}

		throw error;
	}
}

export function resolveEmbeddedProfile(options: EmbeddedProfileOptions = {}, env: Env = process.env): EmbeddedProfile {
	const childEnv = baseEnv(options, env);
	const selection = {profile: options.profile, dev: options.dev};
	const paths = resolvePaths(selection, childEnv);
	if (configExists(paths.configPath)) {
		const target = resolveTarget(selection, childEnv);
		return {
			kind: 'configured',
			stateDir: paths.stateDir,
			configPath: paths.configPath,
			profile: paths.profile,
			dev: paths.dev,
			token: target.token,
			password: target.password,
			// The operator's OPENCLAW_GATEWAY_PORT counts here (the child itself gets the result as --port).
			port: resolvePort({config: target.config?.config, dev: paths.dev}, env).port,
			env: childEnv,
		};
	}

	const explicitDir = options.stateDir ? paths.stateDir : undefined;
	const token = options.token ?? (explicitDir ? readTokenFile(explicitDir) : undefined) ?? generateToken();
	const unconfiguredEnv: Env = {...childEnv, OPENCLAW_GATEWAY_TOKEN: token};
	// A password from the operator's shell next to our token would make the gateway refuse to pick one.
	delete unconfiguredEnv.OPENCLAW_GATEWAY_PASSWORD;
	delete unconfiguredEnv.OPENCLAW_PROFILE;
	return {
		kind: 'unconfigured',
		stateDir: explicitDir,
		configPath: options.configPath ? path.resolve(options.configPath) : undefined,
		profile: paths.profile,
		dev: paths.dev,
		token,
		env: unconfiguredEnv,
	};
}

/** This package's bin/openclaw.js, from source/supervisor (tsx) or dist/source/supervisor (built). */
export function defaultCliPath(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let level = 0; level < 6; level++) {
		const candidate = path.join(dir, 'bin', 'openclaw.js');
		if (existsSync(candidate)) {
			return candidate;
		}

		dir = path.dirname(dir);
	}

	throw new Error('cannot find bin/openclaw.js above the supervisor module: pass cliPath to LocalGateway');
}

export type ChildInvocationInput = {
	profile: EmbeddedProfile;
	/** The state dir the child really uses (the temporary one for an unconfigured profile without a dir). */
	stateDir: string;
	port: number;
	cliPath: string;
	nodePath?: string;
	allowUnconfigured?: boolean;
	verbose?: boolean;
	/** Free the port first (`gateway --force`): only for the one start the operator confirmed. */
	force?: boolean;
};

export type ChildInvocation = {file: string; args: string[]; env: Env};

export function childInvocation(input: ChildInvocationInput): ChildInvocation {
	const {profile} = input;
	const rootOptions = profile.kind === 'configured' ? (profile.dev ? ['--dev'] : profile.profile ? ['--profile', profile.profile] : []) : [];
	const args = [input.cliPath, ...rootOptions, 'gateway', '--port', String(input.port)];
	if (profile.kind === 'unconfigured' || input.allowUnconfigured) {
		args.push('--allow-unconfigured');
	}

	if (input.verbose) {
		args.push('--verbose');
	}

	if (input.force) {
		args.push('--force');
	}

	const env: Env = {...profile.env};
	if (profile.kind === 'unconfigured') {
		env.OPENCLAW_STATE_DIR = input.stateDir;
		env.OPENCLAW_CONFIG_PATH = profile.configPath ?? path.join(input.stateDir, 'openclaw.json');
	}

	return {file: input.nodePath ?? process.execPath, args, env};
}
