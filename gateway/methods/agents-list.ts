// `agents.list`: the agents this gateway runs (`main` plus `agents.list[]`), in OpenClaw's result shape.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {AgentService} from '../agents/service.js';
import {defaultAgentId} from '../agents/runner.js';
import {defineMethod} from './types.js';

export default function agentsList(service: AgentService) {
	return defineMethod({
		name: 'agents.list',
		scope: scopes.read,
		params: z.object({}).strict(),
		handler() {
			return {
				defaultId: defaultAgentId,
				mainKey: 'main',
				scope: 'per-sender',
				agents: service.agentEntries(),
			};
		},
	});
}
