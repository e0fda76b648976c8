// What an `agent` request's channel fields ask for, read as OpenClaw 2026.9.6 reads them. `channel` + `to` with no
// session named put the turn in that peer's session (the one its own messages land in); `deliver: true` sends the
// final answer to `replyTo ?? to` on `replyChannel ?? channel`. A delivery that cannot be planned or fails is an
// error of the run unless it is best effort (`bestEffortDeliver`, which defaults to true for the agent's main session),
// then the run succeeds and its `deliveryStatus` says what happened. Pure: sending is the channel manager's.
import {errorCodes, GatewayError} from '../../source/protocol/index.js';
import type {AgentParams, DeliveryStatus} from '../../source/protocol/methods/agents.js';
import {mainSessionKey, parseAgentSessionKey} from '../sessions/keys.js';
import {channelIds, defaultAccountId, type ChannelId} from './types.js';

/** The `agent` params (the shared method map's) that say where a turn goes and where its answer is sent. */
export type AgentDeliveryParams = Pick<
	AgentParams,
	'deliver' | 'bestEffortDeliver' | 'channel' | 'replyChannel' | 'to' | 'replyTo' | 'accountId' | 'replyAccountId' | 'sessionKey' | 'sessionId'
>;

/** Why a delivery was not attempted, in OpenClaw's `deliveryStatus.reason` words. */
export type DeliveryProblem = {reason: 'channel_resolved_to_internal' | 'unknown_channel' | 'no_delivery_target'; message: string};

export type AgentDeliveryPlan = {
	/** The peer whose session the turn lands in. */
	recipient?: {channel: ChannelId; peerId: string};
	/** Where the final answer goes, or why it cannot go anywhere. */
	delivery?: {channel: ChannelId; to: string} | {problem: DeliveryProblem};
};

/** What the channels give the `agent` method: a peer's session, and a way to send it the answer. */
export type ChannelOutbound = {
	peerSession(channel: ChannelId, peerId: string, agentId: string): string;
	send(channel: ChannelId, to: string, text: string): Promise<void>;
};

const channelList = 'telegram, discord, slack or webhook';

export function planAgentDelivery(params: AgentDeliveryParams): AgentDeliveryPlan {
	checkAccount(params.replyAccountId ?? params.accountId);
	const plan: AgentDeliveryPlan = {};
	const channel = knownChannel(params.channel);
	const peerId = channel ? peerOf(channel, params.to) : undefined;
	if (channel && peerId && !params.sessionKey?.trim() && !params.sessionId?.trim()) {
		plan.recipient = {channel, peerId};
	}

	if (params.deliver === true) {
		plan.delivery = deliveryTarget(params.replyChannel?.trim() ? params.replyChannel : params.channel, params.replyTo?.trim() ? params.replyTo : params.to);
	}

	return plan;
}

/** OpenClaw's default: a turn in the agent's main session delivers at best effort unless the caller says otherwise. */
export function isBestEffort(requested: boolean | undefined, sessionKey: string, agentId: string): boolean {
	return requested ?? sessionKey === mainSessionKey(agentId);
}

/** OpenClaw's words for a channel with no bot token ("Telegram bot token missing for account ..."), our setting as the fix. */
export function notConfiguredMessage(label: string, missing: string): string {
	const what = missing.endsWith('.botToken') ? `${label} bot token missing` : `${label} is not configured`;
	return `${what} for account "${defaultAccountId}" (set ${missing})`;
}

export function deliveryFailure(message: string): GatewayError {
	return new GatewayError({code: errorCodes.unavailable, message});
}

export function planFailure(problem: DeliveryProblem): GatewayError {
	return new GatewayError({code: errorCodes.invalidRequest, message: problem.message});
}

/** OpenClaw's `deliveryStatus` for each way a delivery ends. */
export const deliveryStatus = {
	sent: (): DeliveryStatus => ({requested: true, attempted: true, status: 'sent', succeeded: true, resultCount: 1}),
	nothingToSend: (): DeliveryStatus => ({requested: true, attempted: false, status: 'suppressed', succeeded: true, reason: 'no_visible_payload', resultCount: 0}),
	notAttempted: (problem: DeliveryProblem): DeliveryStatus => ({
		requested: true,
		attempted: false,
		status: 'failed',
		succeeded: false,
		error: true,
		reason: problem.reason,
		errorMessage: problem.message,
	}),
	sendFailed: (message: string): DeliveryStatus => ({requested: true, attempted: true, status: 'failed', succeeded: false, error: true, errorMessage: message}),
};

/** The shapes of a session key that name one conversation on a channel (OpenClaw's channel-scoped sessions). */
const conversationShapes = new Set(['direct', 'dm', 'group', 'channel']);

export type ChatSendRoute = {
	deliver?: boolean;
	sessionKey: string;
	originatingChannel?: string;
	originatingTo?: string;
	/** The caller is a webchat client (its own UI shows the answer): OpenClaw gives it the session's route never. */
	fromWebchat: boolean;
};

