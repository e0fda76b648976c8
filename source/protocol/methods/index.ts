// The one method map: every RPC this gateway serves, with its params and what it answers. The gateway's handlers are
// typed by it (gateway/methods/types.ts checks each zod params schema against it), and the client's `request` returns
// its result types, so both sides read one definition. Plain types plus one small name list: the CLI's fast path
// loads no zod for it.
//
// The result types say what THIS gateway sends. A real OpenClaw gateway serves the same names with shapes that can
// differ (fields missing, other names such as `runtimeVersion`): a reader that may face one keeps its runtime guards.
import type {AgentMethods} from './agents.js';
import type {ChannelMethods} from './channels.js';
import type {ConfigMethods} from './config.js';
import type {CronMethods} from './cron.js';
import type {GatewayMethods} from './gateway.js';
import type {OperatorMethods} from './operator.js';
import type {SessionMethods} from './sessions.js';

export type MethodMap = GatewayMethods & ConfigMethods & SessionMethods & AgentMethods & ChannelMethods & CronMethods & OperatorMethods;
export type MethodName = keyof MethodMap;
export type MethodParams<M extends MethodName> = MethodMap[M]['params'];
export type MethodResult<M extends MethodName> = MethodMap[M]['result'];
/** The first answer of a two-stage method (`never` for a method that answers once). */
export type MethodAccepted<M extends MethodName> = MethodMap[M] extends {accepted: infer A} ? A : never;

/**
 * Every name of the map, at runtime (the registry test compares it with what the gateway serves). An object literal
 * so the compiler holds it to the map both ways: a missing name or an extra one fails to compile.
 */
const names: {[M in MethodName]: true} = {
	health: true,
	status: true,
	'system-presence': true,
	'gateway.restart.request': true,
	'gateway.restart.preflight': true,
	'system.info': true,
	'gateway.identity.get': true,
	'diagnostics.stability': true,
	'update.status': true,
	'last-heartbeat': true,
	'node.list': true,
	'device.pair.list': true,
	'device.pair.approve': true,
	'device.pair.reject': true,
	'device.token.revoke': true,
	'models.list': true,
	'usage.cost': true,
	'config.get': true,
	'config.set': true,
	'config.patch': true,
	'config.apply': true,
	'config.schema': true,
	'config.schema.lookup': true,
	'sessions.list': true,
	'sessions.subscribe': true,
	'sessions.unsubscribe': true,
	'sessions.describe': true,
	'sessions.reset': true,
	'sessions.delete': true,
	'chat.history': true,
	'chat.send': true,
	agent: true,
	'agent.wait': true,
	'agent.abort': true,
	'chat.abort': true,
	'agents.list': true,
	'channels.status': true,
	'channels.start': true,
	'channels.stop': true,
	'channels.pairing.list': true,
	'channels.pairing.approve': true,
	'channels.pairing.dismiss': true,
	'cron.list': true,
	'cron.status': true,
	'cron.get': true,
	'cron.add': true,
	'cron.remove': true,
	'cron.run': true,
	'cron.runs': true,
	'question.list': true,
	'plugin.approval.list': true,
	'commands.list': true,
	'logs.tail': true,
};

export const methodNames = Object.keys(names) as MethodName[];

export function isMethodName(method: string): method is MethodName {
	return Object.hasOwn(names, method);
}

/** A method's params and request options as arguments; the params may be left out when all of them are optional. */
export type MethodArgs<M extends MethodName, Options> =
	Record<string, never> extends MethodParams<M> ? [params?: MethodParams<M>, options?: Options] : [params: MethodParams<M>, options?: Options];

/**
 * A typed `request`: a method of the map takes its params and resolves with its result; any other name (a real
 * OpenClaw gateway serves hundreds more, and `openclaw gateway call` sends what it is told) resolves with `unknown`
 * for the caller to narrow. A known name with params that do not fit the map does not fall through to the loose form.
 */
export type RequestFunction<Options> = {
	<M extends MethodName>(method: M, ...args: MethodArgs<M, Options>): Promise<MethodResult<M>>;
	<S extends string>(method: S extends MethodName ? never : S, params?: unknown, options?: Options): Promise<unknown>;
};

export type * from './agents.js';
export type * from './channels.js';
export type * from './config.js';
export type * from './cron.js';
export type * from './gateway.js';
export type * from './operator.js';
export type * from './sessions.js';
