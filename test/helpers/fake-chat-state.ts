// The chat services' side of the loopback fakes: what Telegram, Slack and Discord hold while a test runs (queued
// updates, sockets, messages the bot sent) and the WebSocket servers for Slack Socket Mode and Discord's Gateway.
// fake-apis.ts serves their HTTP endpoints from this state.
import type {IncomingMessage} from 'node:http';
import {WebSocketServer, type WebSocket} from 'ws';

export const goodToken = 'good-bot-token-123456';
/** Telegram answers 404 (not 401) for a token that is not of a bot token's form `<digits>:<secret>`; the fake does for this one. */
export const malformedTelegramToken = 'not-a-bot-token';

/** What the fake Telegram holds: updates waiting for getUpdates, and what the bot sent or registered. */
export type FakeTelegram = {
	/** Queue a private text message from `from` (a user id) for the next getUpdates; returns its update_id. */
	pushMessage(from: number, text: string, options?: {username?: string; chatType?: string}): number;
	/** A Telegram Update as it would arrive (for webhook-mode tests). */
	update(from: number, text: string): Record<string, unknown>;
	sent: Array<{token: string; chat_id: unknown; text: string}>;
	webhooks: Array<{token: string; url: string; secret_token?: string}>;
	/** Offsets asked for by getUpdates, in order. */
	offsets: Array<number | undefined>;
	/** Answer getUpdates with this HTTP status and Telegram's error body (409 Conflict, 502...) instead of updates. */
	getUpdatesFails?: {status: number; description: string};
	/** Answer setWebhook with this HTTP status and Telegram's error body (502...) instead of registering the webhook. */
	setWebhookFails?: {status: number; description: string};
};

/**
 * What the fake Discord holds: its Gateway sessions and their sockets (`/discord-gateway` to identify,
 * `/discord-resume` as READY's `resume_gateway_url`), and what the bot identified, resumed and posted with. As on
 * Discord, a session outlives its socket: dispatches for it are kept and a Resume replays those after its `seq`.
 */
export type FakeDiscord = {
	/** A MESSAGE_CREATE dispatch to every live session (sent at once to those with a socket): a DM unless `guildId`. */
	sendMessage(authorId: string, content: string, options?: {username?: string; guildId?: string; bot?: boolean}): string;
	identifies: Array<{token: string; intents: number}>;
	resumes: Array<{token: string; session_id: string; seq: number; path: string}>;
	/** The path and query of every Gateway socket opened, in order. */
	connections: string[];
	posted: Array<{token: string; channelId: string; content: unknown}>;
	/** Sockets attached to a live session (identified or resumed) and open. */
	readonly ready: number;
	/** The live sessions: id and the sequence number of the last dispatch sent (or kept) for it. */
	sessions(): Array<{id: string; seq: number}>;
	/** Close every socket (as Discord does when it restarts a gateway node); sessions stay resumable. */
	dropAll(code?: number): void;
	/** Op 7 Reconnect to every socket. */
	requestReconnect(): void;
	/** Op 9 Invalid Session to every socket; not `resumable` ends the sessions too. */
	invalidateSessions(resumable: boolean): void;
	/** Answer every Identify by closing with this code (4004 as for a bad token, 4014 disallowed intents...). */
	refuseIdentifyWith?: number;
	/** A Resume also replays this many dispatches at or before the seq it names (as a node that lost count may). */
	replayOverlap: number;
	/** The heartbeat_interval Hello names, and whether heartbeats get their ACK (off: a zombied connection). */
	heartbeatIntervalMs: number;
	ackHeartbeats: boolean;
	/** When each heartbeat (op 1) came, in ms after the Hello of its socket, in order. */
	heartbeats: number[];
	/** The ws:// URL READY names as resume_gateway_url (fake-apis.ts sets it once it has a port). */
	resumeGatewayUrl: string;
};

