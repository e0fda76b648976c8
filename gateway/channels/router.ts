// ChannelRouter: one direct message from a channel peer becomes a turn in that peer's session. It checks who may
// talk to the agent (dmPolicy/allowFrom) and the peer's rate, runs the agent on the peer's session (OpenClaw's
// session keys; the run streams `agent` and `chat` events like any other), and sends the answer back through the
// channel it came from. A refused peer gets nothing; the refusal is logged with the peer and the reason, never the
// message text.
import type {AgentService} from '../agents/service.js';
import {defaultAgentId} from '../agents/runner.js';
import type {Logger} from '../logger.js';
import {dmScopes, peerSessionKey, type DmScope} from '../sessions/keys.js';
import {decideAccess, type DmPolicy} from './access.js';
import type {ChannelTransport, InboundMessage} from './inbound.js';
import {pairingReply, type PairingStore} from './pairing.js';
import {defaultPeerRateLimit, PeerRateLimiter, type PeerRateLimit} from './peer-rate.js';
import {replyText} from './reply-text.js';
import type {ChannelSection} from './service-probe.js';
import {defaultAccountId, type ChannelId} from './types.js';

export type RouterSettings = {
	section(channel: ChannelId): ChannelSection | undefined;
	dmScope(): DmScope;
};

export function dmScopeOf(session: unknown): DmScope {
	const scope = (session as {dmScope?: unknown} | undefined)?.dmScope;
	// The brief for this gateway asks for per-channel peer sessions: a stranger's chat never lands in the operator's
	// main session unless the config says `session.dmScope: "main"`.
	return dmScopes.includes(scope as DmScope) ? (scope as DmScope) : 'per-channel-peer';
}

export class ChannelRouter {
	private readonly limiters = new Map<ChannelId, PeerRateLimiter>();
	/** Turns of one session run one after another, in the order their messages arrived. */
	private readonly queues = new Map<string, Promise<void>>();
	private readonly limitedLogged = new Map<string, number>();
	readonly counters = {routed: 0, refused: 0, rateLimited: 0, replied: 0, failed: 0};
	/** When each channel last took a message in and sent an answer out (OpenClaw's lastInboundAt/lastOutboundAt). */
	readonly activity = new Map<ChannelId, {lastInboundAt: number | null; lastOutboundAt: number | null}>();

	constructor(
		private readonly agents: AgentService,
		private readonly settings: RouterSettings,
		private readonly logger: Logger,
		readonly pairing: PairingStore,
	) {}

	/** Handle one inbound message; resolves when its answer went out (or it was refused). Never throws. */
	async route(message: InboundMessage, transport: ChannelTransport): Promise<void> {
		this.touch(message.channel, 'lastInboundAt');
		const section = this.settings.section(message.channel) ?? {};
		const decision = decideAccess(section.dmPolicy as DmPolicy | undefined, section.allowFrom as Array<string | number> | undefined, [
			message.peerId,
			...(message.peerAliases ?? []),
		]);
		const paired = !decision.allowed && decision.reason === 'pairing-required' && (await this.pairing.isApproved(message.channel, message.peerId));
		if (!decision.allowed && !paired) {
			this.counters.refused++;
			this.logger.warn('channel message refused', {channel: message.channel, peer: message.peerId, reason: decision.reason});
			if (decision.reason === 'pairing-required') {
				await this.offerPairing(message, transport);
			}

			return;
		}

		if (!this.limiter(message.channel).take(message.peerId)) {
			this.counters.rateLimited++;
			this.logRateLimited(message);
			return;
		}

		const sessionKey = this.peerSession(message.channel, message.peerId);
		const previous = this.queues.get(sessionKey) ?? Promise.resolve();
		const turn = previous.then(async () => this.runTurn(message, transport, sessionKey));
		this.queues.set(sessionKey, turn);
		await turn;
		if (this.queues.get(sessionKey) === turn) {
			this.queues.delete(sessionKey);
		}
	}

