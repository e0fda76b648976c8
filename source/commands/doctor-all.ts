// `openclaw doctor --all [--fix] [--json]`: the runbook's multi-gateway checklist over every profile on this host
// (source/fleet/profiles.ts finds them, as the fleet view does) and the gateways running on them. --fix applies the
// safe repairs (a workspace moved inside its profile's own state dir, written with the comment-keeping config editor);
// everything else is left to the operator with the exact command. Exit 1 while a check still fails.
import {readFileSync, realpathSync} from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import {agentWorkspaces} from '../protocol/config/workspace.js';
import {configTextFor} from '../protocol/config/edit-text.js';
import {resolvePort, type Env} from '../protocol/config/paths.js';
import {writeFileAtomic} from '../protocol/config/write.js';
import {liveRuntime} from '../protocol/locks/state-lock.js';
import {Output} from '../cli-output/output.js';
import type {ProfileEntry} from '../fleet/entry.js';
import {discoverProfiles, neighbourEnv, profileTarget} from '../fleet/profiles.js';
import {printChecks} from './doctor-report.js';
import {runAllChecks, type AllCheck, type ProfileFacts, type WorkspaceRepair} from './doctor-all-checks.js';
import type {doctorFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

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

async function factsOf(entry: ProfileEntry, env: Env): Promise<ProfileFacts> {
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

/** Set one key in the profile's config file, keeping its comments and layout (the gateway's own config editor). */
async function applyRepair(repair: WorkspaceRepair): Promise<string> {
	const raw = readFileSync(repair.configPath, 'utf8');
	const next = JSON5.parse(raw) as Record<string, unknown>;
	let parent: Record<string | number, unknown> = next;
	for (const part of repair.keyPath.slice(0, -1)) {
		const child = parent[part];
		if (typeof child !== 'object' || child === null) {
			parent[part] = {};
		}

		parent = parent[part] as Record<string | number, unknown>;
	}

	parent[repair.keyPath.at(-1)!] = repair.value;
	const {text} = configTextFor(raw, next);
	await writeFileAtomic(repair.configPath, text);
	return `set ${repair.key} to "${repair.value}" in ${repair.configPath} (the gateway takes it from its next run; the old workspace's files stay where they are)`;
}

type Reported = AllCheck & {fixed?: string; repairError?: string};

export async function runAll(context: CommandContext<typeof doctorFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const fix = context.flags.fix === true || context.flags.repair === true;
	const entries = discoverProfiles(context.env).filter((entry): entry is ProfileEntry => entry.kind === 'profile');
	const profiles = await Promise.all(entries.map(async (entry) => factsOf(entry, context.env)));
	const checks: Reported[] = runAllChecks(profiles);
	if (fix) {
		for (const check of checks) {
			if (check.verdict !== 'ok' && check.repair) {
				try {
					check.fixed = await applyRepair(check.repair);
				} catch (error) {
					check.repairError = (error as Error).message;
				}
			}
		}
	}

	const failed = checks.filter((check) => check.verdict === 'fail' && !check.fixed);
	if (output.json) {
		output.document({
			ok: failed.length === 0,
			profiles: profiles.map(({stateDirReal, configPathReal, workspaces, running, ...rest}) => ({
				...rest,
				...(running ? {running: {pid: running.pid, port: running.port, configPath: running.configPath, stateDir: running.stateDir}} : {}),
				workspaces: workspaces.map(({agentId, dir, source, key}) => ({agentId, dir, source, ...(key ? {key} : {})})),
			})),
			checks: checks.map(({repair, ...rest}) => ({...rest, repairable: repair !== undefined})),
		});
		return failed.length === 0 ? 0 : 1;
	}

	for (const profile of profiles) {
		const running = profile.running ? `running pid ${profile.running.pid} on ${profile.running.port}` : 'not running';
		const main = profile.workspaces[0];
		output.line(`profile ${profile.name}: port ${profile.port} (${profile.portSource}), ${running}; state ${profile.stateDir}; config ${profile.configPath}; workspace ${main.dir}`);
	}

	const warned = printChecks(output, checks, {fixing: fix, fixCommand: 'openclaw doctor --all --fix'});
	output.line(`${profiles.length} profiles: ${failed.length} failed, ${warned} warnings, ${checks.length - failed.length - warned} ok`);
	return failed.length === 0 ? 0 : 1;
}
