// Discord: messages arrive over its Gateway WebSocket and answers go out over REST. The socket URL comes from
// `GET <apiBaseUrl>/gateway/bot`; on Hello the bot heartbeats at the interval Discord names and identifies with the
// DIRECT_MESSAGES and MESSAGE_CONTENT intents; `MESSAGE_CREATE` dispatches without a guild (direct messages) from
// users, not bots, are routed; answers are `POST /channels/<id>/messages`. A dropped socket, a Reconnect (op 7) or an
// Invalid Session (op 9) reconnects with a fresh identify after a backoff (resuming is not done). We use `ws` (already
// the gateway's WebSocket library) and fetch rather than discord.js: the bot needs five opcodes and one REST call.
import WebSocket from 'ws';
import type {Logger} from '../logger.js';
import {bodyField, joinUrl, maskSecrets, probeRequest} from './http-probe.js';
import type {ChannelTransport, Deliver} from './inbound.js';
import type {ChannelSection} from './service-probe.js';
import {discordDefaultBaseUrl} from './discord.js';

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
	let socket: WebSocket | undefined;
	let heartbeat: NodeJS.Timeout | undefined;
	let retry: NodeJS.Timeout | undefined;
	let backoffMs = 1000;
	let botUserId: string | undefined;

	function clearTimers(): void {
		clearInterval(heartbeat);
		clearTimeout(retry);
		heartbeat = undefined;
		retry = undefined;
	}

	function reconnectLater(why: string): void {
		clearTimers();
		socket?.removeAllListeners();
		socket?.on('error', () => {});
		socket?.terminate();
		socket = undefined;
		if (!deliver) {
			return;
		}

		logger.warn('discord gateway connection lost; reconnecting', {channel: 'discord', reason: maskSecrets(why, secrets), retryInMs: backoffMs});
		retry = setTimeout(() => void connect(), backoffMs);
		retry.unref();
		backoffMs = Math.min(backoffMs * 2, 60_000);
	}

	async function connect(): Promise<void> {
		let url: string;
		try {
			const response = await probeRequest({url: joinUrl(base, 'gateway/bot'), method: 'GET', headers: auth, timeoutMs: requestTimeoutMs, secrets});
			const found = bodyField(response.body, 'url');
			if (response.status !== 200 || typeof found !== 'string') {
				throw new Error(`Discord gateway/bot answered HTTP ${response.status}`);
			}

			url = found;
		} catch (error) {
			reconnectLater((error as Error).message);
			return;
		}

		if (!deliver) {
			return;
		}

		const target = new URL(url);
		target.searchParams.set('v', '10');
		target.searchParams.set('encoding', 'json');
		const ws = new WebSocket(target, {maxPayload: 16 * 1024 * 1024});
		socket = ws;
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
					reconnectLater(payload.op === 7 ? 'reconnect requested' : 'invalid session');
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
		ws.on('close', (code) => {
			if (socket === ws) {
				// 4004: authentication failed; retrying with the same token would only be refused again, more slowly.
				if (code === 4004) {
					logger.error('discord gateway refused the bot token (4004): fix channels.discord.botToken', {channel: 'discord'});
					clearTimers();
					socket = undefined;
					return;
				}

				reconnectLater(`socket closed (${code})`);
			}
		});
		ws.on('error', (error) => {
			if (socket === ws) {
				reconnectLater(error.message);
			}
		});
	}

	function dispatch(payload: GatewayPayload): void {
		if (payload.t === 'READY') {
			backoffMs = 1000;
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
			backoffMs = 1000;
			void connect();
		},
		stop() {
			deliver = undefined;
			clearTimers();
			const ws = socket;
			socket = undefined;
			ws?.removeAllListeners();
			ws?.on('error', () => {});
			ws?.close(1000);
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
