// `chat.send`: one user message into a session. Answers at once with `{runId, status:"started"}` (acceptance, not
// completion, as OpenClaw's); the reply streams as `chat` events (delta..., then final) and is recorded in the
// session. runId = idempotencyKey: a retry of a running send answers `in_flight`, of a finished one `ok`. With
// `deliver: true` the answer also goes to the channel peer of the session (channels/agent-delivery.ts says which).
import {z} from 'zod';
import {scopes, type ClientInfo} from '../../source/protocol/index.js';
import {deliverAnswer} from '../agents/deliver-answer.js';
import {chatSendDeliveryTarget, checkOriginatingRoute} from '../channels/agent-delivery.js';
import {canonicalSessionKey} from '../sessions/keys.js';
import {checkSessionId} from '../sessions/session-id.js';
import type {SessionService} from '../sessions/service.js';
import {defineMethod} from './types.js';

const optionalString = z.string().optional();

/** OpenClaw's closed ChatSendParamsSchema; the fields this gateway does not act on are accepted and ignored. */
export const chatSendParams = z
	.object({
		sessionKey: z.string().min(1),
		agentId: z.string().min(1).optional(),
		sessionId: z.string().min(1).optional(),
		message: z.string(),
		mentions: z.unknown().optional(),
		workContext: z.unknown().optional(),
		intent: z.unknown().optional(),
		thinking: optionalString,
		fastMode: z.union([z.boolean(), z.literal('auto')]).optional(),
		fastAutoOnSeconds: z.number().int().min(1).optional(),
		queueMode: z.enum(['steer', 'followup', 'collect', 'interrupt']).optional(),
		deliver: z.boolean().optional(),
		originatingChannel: optionalString,
		originatingTo: optionalString,
		originatingAccountId: optionalString,
		originatingThreadId: optionalString,
		replyToId: z.string().min(1).optional(),
		attachments: z.array(z.unknown()).optional(),
		toolBindings: z.record(z.string(), z.unknown()).optional(),
		timeoutMs: z.number().int().min(0).optional(),
		systemInputProvenance: z.unknown().optional(),
		systemProvenanceReceipt: optionalString,
		suppressCommandInterpretation: z.boolean().optional(),
		expectedLeafEntryId: z.union([z.string().min(1), z.null()]).optional(),
		expectedSessionRoutingContract: z.string().min(1).optional(),
		expectedPermissionMode: z.unknown().optional(),
		expectedToolOverrides: z.unknown().optional(),
		idempotencyKey: z.string().min(1),
	})
	.strict();

export function chatSend(service: SessionService) {
	return defineMethod({
		name: 'chat.send',
		scope: scopes.write,
		params: chatSendParams,
		async handler(params, ctx) {
			checkOriginatingRoute(params, ctx.caller.scopes.includes(scopes.admin));
			const agentId = service.agents.checkAgentId(params.agentId);
			const sessionKey = canonicalSessionKey(params.sessionKey, agentId);
			const known = service.agents.runner.get(params.idempotencyKey);
			if (known) {
				return {runId: known.runId, status: known.finished ? 'ok' : 'in_flight'};
			}

			// As OpenClaw's: the key picks the session; `sessionId` only names the id of a session this turn creates.
			const requestedId = checkSessionId(params.sessionId);
			const sessionId = requestedId ? ({id: requestedId, ifDifferent: 'keep'} as const) : undefined;
			await service.checkSessionIdFree({agentId, sessionKey, sessionId});
			const history = await service.history(sessionKey);
			const {run, duplicate} = service.agents.runner.start(
				{
					runId: params.idempotencyKey,
					message: params.message,
					agentId,
					sessionKey,
					...(sessionId ? {sessionId} : {}),
					history,
					// timeoutMs 0 means no timeout of the caller's own: the configured one applies.
					...(params.timeoutMs ? {timeoutSeconds: params.timeoutMs / 1000} : {}),
				},
				`conn:${ctx.caller.connId}`,
			);
			if (duplicate) {
				return {runId: run.runId, status: run.finished ? 'ok' : 'in_flight'};
			}

			// As OpenClaw's: the answer also goes to the session's channel peer, best effort (a failed send is logged).
			const target = chatSendDeliveryTarget({...params, sessionKey, fromWebchat: isWebchat(ctx.caller.client)});
			if (target) {
				run.trackDelivery(deliverAnswer(run, target, true, service.agents.channelOutbound));
			}

			await service.userTurn(run);
			return {runId: run.runId, status: 'started'};
		},
	});
}

/** OpenClaw's webchat clients (the Control UI's chat): they show the answer themselves. */
function isWebchat(client: ClientInfo): boolean {
	return client.mode?.toLowerCase() === 'webchat' || client.id?.toLowerCase() === 'webchat-ui';
}
