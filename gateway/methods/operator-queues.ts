// What the OpenClaw TUI reads on every connect besides sessions: pending questions, plugin approvals and the
// gateway's slash commands. This gateway has none of them (no tool asks questions, no plugin asks approval, no
// commands beyond the TUI's own), and says so in the shapes the TUI validates rather than failing its start-up.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export const operatorQueues = [
	defineMethod({
		name: 'question.list',
		scope: scopes.questions,
		params: z.object({}).strict(),
		handler: () => ({questions: []}),
	}),
	defineMethod({
		name: 'plugin.approval.list',
		scope: scopes.approvals,
		params: z.object({}).strict(),
		handler: () => [],
	}),
	defineMethod({
		name: 'commands.list',
		scope: scopes.read,
		params: z
			.object({
				sessionKey: z.string().min(1).optional(),
				agentId: z.string().min(1).optional(),
				provider: z.string().min(1).optional(),
				scope: z.string().optional(),
				includeArgs: z.boolean().optional(),
			})
			.strict(),
		handler: () => ({commands: []}),
	}),
];
