// `sessions.subscribe`: from now on this connection gets `sessions.changed` (a turn started or ended, a session was
// reset or deleted); with list params it also answers the current list. The subscription ends with the connection,
// as OpenClaw's does, or with `sessions.unsubscribe` (ours: the reference gateway has no way to stop it early).
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {SessionService} from '../sessions/service.js';
import {listSessions, sessionsListParams} from './sessions-list.js';
import {defineMethod} from './types.js';

export function sessionsSubscribe(service: SessionService) {
	return defineMethod({
		name: 'sessions.subscribe',
		scope: scopes.read,
		params: sessionsListParams,
		async handler(params, ctx) {
			service.subscribe(ctx.caller.connId);
			if (Object.keys(params).length === 0) {
				return {subscribed: true};
			}

			return {subscribed: true, list: await listSessions(service, params)};
		},
	});
}

export function sessionsUnsubscribe(service: SessionService) {
	return defineMethod({
		name: 'sessions.unsubscribe',
		scope: scopes.read,
		params: z.object({}).strict(),
		handler(_params, ctx) {
			service.unsubscribe(ctx.caller.connId);
			return {subscribed: false};
		},
	});
}
