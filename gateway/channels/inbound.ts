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
	/**
	 * Why the transport cannot receive (missing secret...), when it cannot; shown as the account's `inboundError`, apart
	 * from lastError: the channel can still answer and be probed, and the operator sees which half is broken.
	 */
	readonly inboundProblem?: string;
	/**
	 * Why the way in is not working now: a failure being retried, or why the transport gave up for good (the service
	 * refused it in a way no retry fixes). The account's lastError, and the account is not connected while it is set.
	 */
	readonly lastError?: string;
	/** `gaveUp` is called once if the transport stops itself for good; it stays stopped until started again. */
	start(deliver: Deliver, gaveUp?: (reason: string) => void): void;
	stop(): void;
	handleHttp?(request: http.IncomingMessage, response: http.ServerResponse): Promise<void>;
	send(replyTo: string, text: string): Promise<void>;
}
