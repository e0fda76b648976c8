// What a channel transport hands the router (one direct message from a peer) and what the router needs back from
// the transport (a way to answer on the same channel, and for webhook-style services, an HTTP route).
import type http from 'node:http';
import type {ChannelId} from './types.js';

export type InboundMessage = {
	channel: ChannelId;
	/** The sender's id on the service (Telegram user id, Slack user id, the webhook's `from`). */
	peerId: string;
	/** Other names the sender goes by (`@username`), matched against `allowFrom` too. */
	peerAliases?: string[];
	/** Where the answer goes (a Telegram chat id, a Slack channel id, the webhook's `from`). */
	replyTo: string;
	text: string;
	/** The service's id for this message: runs are keyed by it, so a redelivered message runs once. */
	messageId: string;
};

export type Deliver = (message: InboundMessage) => void;

export interface ChannelTransport {
	/** How messages arrive: `polling` (Telegram getUpdates), `webhook` (an HTTP route here), `socket` (Slack Socket Mode), `gateway` (Discord's socket). */
	readonly mode: 'polling' | 'webhook' | 'socket' | 'gateway';
	/** The gateway HTTP path this channel receives on, when it receives by HTTP. */
	readonly inboundPath?: string;
	/** Why the transport cannot receive (missing secret...), when it cannot; shown as the channel's lastError. */
	readonly inboundProblem?: string;
	/** Why the transport stopped receiving for good (the service refused it in a way no retry fixes); the account's lastError. */
	readonly lastError?: string;
	start(deliver: Deliver): void;
	stop(): void;
	handleHttp?(request: http.IncomingMessage, response: http.ServerResponse): Promise<void>;
	send(replyTo: string, text: string): Promise<void>;
}
