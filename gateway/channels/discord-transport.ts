// Discord: messages arrive over its Gateway WebSocket and answers go out over REST. The socket URL comes from
// `GET <apiBaseUrl>/gateway/bot`; on Hello the bot heartbeats at the interval Discord names and identifies with the
// DIRECT_MESSAGES and MESSAGE_CONTENT intents; `MESSAGE_CREATE` dispatches without a guild (direct messages) from
// users, not bots, are routed; answers are `POST /channels/<id>/messages`. A dropped socket, a Reconnect (op 7) or an
// Invalid Session (op 9) reconnects with a fresh identify after a backoff (resuming is not done). We use `ws` (already
// the gateway's WebSocket library) and fetch rather than discord.js: the bot needs five opcodes and one REST call.
import type WebSocket from 'ws';
import type {Logger} from '../logger.js';
import {bodyField, joinUrl, probeRequest} from './http-probe.js';
import type {ChannelTransport, Deliver} from './inbound.js';
import type {ChannelSection} from './service-probe.js';
import {discordDefaultBaseUrl} from './discord.js';
import {reconnectingSocket} from './reconnecting-socket.js';

/** GUILD_MESSAGES is not asked for: only direct messages are routed. */
export const discordIntents = (1 << 12) | (1 << 15);
const maxContentChars = 2000;
const requestTimeoutMs = 15_000;

type GatewayPayload = {op?: number; d?: any; s?: number | null; t?: string | null};

export function discordTransport(section: ChannelSection, logger: Logger): ChannelTransport {
	const token = section.botToken!;
	const base = section.apiBaseUrl ?? discordDefaultBaseUrl;
	const secrets = [token];
	const auth = {Authorization: `Bot ${token}`};
	let deliver: Deliver | undefined;
	let heartbeat: NodeJS.Timeout | undefined;
	let botUserId: string | undefined;
	const connection = reconnectingSocket({
		channel: 'discord',
		label: 'discord gateway',
		logger,
		secrets,
		async resolveUrl() {
			const response = await probeRequest({url: joinUrl(base, 'gateway/bot'), method: 'GET', headers: auth, timeoutMs: requestTimeoutMs, secrets});
			const found = bodyField(response.body, 'url');
			if (response.status !== 200 || typeof found !== 'string') {
				throw new Error(`Discord gateway/bot answered HTTP ${response.status}`);
			}

			const target = new URL(found);
			target.searchParams.set('v', '10');
			target.searchParams.set('encoding', 'json');
			return target;
		},
		attach: speakGateway,
		onDrop() {
			clearInterval(heartbeat);
			heartbeat = undefined;
		},
		isFatalClose(code) {
			// 4004: authentication failed; retrying with the same token would only be refused again, more slowly.
			if (code === 4004) {
				logger.error('discord gateway refused the bot token (4004): fix channels.discord.botToken', {channel: 'discord'});
			}

			return code === 4004;
		},
	});

	/** Hello -> heartbeat + identify; the server's heartbeat request answered; Reconnect / Invalid Session retried. */
	function speakGateway(ws: WebSocket): void {
		let seq: number | null = null;
		ws.on('message', (data) => {
			let payload: GatewayPayload;
			try {
				payload = JSON.parse(data.toString()) as GatewayPayload;
			} catch {
				return;
			}

			if (typeof payload.s === 'number') {
				seq = payload.s;
			}

			switch (payload.op) {
				case 10: {
					const interval = Number(payload.d?.heartbeat_interval) || 41_250;
					clearInterval(heartbeat);
					heartbeat = setInterval(() => ws.send(JSON.stringify({op: 1, d: seq})), interval);
					heartbeat.unref();
					ws.send(
						JSON.stringify({op: 2, d: {token, intents: discordIntents, properties: {os: process.platform, browser: 'openclaw-console', device: 'openclaw-console'}}}),
					);
					break;
				}

				case 1: {
					ws.send(JSON.stringify({op: 1, d: seq}));
					break;
				}

				case 7:
				case 9: {
					connection.reconnectLater(payload.op === 7 ? 'reconnect requested' : 'invalid session');
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

	function dispatch(payload: GatewayPayload): void {
		if (payload.t === 'READY') {
			connection.connected();
			botUserId = typeof payload.d?.user?.id === 'string' ? payload.d.user.id : undefined;
			logger.info('discord gateway ready', {channel: 'discord', bot: payload.d?.user?.username});
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

		if (typeof message.content !== 'string' || !message.content.trim()) {
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
		start(next) {
			deliver = next;
			connection.start();
		},
		stop() {
			deliver = undefined;
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
