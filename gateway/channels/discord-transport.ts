// Discord: messages arrive over its Gateway WebSocket and answers go out over REST. The socket URL comes from
// `GET <apiBaseUrl>/gateway/bot` (a 401 there stops the channel: the token will not fix itself); on Hello the bot
// heartbeats at the interval Discord names (the first beat after a random fraction of it, as Discord asks, so that
// bots reconnecting together do not beat together) and identifies with the
// DIRECT_MESSAGES and MESSAGE_CONTENT intents; `MESSAGE_CREATE` dispatches without a guild (direct messages) from
// users, not bots, are routed; answers are `POST /channels/<id>/messages`. A lost socket (a drop, a Reconnect (op 7),
// a heartbeat Discord stopped acknowledging) is resumed: the next socket goes to READY's `resume_gateway_url` and sends
// Resume (op 6) with the session id and the last sequence number, and Discord replays what it dispatched meanwhile,
// so a DM sent during a network blip still reaches the agent. Discord's own verdicts decide otherwise: Invalid Session
// (op 9) resumes when it says it may, else identifies afresh after the 1-5 s it asks for, 4007/4009 identify afresh,
// and the closes no reconnect can fix (4004, 4010-4014) stop the channel with the fix as its lastError
// (discord-session.ts holds those rules). We use `ws` (already the gateway's WebSocket library) and fetch rather than
// discord.js: the bot needs a handful of opcodes and one REST call.
import type WebSocket from 'ws';
import type {Logger} from '../logger.js';
import {bodyField, joinUrl, probeRequest} from './http-probe.js';
import type {ChannelTransport, Deliver} from './inbound.js';
import type {ChannelSection} from './service-probe.js';
import {discordDefaultBaseUrl} from './discord.js';
import {closeAction, DiscordSession, firstHeartbeatDelayMs, invalidSessionWaitMs, RecentIds, withGatewayQuery} from './discord-session.js';
import {ReceiveHealth} from './receive-health.js';
import {reconnectingSocket, RefusedForGood} from './reconnecting-socket.js';

/** GUILD_MESSAGES is not asked for: only direct messages are routed. */
export const discordIntents = (1 << 12) | (1 << 15);
const maxContentChars = 2000;
const requestTimeoutMs = 15_000;
/** Invalid Session with `d: true`: the session lives on; a short pause keeps a confused node from being hammered. */
const resumableInvalidSessionWaitMs = 1000;
/** Resumes in a row that never got RESUMED before the session is given up for a fresh identify via gateway/bot. */
const maxResumeAttempts = 3;

type GatewayPayload = {op?: number; d?: any; s?: number | null; t?: string | null};

const gatewayBotRefused = 'Discord refused the bot token (GET /gateway/bot answered HTTP 401): fix channels.discord.botToken, then restart the channel';

export type DiscordTransportOptions = {
	/** Where the first heartbeat's jitter comes from (tests pin it). */
	random?: () => number;
};

