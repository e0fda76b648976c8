// Heartbeat facts for `status`, `health` and `last-heartbeat`. This gateway runs no heartbeat turns, so every agent
// reports its heartbeat disabled (OpenClaw's shape for `every: "0m"`) and there is no last heartbeat; the CLI then
// shows "disabled" and "none" instead of guessing from its own local config.
import {defaultAgentId} from './agents/runner.js';
import type {GatewayConfig} from '../source/protocol/config/schema.js';
import type {HeartbeatStatus} from '../source/protocol/methods/index.js';

export function agentIds(config: GatewayConfig): string[] {
	return [defaultAgentId, ...(config.agents?.list ?? []).map((entry) => entry.id).filter((id) => id !== defaultAgentId)];
}

/** `status.heartbeat`. */
export function heartbeatStatus(config: GatewayConfig): HeartbeatStatus {
	return {
		defaultAgentId,
		agents: agentIds(config).map((agentId) => ({agentId, enabled: false, every: 'disabled', everyMs: null, waitingForRoute: false})),
	};
}
