// `openclaw doctor --all [--fix] [--json]`: the runbook's multi-gateway checklist over every profile on this host
// (source/fleet/profiles.ts finds them, as the fleet view does) and the gateways running on them. --fix applies the
// safe repairs (a workspace moved inside its profile's own state dir, written with the comment-keeping config editor);
// everything else is left to the operator with the exact command. Exit 1 while a check still fails.
import {readFileSync} from 'node:fs';
import JSON5 from 'json5';
import {configTextFor} from '../protocol/config/edit-text.js';
import {writeFileAtomic} from '../protocol/config/write.js';
import {Output} from '../cli-output/output.js';
import {printChecks} from './doctor-report.js';
import {runAllChecks, type AllCheck, type WorkspaceRepair} from './doctor-all-checks.js';
import {profileFacts} from './doctor-all-facts.js';
import type {doctorFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

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
	const profiles = await profileFacts(context.env);
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