	private async runTurn(message: InboundMessage, transport: ChannelTransport, sessionKey: string): Promise<void> {
		const runId = `${message.channel}:${message.messageId}`;
		try {
			const history = this.agents.runner.get(runId) || !this.agents.sessionHistory ? [] : await this.agents.sessionHistory(sessionKey);
			const {run, duplicate} = this.agents.runner.start(
				{runId, message: message.text, agentId: defaultAgentId, sessionKey, history},
				`channel:${message.channel}:${message.peerId}`,
			);
			if (duplicate) {
				return;
			}

			this.counters.routed++;
			const outcome = await run.done;
			const text = replyText(outcome);
			if (text === undefined) {
				this.logger.warn('channel turn ended without an answer', {channel: message.channel, peer: message.peerId, runId, status: outcome.status, summary: outcome.summary, stopReason: outcome.result.meta.stopReason});
				return;
			}

			// The service will not send this message again, so a cut answer goes out too (marked as cut).
			if (outcome.result.meta.aborted) {
				this.logger.warn('channel turn cut short; the part answered was sent, marked as cut', {channel: message.channel, peer: message.peerId, runId, stopReason: outcome.result.meta.stopReason});
			}

			await transport.send(message.replyTo, text);
			this.counters.replied++;
			this.touch(message.channel, 'lastOutboundAt');
		} catch (error) {
			this.counters.failed++;
			this.logger.warn('channel turn failed', {channel: message.channel, peer: message.peerId, runId, error: (error as Error).message});
		}
	}

	/**
	 * The session a peer's direct messages live in, whichever way they go: in from the peer, or out to it through an
	 * `agent` turn with `channel` + `to` (OpenClaw keys both the same way, so the conversation stays one).
	 */
	peerSession(channel: ChannelId, peerId: string, agentId = defaultAgentId): string {
		return peerSessionKey({agentId, channel, accountId: defaultAccountId, peerId, dmScope: this.settings.dmScope()});
	}

	/** An answer went out on the channel (channels.status' lastOutboundAt). */
	noteOutbound(channel: ChannelId): void {
		this.touch(channel, 'lastOutboundAt');
	}

	/** The peer's first message under `pairing` makes a request and gets its code; later ones get nothing. */
	private async offerPairing(message: InboundMessage, transport: ChannelTransport): Promise<void> {
		try {
			const request = await this.pairing.request(message.channel, message.peerId, message.peerAliases?.[0] ?? message.peerId, message.replyTo);
			if (!request) {
				return;
			}

			this.logger.info('channel pairing requested', {
				channel: message.channel,
				peer: message.peerId,
				requestId: request.requestId,
				fix: `openclaw pairing approve ${message.channel} ${request.requestId}`,
			});
			await transport.send(message.replyTo, pairingReply(message.channel, message.peerId, request.requestId));
		} catch (error) {
			this.logger.warn('channel pairing request failed', {channel: message.channel, peer: message.peerId, error: (error as Error).message});
		}
	}

	private touch(channel: ChannelId, field: 'lastInboundAt' | 'lastOutboundAt'): void {
		const entry = this.activity.get(channel) ?? {lastInboundAt: null, lastOutboundAt: null};
		entry[field] = Date.now();
		this.activity.set(channel, entry);
	}

	private limiter(channel: ChannelId): PeerRateLimiter {
		let limiter = this.limiters.get(channel);
		if (!limiter) {
			limiter = new PeerRateLimiter(() => ({...defaultPeerRateLimit, ...(this.settings.section(channel)?.rateLimit as Partial<PeerRateLimit> | undefined)}));
			this.limiters.set(channel, limiter);
		}

		return limiter;
	}

	/** One log line per peer per minute while it stays over its rate, not one per dropped message. */
	private logRateLimited(message: InboundMessage): void {
		const key = `${message.channel}:${message.peerId}`;
		const now = Date.now();
		if ((this.limitedLogged.get(key) ?? 0) > now - 60_000) {
			return;
		}

		this.limitedLogged.set(key, now);
		if (this.limitedLogged.size > 10_000) {
			this.limitedLogged.delete(this.limitedLogged.keys().next().value!);
		}

		this.logger.warn('channel message refused', {channel: message.channel, peer: message.peerId, reason: 'rate-limited'});
	}
}