/** What the fake Slack holds: chat.postMessage calls, and its Socket Mode sockets (`/slack-socket`). */
export type FakeSlack = {
	posted: Array<{token: string; channel: unknown; text: unknown}>;
	/** An `events_api` envelope with a DM `message` event to every open socket; returns its envelope id. */
	sendSocketMessage(user: string, text: string): string;
	acks: string[];
	readonly sockets: number;
	/** Ask every socket to reconnect, as Slack does before it rotates a connection. */
	requestDisconnect(): void;
	/** Answer apps.connections.open with `{ok: false, error}` even for the good app token (`internal_error`...). */
	connectionsOpenError?: string;
};

/** The app-level token (`xapp-...`) the fake Slack accepts for apps.connections.open. */
export const goodAppToken = 'xapp-good-app-token-123456';

export function fakeSlack() {
	const sockets = new Set<WebSocket>();
	let next = 1;
	const wss = new WebSocketServer({noServer: true});
	wss.on('connection', (socket) => {
		sockets.add(socket);
		socket.send(JSON.stringify({type: 'hello', num_connections: sockets.size, connection_info: {app_id: 'A1'}}));
		socket.on('message', (data) => {
			const ack = JSON.parse(data.toString()) as {envelope_id?: string};
			if (ack.envelope_id) {
				slack.acks.push(ack.envelope_id);
			}
		});
		socket.on('close', () => sockets.delete(socket));
	});
	const slack: FakeSlack & {wss: WebSocketServer} = {
		wss,
		posted: [],
		acks: [],
		get sockets() {
			return sockets.size;
		},
		sendSocketMessage(user, text) {
			const envelopeId = `env-${next}`;
			const payload = {type: 'event_callback', team_id: 'T1', event_id: `EvS${next}`, event: {type: 'message', channel_type: 'im', channel: `D${user}`, user, text}};
			next++;
			for (const socket of sockets) {
				socket.send(JSON.stringify({envelope_id: envelopeId, type: 'events_api', accepts_response_payload: false, payload}));
			}

			return envelopeId;
		},
		requestDisconnect() {
			for (const socket of sockets) {
				socket.send(JSON.stringify({type: 'disconnect', reason: 'refresh_requested'}));
			}
		},
	};
	return slack;
}

type FakeDiscordSession = {id: string; seq: number; kept: Array<{s: number; t: string; d: unknown}>; socket?: WebSocket; live: boolean};