/**
 * Where `chat.send` with `deliver: true` sends the answer, as OpenClaw 2026.9.6 picks it: an explicit
 * `originatingChannel` + `originatingTo`; else the session's own route, for a session of one conversation on a channel
 * (`agent:<id>:<channel>:direct:<peer>`, also with an account part, and `dm`/`group`/`channel`) and a caller that is not
 * webchat; else nowhere (the answer stays in the session, no error). OpenClaw reads that route from the channel and
 * peer the session last heard from; this gateway keeps none, and its session keys name the same channel and peer.
 */
export function chatSendDeliveryTarget(route: ChatSendRoute): {channel: ChannelId; to: string} | undefined {
	if (route.deliver !== true) {
		return undefined;
	}

	// An explicit route is taken as given: one that names no channel of ours (webchat) keeps the answer here.
	if (route.originatingChannel?.trim() && route.originatingTo?.trim()) {
		const channel = knownChannel(route.originatingChannel);
		const to = channel && peerOf(channel, route.originatingTo);
		return channel && to ? {channel, to} : undefined;
	}

	if (route.fromWebchat) {
		return undefined;
	}

	const parts = (parseAgentSessionKey(route.sessionKey)?.rest ?? route.sessionKey).split(':');
	const channel = knownChannel(parts[0]);
	const shapeAt = [1, 2].find((index) => conversationShapes.has(parts[index]?.toLowerCase() ?? ''));
	const to = shapeAt === undefined ? undefined : parts.slice(shapeAt + 1).join(':').trim();
	return channel && to ? {channel, to: sessionPeerId(channel, to)} : undefined;
}

/** The originating route fields, checked as OpenClaw checks them (they route an answer: an admin's act). */
export function checkOriginatingRoute(fields: {originatingChannel?: string; originatingTo?: string; originatingAccountId?: string; originatingThreadId?: string}, isAdmin: boolean): void {
	const given = [fields.originatingChannel, fields.originatingTo, fields.originatingAccountId, fields.originatingThreadId];
	if (!given.some((value) => value?.trim())) {
		return;
	}

	let problem: string | undefined;
	if (!fields.originatingChannel?.trim()) {
		problem = 'originatingChannel is required when using originating route fields';
	} else if (!fields.originatingTo?.trim()) {
		problem = 'originatingTo is required when using originating route fields';
	} else if (!isAdmin) {
		problem = 'originating route fields require admin scope';
	}

	if (problem) {
		throw new GatewayError({code: errorCodes.invalidRequest, message: problem});
	}
}

/** Session keys keep peers lower-cased; Slack's ids are upper case (`U42`, `D0123`) and refused otherwise. */
function sessionPeerId(channel: ChannelId, peer: string): string {
	return channel === 'slack' ? peer.toUpperCase() : peer;
}

function deliveryTarget(rawChannel: string | undefined, rawTo: string | undefined): AgentDeliveryPlan['delivery'] {
	const name = rawChannel?.trim().toLowerCase();
	// `last` and `webchat` name no outside channel: this gateway keeps no "last route" of a session to fall back to.
	if (!name || name === 'last' || name === 'webchat') {
		return {problem: {reason: 'channel_resolved_to_internal', message: `delivery channel is required: pass --channel (${channelList})`}};
	}

	const channel = knownChannel(name);
	if (!channel) {
		return {problem: {reason: 'unknown_channel', message: `unsupported delivery channel "${rawChannel}": pass --channel ${channelList}`}};
	}

	const to = peerOf(channel, rawTo);
	if (!to) {
		return {problem: {reason: 'no_delivery_target', message: `delivery target is required for ${channel}: pass --to/--reply-to with the peer's id`}};
	}

	return {channel, to};
}

function knownChannel(raw: string | undefined): ChannelId | undefined {
	const name = raw?.trim().toLowerCase();
	return channelIds.find((id) => id === name);
}

/** The peer a target names: `4242`, `telegram:4242` or `user:4242` alike; an agent session key names no peer. */
function peerOf(channel: ChannelId, raw: string | undefined): string | undefined {
	const to = raw?.trim();
	if (!to || parseAgentSessionKey(to)) {
		return undefined;
	}

	const unprefixed = to.toLowerCase().startsWith(`${channel}:`) ? to.slice(channel.length + 1).trim() : to;
	return unprefixed.replace(/^(user|dm):/i, '').trim() || undefined;
}

/** Each channel here runs one account, `default`: a turn for another one would be answered by the wrong bot. */
function checkAccount(raw: string | undefined): void {
	const account = raw?.trim();
	if (account && account.toLowerCase() !== defaultAccountId) {
		throw new GatewayError({
			code: errorCodes.invalidRequest,
			message: `unknown channel account "${account}": this gateway runs one account per channel, "${defaultAccountId}" (leave --account out)`,
		});
	}
}
