// The gateways of this host: every profile's state dir under home (~/.openclaw, ~/.openclaw-NAME, ~/.openclaw-dev),
// plus the one the environment selects (OPENCLAW_STATE_DIR, OPENCLAW_PROFILE). Each is resolved at connect time by the
// CLI's own rules (source/config/client-target.ts), so its config, port and token are the ones `openclaw --profile
// NAME` would use; the environment's overrides (OPENCLAW_CONFIG_PATH, _GATEWAY_PORT, _GATEWAY_TOKEN...) apply only to
// the profile the environment selects, never to its neighbours.
import {existsSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {resolvePaths, type Env, type ProfileSelection} from '../protocol/config/paths.js';
import {resolveClientTarget} from '../config/client-target.js';
import type {GatewayTarget} from '../config/target-rules.js';
import {homeDir} from './config-dir.js';
import type {ProfileEntry} from './entry.js';

const stateDirPattern = /^\.openclaw(?:-([\w-]{1,64}))?$/;

/** The variables that point the CLI at one particular gateway: they belong to the selected profile only. */
const selectingVariables = [
	'OPENCLAW_PROFILE',
	'OPENCLAW_STATE_DIR',
	'OPENCLAW_CONFIG_PATH',
	'OPENCLAW_GATEWAY_PORT',
	'OPENCLAW_GATEWAY_TOKEN',
	'OPENCLAW_GATEWAY_PASSWORD',
	'OPENCLAW_GATEWAY_URL',
	'OPENCLAW_WORKSPACE_DIR',
];

export function neighbourEnv(env: Env): Env {
	const out = {...env};
	for (const name of selectingVariables) {
		delete out[name];
	}

	return out;
}

function isDirectory(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}

/** A profile's name from its state dir's: `.openclaw-main` is main, `.openclaw` the default. */
function profileNameOf(stateDir: string): string | undefined {
	const match = stateDirPattern.exec(path.basename(stateDir));
	return match ? (match[1] ?? 'default') : undefined;
}

export function discoverProfiles(env: Env, selection: ProfileSelection = {}): ProfileEntry[] {
	const home = homeDir(env);
	const selected = resolvePaths(selection, env);
	const entries: ProfileEntry[] = [];
	if (isDirectory(selected.stateDir) || existsSync(selected.configPath)) {
		const name = selected.profile ?? profileNameOf(selected.stateDir) ?? path.basename(selected.stateDir);
		entries.push({kind: 'profile', name, profile: selected.profile, stateDir: selected.stateDir, fromEnv: true, origin: {source: 'profile'}});
	}

	let names: string[] = [];
	try {
		names = readdirSync(home).sort();
	} catch {}

	for (const dirName of names) {
		const match = stateDirPattern.exec(dirName);
		const stateDir = path.join(home, dirName);
		if (!match || stateDir === selected.stateDir || !isDirectory(stateDir)) {
			continue;
		}

		const profile = match[1] === 'default' ? undefined : match[1];
		entries.push({kind: 'profile', name: profile ?? 'default', profile, stateDir, fromEnv: false, origin: {source: 'profile'}});
	}

	return entries;
}

/** The environment `openclaw --profile NAME` would run in for this profile: a neighbour gets none of the selecting variables. */
export function profileEnv(entry: ProfileEntry, env: Env): Env {
	// entry.profile is what resolvePaths made of the selection (--dev is the profile dev), so this is that selection.
	return entry.fromEnv ? {...env, OPENCLAW_PROFILE: undefined} : {...neighbourEnv(env), OPENCLAW_HOME: homeDir(env)};
}

/** The profile's gateway as a command would reach it now (its config re-read: a token changed on disk is seen). */
export async function profileTarget(entry: ProfileEntry, env: Env): Promise<GatewayTarget> {
	return resolveClientTarget({profile: entry.profile ?? 'default'}, profileEnv(entry, env));
}