export function fakeDiscord() {
	const sessions = new Map<string, FakeDiscordSession>();
	/** Sockets the fake closed itself: their close code is ours, not a client's farewell. */
	const closedByFake = new WeakSet<WebSocket>();
	let nextSession = 1;
	let nextId = 5000;
	const wss = new WebSocketServer({noServer: true});
	const attached = () => [...sessions.values()].filter((session) => session.live && session.socket);
	const dispatch = (session: FakeDiscordSession, t: string, d: unknown, keep: boolean) => {
		const event = {s: ++session.seq, t, d};
		if (keep) {
			session.kept.push(event);
		}

		session.socket?.send(JSON.stringify({op: 0, ...event}));
	};

	wss.on('connection', (socket, request: IncomingMessage) => {
		const path = request.url ?? '';
		discord.connections.push(path);
		let own: FakeDiscordSession | undefined;
		socket.send(JSON.stringify({op: 10, d: {heartbeat_interval: discord.heartbeatIntervalMs}, s: null, t: null}));
		const helloAt = performance.now();
		socket.on('message', (data) => {
			const payload = JSON.parse(data.toString()) as {op: number; d: any};
			if (payload.op === 1) {
				discord.heartbeats.push(performance.now() - helloAt);
				if (discord.ackHeartbeats) {
					socket.send(JSON.stringify({op: 11}));
				}
			} else if (payload.op === 2) {
				discord.identifies.push({token: payload.d.token, intents: payload.d.intents});
				if (payload.d.token !== goodToken || discord.refuseIdentifyWith !== undefined) {
					closedByFake.add(socket);
					socket.close(discord.refuseIdentifyWith ?? 4004, 'Refused.');
					return;
				}

				own = {id: `fake-session-${nextSession++}`, seq: 0, kept: [], socket, live: true};
				sessions.set(own.id, own);
				const ready = {v: 10, user: {id: '998877', username: 'fake_discord_bot', bot: true}, session_id: own.id, resume_gateway_url: discord.resumeGatewayUrl, guilds: []};
				dispatch(own, 'READY', ready, false);
			} else if (payload.op === 6) {
				const {token, session_id: sessionId, seq} = payload.d as {token: string; session_id: string; seq: number};
				discord.resumes.push({token, session_id: sessionId, seq, path});
				const session = sessions.get(sessionId);
				if (token !== goodToken || !session?.live) {
					socket.send(JSON.stringify({op: 9, d: false}));
					return;
				}

				own = session;
				session.socket = socket;
				for (const event of session.kept.filter((kept) => kept.s > seq - discord.replayOverlap)) {
					socket.send(JSON.stringify({op: 0, ...event}));
				}

				dispatch(session, 'RESUMED', {}, false);
			}
		});
		socket.on('close', (code) => {
			if (own?.socket !== socket) {
				return;
			}

			own.socket = undefined;
			// A client that says goodbye with 1000/1001 ends its session; a dropped or zombied one can resume it.
			if (!closedByFake.has(socket) && (code === 1000 || code === 1001)) {
				own.live = false;
			}
		});
	});
	const discord: FakeDiscord & {wss: WebSocketServer} = {
		wss,
		identifies: [],
		resumes: [],
		connections: [],
		posted: [],
		replayOverlap: 0,
		heartbeatIntervalMs: 45_000,
		ackHeartbeats: true,
		heartbeats: [],
		resumeGatewayUrl: '',
		get ready() {
			return attached().length;
		},
		sessions() {
			return [...sessions.values()].filter((session) => session.live).map((session) => ({id: session.id, seq: session.seq}));
		},
		sendMessage(authorId, content, options = {}) {
			const id = String(nextId++);
			const d = {
				id,
				channel_id: `dm-${authorId}`,
				content,
				author: {id: authorId, username: options.username ?? `user${authorId}`, bot: options.bot ?? false},
				...(options.guildId ? {guild_id: options.guildId} : {}),
			};
			for (const session of sessions.values()) {
				if (session.live) {
					dispatch(session, 'MESSAGE_CREATE', d, true);
				}
			}

			return id;
		},
		dropAll(code = 1001) {
			for (const session of attached()) {
				closedByFake.add(session.socket!);
				session.socket!.close(code);
			}
		},
		requestReconnect() {
			for (const session of attached()) {
				session.socket!.send(JSON.stringify({op: 7, d: null}));
			}
		},
		invalidateSessions(resumable) {
			for (const session of attached()) {
				session.socket!.send(JSON.stringify({op: 9, d: resumable}));
				session.live = resumable;
			}
		},
	};
	return discord;
}

export function fakeTelegram() {
	let nextUpdateId = 1000;
	let queue: Array<Record<string, unknown>> = [];
	const waiters = new Set<() => void>();
	const telegram: FakeTelegram & {wake(): void; take(offset: number | undefined): Array<Record<string, unknown>>; waiters: Set<() => void>} = {
		sent: [],
		webhooks: [],
		offsets: [],
		waiters,
		update(from, text) {
			const id = nextUpdateId++;
			return {update_id: id, message: {message_id: id, date: Math.floor(Date.now() / 1000), text, chat: {id: from, type: 'private'}, from: {id: from, is_bot: false, first_name: 'Peer'}}};
		},
		pushMessage(from, text, options = {}) {
			const update = telegram.update(from, text) as {update_id: number; message: {chat: {type: string}; from: Record<string, unknown>}};
			update.message.chat.type = options.chatType ?? 'private';
			if (options.username) {
				update.message.from.username = options.username;
			}

			queue.push(update);
			telegram.wake();
			return update.update_id;
		},
		wake() {
			for (const waiter of [...waiters]) {
				waiter();
			}
		},
		take(offset) {
			if (offset !== undefined) {
				queue = queue.filter((update) => (update.update_id as number) >= offset);
			}

			return queue;
		},
	};
	return telegram;
}

export function jsonBody(body: string): Record<string, any> {
	try {
		const parsed: unknown = JSON.parse(body);
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, any>) : {};
	} catch {
		return {};
	}
}
