// Session keys as OpenClaw makes them: `agent:<agentId>:<rest>`, where the main session of an agent is
// `agent:<agentId>:main` and channel peers get keys such as `agent:main:telegram:direct:<peer>`. A client may name a
// session by its short form (`main`, `work`); the gateway stores it under the agent-scoped key.
export const mainKey = 'main';

export function mainSessionKey(agentId: string): string {
	return `agent:${agentId}:${mainKey}`;
}

export function parseAgentSessionKey(key: string): {agentId: string; rest: string} | undefined {
	const match = /^agent:([^:]+):(.+)$/.exec(key);
	return match ? {agentId: match[1], rest: match[2]} : undefined;
}

/** The stored key for what a client sent: empty means the agent's main session, a short form is scoped to the agent. */
export function canonicalSessionKey(key: string | undefined, agentId: string): string {
	const trimmed = key?.trim();
	if (!trimmed) {
		return mainSessionKey(agentId);
	}

	if (parseAgentSessionKey(trimmed) || trimmed === 'global' || trimmed === 'unknown') {
		return trimmed;
	}

	return `agent:${agentId}:${trimmed}`;
}

/** Only agent-scoped keys are kept as sessions; per-request keys (OpenResponses, one-off hooks) stay stateless. */
export function isStoredSessionKey(key: string): boolean {
	return parseAgentSessionKey(key) !== undefined;
}

/** OpenClaw's session kind column: `direct` for a peer chat, `group` for a group, else `direct` for the main session. */
export function sessionKind(key: string): 'direct' | 'group' | 'global' | 'unknown' {
	if (key === 'global') {
		return 'global';
	}

	const parsed = parseAgentSessionKey(key);
	if (!parsed) {
		return 'unknown';
	}

	return /(^|:)(group|channel):/.test(parsed.rest) ? 'group' : 'direct';
}

/** OpenClaw's `session.dmScope`: how direct messages from channel peers map to sessions. */
export const dmScopes = ['main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer'] as const;
export type DmScope = (typeof dmScopes)[number];

/**
 * The session a direct message from a channel peer lands in, as OpenClaw keys it: `main` shares the agent's main
 * session, `per-peer` is `agent:<id>:direct:<peer>`, `per-channel-peer` `agent:<id>:<channel>:direct:<peer>`,
 * `per-account-channel-peer` `agent:<id>:<channel>:<account>:direct:<peer>`.
 */
export function peerSessionKey(options: {agentId: string; channel: string; accountId: string; peerId: string; dmScope: DmScope}): string {
	const peer = options.peerId.trim().toLowerCase();
	const channel = options.channel.trim().toLowerCase() || 'unknown';
	switch (options.dmScope) {
		case 'main': {
			return mainSessionKey(options.agentId);
		}

		case 'per-peer': {
			return `agent:${options.agentId}:direct:${peer}`;
		}

		case 'per-account-channel-peer': {
			return `agent:${options.agentId}:${channel}:${options.accountId.toLowerCase()}:direct:${peer}`;
		}

		case 'per-channel-peer': {
			return `agent:${options.agentId}:${channel}:direct:${peer}`;
		}
	}
}
