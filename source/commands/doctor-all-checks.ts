// The runbook's per-instance checklist across the gateways of one host: each profile (and the gateway running on it)
// needs its own gateway.port, config path, state dir and agents.defaults.workspace. Pure: profile facts in, one
// check per shared value out, naming every profile that uses it, the value and the fix. Repairs are planned here
// (what to set where) and carried out by doctor-all.ts.
import path from 'node:path';
import type {AgentWorkspace} from '../protocol/config/workspace.js';
import type {Verdict} from './doctor-checks.js';

export type ProfileFacts = {
	name: string;
	/** How the operator addresses it: `openclaw --profile main`, `openclaw` for the default one. */
	command: string;
	stateDir: string;
	/** The state dir with symlinks resolved (two names for one directory are one state dir). */
	stateDirReal: string;
	configPath: string;
	configPathReal: string;
	configExists: boolean;
	/** The port its config (or the environment selecting it) gives it, and from where. */
	port: number;
	portSource: string;
	/** Its running gateway, from `<stateDir>/gateway.runtime.json` when the lock's owner is alive. */
	running?: {pid: number; port: number; configPath: string; configPathReal: string; stateDir: string};
	/** Every agent's workspace (`main` first), each with its dir symlink-resolved where it exists. */
	workspaces: Array<AgentWorkspace & {real: string}>;
};

export type WorkspaceRepair = {profile: string; configPath: string; key: string; keyPath: Array<string | number>; value: string};

export type AllCheck = {
	id: 'port' | 'port-spacing' | 'state-dir' | 'config-path' | 'workspace' | 'workspace-relative';
	verdict: Verdict;
	message: string;
	/** The shared value (a port, a path). */
	value?: string | number;
	/** Every profile involved, by name. */
	profiles: string[];
	fix?: string;
	/** A safe repair: set one config key of one profile (doctor-all.ts writes it, comments kept). */
	repair?: WorkspaceRepair;
};

/** OpenClaw derives browser, canvas and CDP ports from the base port: gateways on one host keep 20 apart. */
export const portSpacing = 20;

type Use = {profile: ProfileFacts; how: string};

function groupBy<T>(items: Array<{key: string | number; item: T}>): Map<string | number, T[]> {
	const groups = new Map<string | number, T[]>();
	for (const {key, item} of items) {
		groups.set(key, [...(groups.get(key) ?? []), item]);
	}

	return groups;
}

/** Groups with more than one profile in them (a profile listed twice for one value is one user). */
function shared(groups: Map<string | number, Use[]>): Array<{value: string | number; uses: Use[]}> {
	return [...groups]
		.map(([value, uses]) => ({value, uses}))
		.filter(({uses}) => new Set(uses.map((use) => use.profile.name)).size > 1);
}

const names = (uses: Use[]) => [...new Set(uses.map((use) => use.profile.name))];
const described = (uses: Use[]) => uses.map((use) => `profile ${use.profile.name} (${use.how})`).join(' and ');

function portUses(profile: ProfileFacts): Use[] {
	const uses: Use[] = [{profile, how: profile.portSource === 'default' ? 'its default port' : `gateway.port from ${profile.portSource}`}];
	if (profile.running) {
		uses.push({profile, how: `running gateway pid ${profile.running.pid}`});
	}

	return uses;
}

function portValues(profile: ProfileFacts): number[] {
	return [...new Set([profile.port, ...(profile.running ? [profile.running.port] : [])])];
}

/** The first port from `from` in steps of portSpacing that no profile's port is within portSpacing of. */
export function freePortAfter(from: number, profiles: readonly ProfileFacts[]): number {
	const used = profiles.flatMap(portValues);
	let port = from;
	while (used.some((other) => Math.abs(other - port) < portSpacing) && port + portSpacing <= 65_535) {
		port += portSpacing;
	}

	return port;
}

