// What the OpenClaw TUI reads on every connect besides sessions (pending questions, plugin approvals, slash commands)
// and the log tail. This gateway has no questions, approvals or commands: it answers empty lists, whose items stay
// `unknown` because it never produces one.
import type {LogsTailResult} from '../index.js';
import type {NoParams} from './gateway.js';

export type LogsTailParams = {cursor?: number; limit?: number; maxBytes?: number};

export type CommandsListParams = {sessionKey?: string; agentId?: string; provider?: string; scope?: string; includeArgs?: boolean};

export type OperatorMethods = {
	'question.list': {params: NoParams; result: {questions: unknown[]}};
	'plugin.approval.list': {params: NoParams; result: unknown[]};
	'commands.list': {params: CommandsListParams; result: {commands: unknown[]}};
	'logs.tail': {params: LogsTailParams; result: LogsTailResult};
};
