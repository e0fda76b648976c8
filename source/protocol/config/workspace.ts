// The directory an agent works in, resolved as OpenClaw resolves it (its resolveAgentWorkspaceDir):
// - an agent's own `agents.list[].workspace` wins;
// - the default agent (`main`) works in `agents.defaults.workspace`, else OPENCLAW_WORKSPACE_DIR (the selected
//   profile's environment), else `<stateDir>/workspace`;
// - any other agent in `<agents.defaults.workspace>/<id>`, else `<stateDir>/workspace-<id>`.
// `~` is the home the rest of the config knows (OPENCLAW_HOME, else the user's); a relative path is taken from the
// gateway's working directory, as OpenClaw takes it (doctor --all warns about one: it moves with the cwd).
// The directory is created on first use, owner-only (0700): an agent's files are the operator's.
import {mkdir} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {Env} from './paths.js';
import type {GatewayConfig} from './schema.js';

export const defaultAgentId = 'main';

export type WorkspaceSource = 'agent' | 'defaults' | 'env' | 'state-dir';

export type AgentWorkspace = {
	agentId: string;
	dir: string;
	/** Where the directory came from: the agent's entry, agents.defaults.workspace, OPENCLAW_WORKSPACE_DIR, or the state dir. */
	source: WorkspaceSource;
	/** The config key that set it (`agents.defaults.workspace`, `agents.list[2].workspace`), when one did. */
	key?: string;
	/** The value as written, when the config set it. */
	written?: string;
};

export type WorkspaceContext = {stateDir: string; env?: Env};

function homeOf(env: Env): string {
	return env.OPENCLAW_HOME?.trim() ? path.resolve(env.OPENCLAW_HOME) : os.homedir();
}

/** `~` and `~/x` against home; anything else resolved (relative to the cwd, as OpenClaw's resolveUserPath does). */
export function expandUserPath(value: string, env: Env = process.env): string {
	const text = value.trim();
	if (text === '~') {
		return homeOf(env);
	}

	if (text.startsWith('~/')) {
		return path.join(homeOf(env), text.slice(2));
	}

	return path.resolve(text);
}

function configured(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function resolveAgentWorkspace(config: GatewayConfig, agentId: string, context: WorkspaceContext): AgentWorkspace {
	const env = context.env ?? process.env;
	const list = config.agents?.list ?? [];
	const index = list.findIndex((entry) => entry.id === agentId);
	const own = index === -1 ? undefined : configured(list[index].workspace);
	if (own) {
		return {agentId, dir: expandUserPath(own, env), source: 'agent', key: `agents.list[${index}].workspace`, written: own};
	}

	const fallback = configured(config.agents?.defaults?.workspace);
	if (agentId === defaultAgentId) {
		if (fallback) {
			return {agentId, dir: expandUserPath(fallback, env), source: 'defaults', key: 'agents.defaults.workspace', written: fallback};
		}

		const fromEnv = configured(env.OPENCLAW_WORKSPACE_DIR);
		if (fromEnv) {
			return {agentId, dir: path.resolve(fromEnv), source: 'env'};
		}

		return {agentId, dir: path.join(context.stateDir, 'workspace'), source: 'state-dir'};
	}

	if (fallback) {
		return {agentId, dir: path.join(expandUserPath(fallback, env), agentId), source: 'defaults', key: 'agents.defaults.workspace', written: fallback};
	}

	return {agentId, dir: path.join(context.stateDir, `workspace-${agentId}`), source: 'state-dir'};
}

/** Every agent's workspace: `main` first, then `agents.list[]` in order. */
export function agentWorkspaces(config: GatewayConfig, context: WorkspaceContext): AgentWorkspace[] {
	const ids = [defaultAgentId, ...(config.agents?.list ?? []).map((entry) => entry.id).filter((id) => id !== defaultAgentId)];
	return [...new Set(ids)].map((id) => resolveAgentWorkspace(config, id, context));
}

/** Create the workspace (and any missing parent) owner-only; one that exists keeps its mode. Resolves with the dir. */
export async function ensureWorkspace(dir: string): Promise<string> {
	await mkdir(dir, {recursive: true, mode: 0o700});
	return dir;
}