export function checkPorts(profiles: readonly ProfileFacts[]): AllCheck[] {
	const uses = profiles.flatMap((profile) => {
		const own = portUses(profile);
		return portValues(profile).map((port) => ({key: port, item: own.find((use) => (use.how.startsWith('running') ? profile.running?.port === port : profile.port === port))!}));
	});
	const checks: AllCheck[] = shared(groupBy(uses)).map(({value, uses: group}) => {
		// Move the last one that is not running (its clients have nothing to follow yet); else the last one.
		const mover = [...group].reverse().find((use) => !use.profile.running)?.profile ?? group.at(-1)!.profile;
		const port = freePortAfter(Number(value) + portSpacing, profiles);
		return {
			id: 'port',
			verdict: 'fail',
			value,
			profiles: names(group),
			message: `port ${value} is used by ${described(group)}: only one gateway can listen on it`,
			fix: `give profile ${mover.name} its own port: set gateway.port to ${port} in ${mover.configPath}, then ${mover.command} gateway restart`,
		};
	});
	const clashing = new Set(checks.map((check) => check.value));
	for (const [index, a] of profiles.entries()) {
		for (const b of profiles.slice(index + 1)) {
			if (a.port !== b.port && Math.abs(a.port - b.port) < portSpacing && !clashing.has(a.port) && !clashing.has(b.port)) {
				const port = freePortAfter(Math.max(a.port, b.port) + portSpacing, profiles);
				checks.push({
					id: 'port-spacing',
					verdict: 'warn',
					value: `${a.port}/${b.port}`,
					profiles: [a.name, b.name],
					message: `profile ${a.name} (port ${a.port}) and profile ${b.name} (port ${b.port}) are less than ${portSpacing} apart: OpenClaw derives more ports from each`,
					fix: `set gateway.port to ${port} in ${b.configPath}, then ${b.command} gateway restart`,
				});
			}
		}
	}

	return checks.length > 0 ? checks : [{id: 'port', verdict: 'ok', profiles: profiles.map((p) => p.name), message: `every profile has its own port (${profiles.map((p) => `${p.name} ${portValues(p).join('/')}`).join(', ') || 'no profiles'})`}];
}

/**
 * How to give one of the profiles sharing the state dir `value` its own: a name that is a link to it is removed (setup
 * then makes a real one); else the profile the environment points there (or the last) gets a directory of its own.
 */
function ownStateDirFix(group: readonly ProfileFacts[], value: string): string {
	const alias = group.find((profile) => profile.stateDir !== value);
	if (alias) {
		return `give profile ${alias.name} its own state dir: rm ${alias.stateDir} (a link to ${value}), then ${alias.command} setup`;
	}

	const mover = group.find((profile) => profile.command.startsWith('OPENCLAW_STATE_DIR=')) ?? group.at(-1)!;
	const own = `${value}-${mover.name}`;
	return `give profile ${mover.name} its own state dir: OPENCLAW_STATE_DIR=${own} openclaw setup, then run profile ${mover.name} with OPENCLAW_STATE_DIR=${own}`;
}

export function checkStateDirs(profiles: readonly ProfileFacts[]): AllCheck[] {
	const groups = shared(groupBy(profiles.map((profile) => ({key: profile.stateDirReal, item: {profile, how: profile.stateDir}}))));
	const checks: AllCheck[] = groups.map(({value, uses}) => ({
		id: 'state-dir',
		verdict: 'fail',
		value,
		profiles: names(uses),
		message: `state dir ${value} is shared by ${described(uses)}: their gateways take each other's lock, sessions and token`,
		fix: ownStateDirFix(
			uses.map((use) => use.profile),
			String(value),
		),
	}));
	return checks.length > 0 ? checks : [{id: 'state-dir', verdict: 'ok', profiles: profiles.map((p) => p.name), message: 'every profile has its own state dir'}];
}

export function checkConfigPaths(profiles: readonly ProfileFacts[]): AllCheck[] {
	const uses = profiles.flatMap((profile) => [
		{key: profile.configPathReal, item: {profile, how: 'its config'}},
		...(profile.running && profile.running.configPathReal !== profile.configPathReal
			? [{key: profile.running.configPathReal, item: {profile, how: `running gateway pid ${profile.running.pid} was started with OPENCLAW_CONFIG_PATH=${profile.running.configPath}`}}]
			: []),
	]);
	const checks: AllCheck[] = shared(groupBy(uses)).map(({value, uses: group}) => {
		// The one that reads a config from outside its own state dir (OPENCLAW_CONFIG_PATH) borrows it; else the last.
		const borrower =
			group.find((use) => use.how.startsWith('running'))?.profile ??
			group.find((use) => path.dirname(use.profile.configPath) !== use.profile.stateDir)?.profile ??
			group.at(-1)!.profile;
		// Two profiles in one state dir read its one config: OPENCLAW_CONFIG_PATH has nothing to do with it.
		const sameStateDir = group.filter((use) => use.profile.stateDirReal === borrower.stateDirReal).map((use) => use.profile);
		const viaStateDir = !borrower.running && new Set(sameStateDir.map((profile) => profile.name)).size > 1;
		return {
			id: 'config-path',
			verdict: 'fail',
			value,
			profiles: names(group),
			message: `config ${value} is used by ${described(group)}: a change for one reconfigures the other`,
			fix: viaStateDir
				? `it is the config of their shared state dir: ${ownStateDirFix([...new Set(sameStateDir)], borrower.stateDirReal)}`
				: borrower.running
				? `restart profile ${borrower.name}'s gateway on its own config: ${borrower.command} gateway stop, then ${borrower.command} gateway (without OPENCLAW_CONFIG_PATH)`
				: `give profile ${borrower.name} its own config: unset OPENCLAW_CONFIG_PATH for it, then ${borrower.command} setup`,
		};
	});
	return checks.length > 0 ? checks : [{id: 'config-path', verdict: 'ok', profiles: profiles.map((p) => p.name), message: 'every profile has its own config'}];
}

