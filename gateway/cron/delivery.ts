// Where a cron job's answer goes, and what its run log says about it, as OpenClaw 2026.9.6 reads a job's `delivery`
// (`openclaw cron add --message ... --announce --channel telegram --to 4242`, stored as {mode: "announce", channel,
// to, bestEffort}). Pure: the send is the agents' (deliverAnswer, the channel's own transport).
import type {DeliveryStatus} from '../../source/protocol/methods/agents.js';
import type {CronRunDeliveryStatus} from '../../source/protocol/methods/cron.js';
import type {DeliveryTarget} from '../agents/deliver-answer.js';
import {planAgentDelivery} from '../channels/agent-delivery.js';
import {channelIds} from '../channels/types.js';

export type CronDeliveryRecord = {deliveryStatus: CronRunDeliveryStatus; delivered?: boolean; deliveryError?: string};

/**
 * The target of a job that announces its answer to a chat and names where (a channel other than `last`, or a `to`);
 * undefined for a job that asks for no delivery, a webhook, or the `last` route with no target: this gateway keeps no
 * last route to resolve, so such a job's answer stays in its run log.
 */
export function cronDeliveryTarget(delivery: Record<string, unknown> | undefined): DeliveryTarget | undefined {
	if (!delivery) {
		return undefined;
	}

	const mode = typeof delivery.mode === 'string' ? delivery.mode.trim().toLowerCase() : 'announce';
	if (mode !== 'announce' && mode !== 'deliver') {
		return undefined;
	}

	const to = typeof delivery.to === 'string' && delivery.to.trim() ? delivery.to.trim() : undefined;
	const named = typeof delivery.channel === 'string' ? delivery.channel.trim().toLowerCase() : '';
	// As OpenClaw's announce channel: `last` (the CLI's default) gives way to a channel-prefixed target (`telegram:4242`).
	const channel = named && named !== 'last' ? named : channelIds.find((id) => to?.toLowerCase().startsWith(`${id}:`));
	if (!channel && !to) {
		return undefined;
	}

	return planAgentDelivery({deliver: true, channel: channel ?? named, to}).delivery;
}

/** The run log's delivery fields for a finished run, OpenClaw's words: delivered, not-delivered (and why), unknown. */
export function cronDeliveryRecord(runStatus: 'ok' | 'error' | 'timeout', status: DeliveryStatus | undefined): CronDeliveryRecord {
	if (!status) {
		// The run failed before it had an answer to send.
		return {deliveryStatus: runStatus === 'ok' ? 'not-delivered' : 'unknown'};
	}

	if (status.status === 'sent') {
		return {deliveryStatus: 'delivered', delivered: true};
	}

	return {deliveryStatus: 'not-delivered', delivered: false, ...(status.errorMessage ? {deliveryError: status.errorMessage} : {})};
}
