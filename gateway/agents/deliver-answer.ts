// A finished run's answer sent to a channel peer, the one way out for every caller that asks for it: `agent` with
// `deliver`, `chat.send` with `deliver` on a peer's session, a cron job with a delivery target. The outcome gains
// OpenClaw's `deliverySucceeded`/`deliveryStatus`. A send that fails fails the delivery unless it is best effort.
import type {DeliveryStatus} from '../../source/protocol/methods/agents.js';
import {deliveryFailure, deliveryStatus, type AgentDeliveryPlan, type ChannelOutbound} from '../channels/agent-delivery.js';
import {replyText} from '../channels/reply-text.js';
import type {AgentRun, RunOutcome} from './run.js';

export type DeliveryTarget = NonNullable<AgentDeliveryPlan['delivery']>;

/**
 * The run's outcome once its answer went to the peer. Rejects (a GatewayError naming the cause) when the send fails
 * and the delivery is not best effort; the run then counts as failed (AgentRun.trackDelivery).
 */
export async function deliverAnswer(run: AgentRun, target: DeliveryTarget, bestEffort: boolean, outbound: ChannelOutbound | undefined): Promise<RunOutcome> {
	const outcome = await run.done;
	if (outcome.status !== 'ok') {
		return outcome;
	}

	const withStatus = (succeeded: boolean, status: DeliveryStatus): RunOutcome => ({
		...outcome,
		result: {...outcome.result, deliverySucceeded: succeeded, deliveryStatus: status},
	});
	if ('problem' in target) {
		return withStatus(false, deliveryStatus.notAttempted(target.problem));
	}

	const text = replyText(outcome);
	if (text === undefined) {
		return withStatus(true, deliveryStatus.nothingToSend());
	}

	try {
		if (!outbound) {
			throw new Error('this gateway runs no channels to deliver through');
		}

		await outbound.send(target.channel, target.to, text);
		return withStatus(true, deliveryStatus.sent());
	} catch (error) {
		const message = (error as Error).message;
		if (!bestEffort) {
			throw deliveryFailure(message);
		}

		return withStatus(false, deliveryStatus.sendFailed(message));
	}
}