function isInside(dir: string, parent: string): boolean {
	const relative = path.relative(parent, dir);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The workspace a profile's agent would get by default: inside its own state dir, as OpenClaw places it. */
function ownWorkspace(profile: ProfileFacts, agentId: string): string {
	return path.join(profile.stateDir, agentId === 'main' ? 'workspace' : `workspace-${agentId}`);
}

function keyPath(key: string): Array<string | number> {
	return key
		.replaceAll(/\[(\d+)\]/g, '.$1')
		.split('.')
		.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function checkWorkspaces(profiles: readonly ProfileFacts[]): AllCheck[] {
	type WorkspaceUse = Use & {workspace: ProfileFacts['workspaces'][number]};
	const uses = profiles.flatMap((profile) =>
		profile.workspaces.map((workspace) => ({key: workspace.real, item: {profile, workspace, how: `agent ${workspace.agentId}${workspace.key ? `, ${workspace.key}` : ''}`} as WorkspaceUse})),
	);
	const groups = groupBy(uses) as Map<string | number, WorkspaceUse[]>;
	const taken = new Set(uses.map((use) => use.key));
	const configShared = (profile: ProfileFacts) => profiles.some((other) => other !== profile && other.configPathReal === profile.configPathReal);
	const checks: AllCheck[] = [];
	for (const {value, uses: group} of shared(groups) as Array<{value: string | number; uses: WorkspaceUse[]}>) {
		// The profile whose state dir holds the directory keeps it; else the first one found keeps it.
		const owner = group.find((use) => isInside(String(value), use.profile.stateDirReal))?.profile ?? group[0].profile;
		// A profile that reads the owner's very config file (a linked state dir) is the config-path check's finding:
		// "moving" its workspace would rewrite the owner's config.
		for (const use of group.filter((candidate) => candidate.profile !== owner && candidate.profile.configPathReal !== owner.configPathReal)) {
			const target = ownWorkspace(use.profile, use.workspace.agentId);
			const key = use.workspace.source === 'agent' ? use.workspace.key! : 'agents.defaults.workspace';
			const safe = (use.workspace.source === 'agent' || (use.workspace.source === 'defaults' && use.workspace.agentId === 'main')) && use.profile.configExists && !taken.has(target) && !configShared(use.profile);
			checks.push({
				id: 'workspace',
				verdict: 'fail',
				value,
				profiles: [owner.name, use.profile.name],
				message: `workspace ${value} is shared by profile ${owner.name} and ${`profile ${use.profile.name} (${use.how})`}: their agents overwrite each other's files`,
				fix:
					use.workspace.source === 'env'
						? `unset OPENCLAW_WORKSPACE_DIR for profile ${use.profile.name} (it then works in ${target})`
						: `move profile ${use.profile.name}'s workspace inside its own state dir: set ${key} to "${target}" in ${use.profile.configPath}`,
				...(safe ? {repair: {profile: use.profile.name, configPath: use.profile.configPath, key, keyPath: keyPath(key), value: target}} : {}),
			});
			taken.add(target);
		}
	}

	for (const profile of profiles) {
		for (const workspace of profile.workspaces.filter((item) => item.written && !item.written.startsWith('~') && !path.isAbsolute(item.written))) {
			checks.push({
				id: 'workspace-relative',
				verdict: 'warn',
				value: workspace.written,
				profiles: [profile.name],
				message: `profile ${profile.name}'s ${workspace.key} is relative ("${workspace.written}"): the workspace moves with the directory the gateway starts in`,
				fix: `set ${workspace.key} to an absolute path (or ~/...) in ${profile.configPath}`,
			});
		}
	}

	return checks.length > 0 ? checks : [{id: 'workspace', verdict: 'ok', profiles: profiles.map((p) => p.name), message: 'every profile has its own workspace'}];
}

export function runAllChecks(profiles: readonly ProfileFacts[]): AllCheck[] {
	return [...checkPorts(profiles), ...checkConfigPaths(profiles), ...checkStateDirs(profiles), ...checkWorkspaces(profiles)];
}
