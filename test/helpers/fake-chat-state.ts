// The chat services' side of the loopback fakes: what Telegram, Slack and Discord hold while a test runs (queued
// updates, sockets, messages the bot sent) and the WebSocket servers for Slack Socket Mode and Discord's Gateway.
// fake-apis.ts serves their HTTP endpoints from this state.
import {WebSocketServer, type WebSocket} from 'ws';

export const goodToken = 'good-bot-token-123456';

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
};

/** What the fake Discord holds: its Gateway sockets (`/discord-gateway`), and what the bot identified with and posted. */
export type FakeDiscord = {
	/** A MESSAGE_CREATE dispatch to every identified socket: a DM (no guild) unless `guildId` is given. */
	sendMessage(authorId: string, content: string, options?: {username?: string; guildId?: string; bot?: boolean}): string;
	identifies: Array<{token: string; intents: number}>;
	posted: Array<{token: string; channelId: string; content: unknown}>;
	/** Sockets that identified with the good token and are open. */
	readonly ready: number;
	/** Close every socket (as Discord does when it restarts a gateway node). */
	dropAll(code?: number): void;
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

export function fakeDiscord() {
	const sockets = new Set<WebSocket>();
	let seq = 0;
	let nextId = 5000;
	const wss = new WebSocketServer({noServer: true});
	wss.on('connection', (socket) => {
		socket.send(JSON.stringify({op: 10, d: {heartbeat_interval: 45_000}, s: null, t: null}));
		socket.on('message', (data) => {
			const payload = JSON.parse(data.toString()) as {op: number; d: any};
			if (payload.op === 1) {
				socket.send(JSON.stringify({op: 11}));
			} else if (payload.op === 2) {
				discord.identifies.push({token: payload.d.token, intents: payload.d.intents});
				if (payload.d.token !== goodToken) {
					socket.close(4004, 'Authentication failed.');
					return;
				}

				sockets.add(socket);
				socket.send(JSON.stringify({op: 0, s: ++seq, t: 'READY', d: {v: 10, user: {id: '998877', username: 'fake_discord_bot', bot: true}, session_id: 'fake-session', guilds: []}}));
			}
		});
		socket.on('close', () => sockets.delete(socket));
	});
	const discord: FakeDiscord & {wss: WebSocketServer} = {
		wss,
		identifies: [],
		posted: [],
		get ready() {
			return sockets.size;
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
			for (const socket of sockets) {
				socket.send(JSON.stringify({op: 0, s: ++seq, t: 'MESSAGE_CREATE', d}));
			}

			return id;
		},
		dropAll(code = 1001) {
			for (const socket of sockets) {
				socket.close(code);
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
