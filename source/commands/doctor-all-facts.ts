// What the multi-gateway checklist looks at, for one profile of this host: its port (and where from), config path,
// state dir, workspaces and the gateway running on it, with symlinks resolved so two names for one directory count
// as one. Read by `openclaw doctor --all` and by the Fleet view; doctor-all-checks.ts judges them.
import {realpathSync} from 'node:fs';
import path from 'node:path';
import {agentWorkspaces} from '../protocol/config/workspace.js';
import {resolvePort, type Env} from '../protocol/config/paths.js';
import {liveRuntime} from '../protocol/locks/state-lock.js';
import type {ProfileEntry} from '../fleet/entry.js';
import {discoverProfiles, neighbourEnv, profileTarget} from '../fleet/profiles.js';
import type {ProfileFacts} from './doctor-all-checks.js';

/** The path with symlinks resolved, as far as it exists (a workspace not yet created is compared as written). */
function realPath(file: string): string {
	try {
		return realpathSync(file);
	} catch {
		const parent = path.dirname(file);
		return parent === file ? file : path.join(realPath(parent), path.basename(file));
	}
}

function commandFor(entry: ProfileEntry, env: Env): string {
	if (entry.fromEnv && env.OPENCLAW_STATE_DIR?.trim()) {
		return `OPENCLAW_STATE_DIR=${entry.stateDir} openclaw`;
	}

	return entry.profile ? `openclaw --profile ${entry.profile}` : 'openclaw';
}

export async function factsOf(entry: ProfileEntry, env: Env): Promise<ProfileFacts> {
	const profileEnv = entry.fromEnv ? env : neighbourEnv(env);
	const target = await profileTarget(entry, env);
	const config = target.config?.config ?? {};
	const {port, source} = resolvePort({config, dev: target.paths.dev}, profileEnv);
	const record = liveRuntime(entry.stateDir);
	const stateDir = target.paths.stateDir;
	return {
		name: entry.name,
		command: commandFor(entry, env),
		stateDir,
		stateDirReal: realPath(stateDir),
		configPath: target.paths.configPath,
		configPathReal: realPath(target.paths.configPath),
		configExists: target.config?.exists === true,
		port,
		portSource: source,
		...(record ? {running: {pid: record.pid, port: record.port, configPath: record.configPath, configPathReal: realPath(record.configPath), stateDir: record.stateDir}} : {}),
		workspaces: agentWorkspaces(config, {stateDir, env: profileEnv}).map((workspace) => ({...workspace, real: realPath(workspace.dir)})),
	};
}

/** The facts of the given profiles (default: every profile of this host, as the fleet finds them). */
export async function profileFacts(env: Env, entries: readonly ProfileEntry[] = discoverProfiles(env)): Promise<ProfileFacts[]> {
	return Promise.all(entries.map(async (entry) => factsOf(entry, env)));
}
