// Channel traffic for the routing soak (bench/soak.ts --routing): the loopback fakes of Telegram (getUpdates long
// polling), Slack (Events API POSTs, v0-signed), Discord (its Gateway socket) and the generic webhook channel (signed
// inbound POST, reply POSTed back), the same fakes the channel tests use. Several allowed peers per channel send at
// a steady, bounded rate; each message's text names it (`soak:<channel>:<peer>:<n>`) and the echo model answers
// with that text, so replies are counted per message: every message must be answered exactly once, to its peer.
import {webhookSignatureHeaders} from '../../gateway/channels/webhook-transport.js';
import {hmacSha256Hex} from '../../gateway/channels/signatures.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from '../../test/helpers/fake-apis.js';

export const routedChannels = ['telegram', 'webhook', 'slack', 'discord'] as const;
export type RoutedChannel = (typeof routedChannels)[number];

const webhookSecret = 'soak-webhook-secret-0123456789';
const slackSigningSecret = 'soak-slack-signing-secret-0123456789';
/**
 * Allowed peers per channel; each gets its own session (per-channel-peer). Twenty peers keep a 30-minute run at the
 * default 4 messages/s to about 720 transcript messages per session, under sessionLimits.maxMessagesPerSession
 * (1000), past which a transcript is trimmed and its message count would drop for a reason other than a loss.
 */
const peers: Record<RoutedChannel, string[]> = {
	telegram: ['4201', '4202', '4203', '4204', '4205'],
	webhook: ['alice', 'bob', 'carol', 'dave', 'erin'],
	slack: ['U101', 'U102', 'U103', 'U104', 'U105'],
	discord: ['3101', '3102', '3103', '3104', '3105'],
};
/** Where each channel's answer to a peer must go (the fakes record it). */
const replyTarget: Record<RoutedChannel, (peer: string) => string> = {
	telegram: (peer) => peer,
	webhook: (peer) => peer,
	slack: (peer) => `D${peer}`,
	discord: (peer) => `dm-${peer}`,
};
/** An HTTP-delivered message is retried (as Slack and webhook senders do) while the gateway restarts; bounded. */
const maxPostAttempts = 40;
const maxInFlightPerChannel = 32;

export type ChannelTally = {
	sent: number;
	answered: number;
	missing: number;
	duplicates: number;
	misrouted: number;
	undelivered: number;
	retries: number;
	/** The first few messages missing or answered more than once, with the run id the gateway logs for each. */
	examples: Array<{text: string; runId: string; answers: number}>;
};

export type RoutingTraffic = {
	/** The `channels` config section; `variant` changes every channel's rate limit a little, so a reload restarts them. */
	channelsConfig(variant: number): Record<string, unknown>;
	/** Send at `perSecond` messages per second in all (round-robin over channels and peers) until stop(). */
	drive(gatewayPort: number, perSecond: number): void;
	/** Stop sending; resolves once every HTTP delivery in flight has settled. */
	stop(): Promise<void>;
	/**
	 * Wait (at most `timeoutMs`) until every sent message has an answer, then `quietMs` more for late duplicates.
	 * Resolves with how long the answers took to be complete, or undefined when some never came.
	 */
	settle(timeoutMs: number, quietMs: number): Promise<number | undefined>;
	tally(): Record<RoutedChannel, ChannelTally>;
	/** Session keys the traffic should have made. */
	sessionKeys(): string[];
	close(): Promise<void>;
};

type Reply = {channel: RoutedChannel; to: string; text: string};