export function discordTransport(section: ChannelSection, logger: Logger, options: DiscordTransportOptions = {}): ChannelTransport {
	const token = section.botToken!;
	const base = section.apiBaseUrl ?? discordDefaultBaseUrl;
	const secrets = [token];
	const auth = {Authorization: `Bot ${token}`};
	const session = new DiscordSession();
	const routed = new RecentIds();
	let deliver: Deliver | undefined;
	let heartbeat: NodeJS.Timeout | undefined;
	let botUserId: string | undefined;
	const health = new ReceiveHealth();
	/** Whether the socket being opened goes to the resume URL (and so sends Resume, not Identify, after Hello). */
	let resuming = false;
	let resumeAttempts = 0;
	const connection = reconnectingSocket({
		channel: 'discord',
		label: 'discord gateway',
		logger,
		secrets,
		async resolveUrl() {
			// A resume URL that keeps failing (the node is gone, the network path to it is) must not hold the channel
			// down forever: give the session up and ask gateway/bot for a node.
			if (session.resumable && ++resumeAttempts > maxResumeAttempts) {
				logger.warn('discord gateway resume kept failing; identifying afresh', {channel: 'discord', attempts: maxResumeAttempts});
				session.forget();
			}

			const resumeAt = session.resumeTarget();
			resuming = resumeAt !== undefined;
			if (resumeAt) {
				return resumeAt;
			}

			const response = await probeRequest({url: joinUrl(base, 'gateway/bot'), method: 'GET', headers: auth, timeoutMs: requestTimeoutMs, secrets});
			if (response.status === 401) {
				throw new RefusedForGood(gatewayBotRefused);
			}

			const found = bodyField(response.body, 'url');
			if (response.status !== 200 || typeof found !== 'string') {
				throw new Error(`Discord gateway/bot answered HTTP ${response.status}`);
			}

			return withGatewayQuery(found);
		},
		attach: speakGateway,
		onDrop() {
			clearTimeout(heartbeat);
			heartbeat = undefined;
		},
		onServerClose(code) {
			const action = closeAction(code);
			if (action.kind === 'identify') {
				session.forget();
			}

			if (action.kind !== 'stop') {
				return undefined;
			}

			session.forget();
			return action.error;
		},
		onRetry(why) {
			health.retrying(`discord gateway reconnecting: ${why}`);
		},
		onGiveUp(why) {
			session.forget();
			health.giveUp(why);
		},
	});

	/** Hello -> heartbeat + identify or resume; the server's heartbeat request answered; Reconnect / Invalid Session. */
	function speakGateway(ws: WebSocket): void {
		let awaitingAck = false;
		ws.on('message', (data) => {
			let payload: GatewayPayload;
			try {
				payload = JSON.parse(data.toString()) as GatewayPayload;
			} catch {
				return;
			}

			session.sequence(payload.s);
			switch (payload.op) {
				case 10: {
					const interval = Number(payload.d?.heartbeat_interval) || 41_250;
					const beat = () => {
						// No ACK since the last beat: the connection is a zombie (open to us, dead underneath). Closing it
						// without a close frame keeps the session resumable.
						if (awaitingAck) {
							connection.reconnectLater('no heartbeat ACK since the last heartbeat (zombied connection)', 0);
							return;
						}

						awaitingAck = true;
						ws.send(JSON.stringify({op: 1, d: session.seq}));
					};

					clearTimeout(heartbeat);
					heartbeat = setTimeout(() => {
						beat();
						heartbeat = setInterval(beat, interval);
						heartbeat.unref();
					}, firstHeartbeatDelayMs(interval, options.random));
					heartbeat.unref();
					const resume = resuming ? session.resumeFrame(token) : undefined;
					ws.send(JSON.stringify(resume ?? identifyFrame()));
					break;
				}

				case 1: {
					ws.send(JSON.stringify({op: 1, d: session.seq}));
					break;
				}

				case 11: {
					awaitingAck = false;
					break;
				}

				case 7: {
					connection.reconnectLater('reconnect requested');
					break;
				}

				case 9: {
					if (payload.d === true) {
						connection.reconnectLater('invalid session (resumable)', resumableInvalidSessionWaitMs);
						break;
					}

					session.forget();
					connection.reconnectLater('invalid session: identifying afresh', invalidSessionWaitMs());
					break;
				}

				case 0: {
					dispatch(payload);
					break;
				}

				default: {
					break;
				}
			}
		});
	}

	function identifyFrame() {
		return {op: 2, d: {token, intents: discordIntents, properties: {os: process.platform, browser: 'openclaw-console', device: 'openclaw-console'}}};
	}

	function dispatch(payload: GatewayPayload): void {
		if (payload.t === 'READY') {
			session.ready(payload.d);
			session.sequence(payload.s);
			resumeAttempts = 0;
			connection.connected();
			health.up();
			botUserId = typeof payload.d?.user?.id === 'string' ? payload.d.user.id : undefined;
			logger.info('discord gateway ready', {channel: 'discord', bot: payload.d?.user?.username, resumable: session.resumable});
			return;
		}

		if (payload.t === 'RESUMED') {
			resumeAttempts = 0;
			connection.connected();
			health.up();
			logger.info('discord gateway resumed', {channel: 'discord', seq: session.seq});
			return;
		}

		if (payload.t !== 'MESSAGE_CREATE') {
			return;
		}

		const message = payload.d ?? {};
		const author = message.author ?? {};
		const direct = message.guild_id === undefined || message.guild_id === null;
		if (!direct || author.bot === true || author.id === botUserId || typeof author.id !== 'string' || typeof message.channel_id !== 'string') {
			return;
		}

		if (typeof message.content !== 'string' || !message.content.trim() || !routed.firstSighting(String(message.id))) {
			return;
		}

		deliver?.({
			channel: 'discord',
			peerId: author.id,
			peerAliases: typeof author.username === 'string' ? [author.username, `@${author.username}`] : [],
			replyTo: message.channel_id,
			text: message.content,
			messageId: String(message.id),
		});
	}

	return {
		mode: 'gateway',
		get lastError() {
			return health.lastError;
		},
		start(next, gaveUp) {
			deliver = next;
			health.begin(gaveUp);
			connection.start();
		},
		stop() {
			deliver = undefined;
			health.end();
			// A close with 1000 ends the session on Discord's side too: the next start identifies.
			session.forget();
			connection.stop(1000);
		},
		async send(replyTo, text) {
			const content = text.length > maxContentChars ? `${text.slice(0, maxContentChars - 1)}…` : text;
			const response = await probeRequest({
				url: joinUrl(base, `channels/${encodeURIComponent(replyTo)}/messages`),
				method: 'POST',
				headers: {...auth, 'Content-Type': 'application/json'},
				body: JSON.stringify({content}),
				timeoutMs: requestTimeoutMs,
				secrets,
			});
			if (response.status >= 300) {
				throw new Error(`Discord create message answered HTTP ${response.status}`);
			}
		},
	};
}
