// `agent`: two answers on one request id. `{runId, status:"accepted"}` at once, then the run's outcome; the
// output streams meanwhile as `agent` (and `chat`) events. runId = idempotencyKey, and a repeated key joins the first
// run. The turn is recorded in the session it names by `sessionKey`, `sessionId` or an agent-scoped `to` (see
// sessions/session-id.ts), else by `channel` + a peer `to`, the peer's own session (channels/agent-delivery.ts);
// default: the agent's main session, `agent:<id>:main`. With `deliver: true` the answer is also sent to the peer.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {deliverAnswer} from '../agents/deliver-answer.js';
import type {AgentService} from '../agents/service.js';
import {isBestEffort, planAgentDelivery, planFailure} from '../channels/agent-delivery.js';
import {agentSessionTarget, checkSessionId} from '../sessions/session-id.js';
import {defineMethod} from './types.js';

const optionalString = z.string().optional();

/** OpenClaw's closed AgentParamsSchema, minus internal fields; the ones we do not act on are accepted and ignored. */
export const agentParams = z
	.object({
		message: z.string(),
		idempotencyKey: z.string().min(1),
		agentId: optionalString,
		sessionKey: optionalString,
		sessionId: optionalString,
		thinking: optionalString,
		deliver: z.boolean().optional(),
		bestEffortDeliver: z.boolean().optional(),
		channel: optionalString,
		replyChannel: optionalString,
		to: optionalString,
		replyTo: optionalString,
		accountId: optionalString,
		replyAccountId: optionalString,
		threadId: z.union([z.string(), z.number()]).optional(),
		attachments: z.array(z.unknown()).optional(),
		timeout: z.number().positive().optional(),
		model: optionalString,
		provider: optionalString,
		extraSystemPrompt: optionalString,
		label: optionalString,
		lane: optionalString,
		cwd: optionalString,
		promptMode: optionalString,
	})
	.strict();

export default function agent(service: AgentService) {
	return defineMethod({
		name: 'agent',
		scope: scopes.write,
		params: agentParams,
		async handler(params, ctx) {
			const plan = planAgentDelivery(params);
			const requestedAgentId = service.checkAgentId(params.agentId);
			const recipient = plan.recipient && service.channelOutbound?.peerSession(plan.recipient.channel, plan.recipient.peerId, requestedAgentId);
			const targetRequest = {
				agentId: requestedAgentId,
				agentIdGiven: Boolean(params.agentId?.trim()),
				sessionKey: params.sessionKey?.trim() ? params.sessionKey : recipient,
				sessionId: checkSessionId(params.sessionId),
				to: params.to,
			};
			const {agentId, sessionKey, sessionId} = service.sessionTarget ? await service.sessionTarget(targetRequest) : agentSessionTarget(targetRequest);
			const bestEffort = isBestEffort(params.bestEffortDeliver, sessionKey, agentId);
			if (plan.delivery && 'problem' in plan.delivery && !bestEffort) {
				throw planFailure(plan.delivery.problem);
			}

			// The session's earlier turns are the model's context (none for a retry: it joins the run it repeats).
			const history = service.runner.get(params.idempotencyKey) || !service.sessionHistory ? [] : await service.sessionHistory(sessionKey, sessionId);
			const model = params.provider && params.model && !params.model.includes('/') ? `${params.provider}/${params.model}` : (params.model ?? params.provider);
			const {run, duplicate} = service.runner.start(
				{
					runId: params.idempotencyKey,
					message: params.message,
					agentId,
					sessionKey,
					...(sessionId ? {sessionId} : {}),
					history,
					model,
					systemPrompt: params.extraSystemPrompt,
					timeoutSeconds: params.timeout,
				},
				// Per connection: one client's flood spends its own budget, not the console's or another operator's.
				`conn:${ctx.caller.connId}`,
			);
			if (!duplicate && plan.delivery) {
				run.trackDelivery(deliverAnswer(run, plan.delivery, bestEffort, service.channelOutbound));
			}

			// One delivery per run: a repeated idempotencyKey joins the first request's delivery instead of sending again.
			const final = run.delivery ?? run.done;
			if (duplicate && run.outcome) {
				return final;
			}

			ctx.accept(run.accepted());
			return final;
		},
	});
}