function repliesOf(apis: FakeChannelApis): Reply[] {
	const replies: Reply[] = [];
	for (const message of apis.telegram.sent) {
		replies.push({channel: 'telegram', to: String(message.chat_id), text: message.text});
	}

	for (const message of apis.slack.posted) {
		replies.push({channel: 'slack', to: String(message.channel), text: String(message.text)});
	}

	for (const message of apis.discord.posted) {
		replies.push({channel: 'discord', to: message.channelId, text: String(message.content)});
	}

	for (const request of apis.requests) {
		if (request.method === 'POST' && request.path === '/hook/ok') {
			const body = JSON.parse(request.body) as {to: string; text: string};
			replies.push({channel: 'webhook', to: body.to, text: body.text});
		}
	}

	return replies;
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startRoutingTraffic(): Promise<RoutingTraffic> {
	const apis = await startFakeChannelApis();
	/** Every message sent (or being sent): its text names it; the peer it came from. */
	const sent = new Map<string, {channel: RoutedChannel; peer: string; serviceId: string}>();
	const undelivered: Record<RoutedChannel, number> = {telegram: 0, webhook: 0, slack: 0, discord: 0};
	const retries: Record<RoutedChannel, number> = {telegram: 0, webhook: 0, slack: 0, discord: 0};
	const inFlight: Record<RoutedChannel, Set<Promise<void>>> = {telegram: new Set(), webhook: new Set(), slack: new Set(), discord: new Set()};
	let driving: Promise<void> | undefined;
	let running = false;
	let port = 0;

	/** POST until the gateway takes it (2xx): refused connections, 503 while it restarts and 404 while a channel reloads are retried. */
	async function postUntilTaken(channel: RoutedChannel, path: string, body: string, headers: () => Record<string, string>): Promise<boolean> {
		for (let attempt = 0; attempt < maxPostAttempts; attempt++) {
			if (attempt > 0) {
				retries[channel]++;
				await sleep(250 + attempt * 50);
			}

			try {
				// Signed afresh on every attempt: the same signature twice is a replay, and refused as one.
				const response = await fetch(`http://127.0.0.1:${port}${path}`, {
					method: 'POST',
					headers: {'content-type': 'application/json', ...headers()},
					body,
					signal: AbortSignal.timeout(10_000),
				});
				await response.arrayBuffer();
				if (response.status >= 200 && response.status < 300) {
					return true;
				}
			} catch {}
		}

		return false;
	}

	/** Send one message; its id on the service (what the gateway's run id is made of) goes into `sent`. */
	function sendOne(channel: RoutedChannel, peer: string, text: string): Promise<void> | undefined {
		if (channel === 'telegram') {
			sent.set(text, {channel, peer, serviceId: String(apis.telegram.pushMessage(Number(peer), text))});
			return undefined;
		}

		if (channel === 'discord') {
			sent.set(text, {channel, peer, serviceId: apis.discord.sendMessage(peer, text)});
			return undefined;
		}

		sent.set(text, {channel, peer, serviceId: channel === 'webhook' ? text : `Ev-${text}`});
		if (channel === 'webhook') {
			const body = JSON.stringify({from: peer, text, id: text});
			return postUntilTaken(channel, '/channels/webhook', body, () => webhookSignatureHeaders(webhookSecret, body)).then((taken) => {
				undelivered.webhook += taken ? 0 : 1;
			});
		}

		// Slack retries with the same event_id; the gateway runs a retried event once.
		const body = JSON.stringify({type: 'event_callback', team_id: 'T1', event_id: `Ev-${text}`, event: {type: 'message', channel_type: 'im', channel: `D${peer}`, user: peer, text, ts: `${Date.now() / 1000}`}});
		return postUntilTaken(channel, '/slack/events', body, () => {
			const timestamp = Math.floor(Date.now() / 1000);
			return {'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmacSha256Hex(slackSigningSecret, `v0:${timestamp}:${body}`)}`};
		}).then((taken) => {
			undelivered.slack += taken ? 0 : 1;
		});
	}

	async function driveLoop(perSecond: number): Promise<void> {
		let sequence = 0;
		const started = Date.now();
		while (running) {
			const channel = routedChannels[sequence % routedChannels.length];
			// Discord's fake only reaches sockets that are identified: while the gateway restarts there are none, and a
			// message then would reach nobody (the real Discord would replay it on resume). Wait for the bot instead.
			const blocked = (channel === 'discord' && apis.discord.ready === 0) || inFlight[channel].size >= maxInFlightPerChannel;
			if (!blocked) {
				const peerList = peers[channel];
				const peer = peerList[Math.floor(sequence / routedChannels.length) % peerList.length];
				const text = `soak:${channel}:${peer}:${sequence}`;
				const delivery = sendOne(channel, peer, text);
				if (delivery) {
					inFlight[channel].add(delivery);
					void delivery.finally(() => inFlight[channel].delete(delivery));
				}

				sequence++;
			}

			// Paced against the start, so a blocked moment is caught up with but the rate stays bounded overall.
			const due = started + (sequence * 1000) / perSecond;
			await sleep(Math.max(blocked ? 50 : 0, due - Date.now()));
		}
	}

	return {
		channelsConfig(variant) {
			const rateLimit = {burst: 30, perMinute: 600 + (variant % 2)};
			const allowed = (channel: RoutedChannel) => ({dmPolicy: 'allowlist', allowFrom: peers[channel], rateLimit});
			return {
				telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, ...allowed('telegram')},
				webhook: {url: `${apis.url}/hook/ok`, secret: webhookSecret, ...allowed('webhook')},
				slack: {botToken: goodToken, apiBaseUrl: `${apis.url}/slack`, signingSecret: slackSigningSecret, ...allowed('slack')},
				discord: {botToken: goodToken, apiBaseUrl: `${apis.url}/discord`, ...allowed('discord')},
			};
		},
		drive(gatewayPort, perSecond) {
			port = gatewayPort;
			running = true;
			driving = driveLoop(perSecond);
		},
		async stop() {
			running = false;
			await driving;
			await Promise.all(routedChannels.flatMap((channel) => [...inFlight[channel]]));
		},
		async settle(timeoutMs, quietMs) {
			const started = Date.now();
			let complete: number | undefined;
			while (Date.now() - started < timeoutMs) {
				const answered = new Set(repliesOf(apis).map((reply) => reply.text));
				if ([...sent.keys()].every((text) => answered.has(text))) {
					complete = Date.now() - started;
					break;
				}

				await sleep(200);
			}

			await sleep(quietMs);
			return complete;
		},
		tally() {
			const tally = Object.fromEntries(routedChannels.map((channel) => [channel, {sent: 0, answered: 0, missing: 0, duplicates: 0, misrouted: 0, undelivered: undelivered[channel], retries: retries[channel], examples: [] as ChannelTally['examples']}])) as Record<
				RoutedChannel,
				ChannelTally
			>;
			const counts = new Map<string, number>();
			for (const reply of repliesOf(apis)) {
				const origin = sent.get(reply.text);
				if (!origin || origin.channel !== reply.channel || replyTarget[origin.channel](origin.peer) !== reply.to) {
					tally[reply.channel].misrouted++;
					continue;
				}

				counts.set(reply.text, (counts.get(reply.text) ?? 0) + 1);
			}

			for (const [text, {channel}] of sent) {
				const count = counts.get(text) ?? 0;
				tally[channel].sent++;
				tally[channel].answered += count > 0 ? 1 : 0;
				tally[channel].missing += count === 0 ? 1 : 0;
				tally[channel].duplicates += Math.max(0, count - 1);
				if (count !== 1 && tally[channel].examples.length < 5) {
					tally[channel].examples.push({text, runId: `${channel}:${sent.get(text)!.serviceId}`, answers: count});
				}
			}

			return tally;
		},
		sessionKeys() {
			return routedChannels.flatMap((channel) => peers[channel].map((peer) => `agent:main:${channel}:direct:${peer.toLowerCase()}`));
		},
		async close() {
			await apis.close();
		},
	};
}
