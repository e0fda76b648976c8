// What a Discord Gateway session keeps across sockets so that a lost socket can be resumed (Discord then replays
// every dispatch it sent while we were away, where a fresh identify would lose them), and what each way of losing a
// socket calls for. Pure: discord-transport.ts owns the sockets and timers.

/**
 * Close codes after which Discord refuses the same bot with the same settings however often it reconnects: the fix
 * is in the config or the Developer Portal, so the channel stays down and says which.
 */
const stoppingCloses: Readonly<Record<number, string>> = {
	4004: 'Discord refused the bot token (close 4004 authentication failed): fix channels.discord.botToken',
	4010: 'Discord refused the shard (close 4010 invalid shard): this channel connects unsharded; check the bot is not sharded elsewhere',
	4011: 'Discord requires sharding for this bot (close 4011): it is in too many guilds for one connection, and this channel does not shard; use a bot in fewer guilds',
	4012: 'Discord refused the Gateway API version (close 4012 invalid API version): this gateway speaks v10; update openclaw-console',
	4013: 'Discord refused the intents (close 4013 invalid intents): update openclaw-console',
	4014: 'Discord refused the Message Content intent (close 4014 disallowed intents): enable it for the bot in the Discord Developer Portal (Bot > Privileged Gateway Intents), then restart the channel',
};

/** Discord ended the session itself (4007 invalid seq, 4009 session timed out): a resume would be refused. */
const sessionEndingCloses = new Set([4007, 4009]);

export type CloseAction = {kind: 'resume'} | {kind: 'identify'} | {kind: 'stop'; error: string};

/** What to do after Discord closed the socket with `code`: every code not listed allows a resume. */
export function closeAction(code: number): CloseAction {
	const error = stoppingCloses[code];
	if (error) {
		return {kind: 'stop', error};
	}

	return sessionEndingCloses.has(code) ? {kind: 'identify'} : {kind: 'resume'};
}

/** Discord asks a client told its session is invalid to wait a random 1 to 5 seconds before it identifies again. */
export function invalidSessionWaitMs(random: () => number = Math.random): number {
	return 1000 + Math.floor(random() * 4000);
}

/**
 * Discord asks for the first heartbeat after `heartbeat_interval * jitter`, jitter random in [0, 1), then one every
 * interval: many clients reconnecting at once (after an outage) then spread their beats instead of beating together.
 */
export function firstHeartbeatDelayMs(intervalMs: number, random: () => number = Math.random): number {
	return Math.floor(intervalMs * random());
}

/** The session READY opened: its id, where to resume it, and the sequence number of the last dispatch seen. */
export class DiscordSession {
	private sessionId?: string;
	private resumeUrl?: URL;
	private lastSeq: number | null = null;

	/** Keep what READY says; a READY without a usable session id or ws(s) resume URL leaves nothing to resume. */
	ready(data: {session_id?: unknown; resume_gateway_url?: unknown} | undefined): void {
		this.forget();
		const url = typeof data?.resume_gateway_url === 'string' ? parsedUrl(data.resume_gateway_url) : undefined;
		if (typeof data?.session_id === 'string' && data.session_id && (url?.protocol === 'ws:' || url?.protocol === 'wss:')) {
			this.sessionId = data.session_id;
			this.resumeUrl = url;
		}
	}

	/** Every payload's `s`: the last one is what a heartbeat and a resume report. */
	sequence(seq: unknown): void {
		if (typeof seq === 'number') {
			this.lastSeq = seq;
		}
	}

	get seq(): number | null {
		return this.lastSeq;
	}

	get resumable(): boolean {
		return this.sessionId !== undefined && this.resumeUrl !== undefined && this.lastSeq !== null;
	}

	/** Where to resume, with the query of the first connect (Discord's resume URL comes without it). */
	resumeTarget(): URL | undefined {
		if (!this.resumable) {
			return undefined;
		}

		return withGatewayQuery(this.resumeUrl!);
	}

	/** The op 6 Resume payload, sent after Hello in place of Identify. */
	resumeFrame(token: string): {op: 6; d: {token: string; session_id: string; seq: number}} | undefined {
		return this.resumable ? {op: 6, d: {token, session_id: this.sessionId!, seq: this.lastSeq!}} : undefined;
	}

	/** The session is over (invalid, timed out, or we closed it): the next socket identifies afresh. */
	forget(): void {
		this.sessionId = undefined;
		this.resumeUrl = undefined;
		this.lastSeq = null;
	}
}

function parsedUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** Discord's Gateway URLs carry the API version and encoding in the query. */
export function withGatewayQuery(url: URL | string): URL {
	const target = new URL(url);
	target.searchParams.set('v', '10');
	target.searchParams.set('encoding', 'json');
	return target;
}

/**
 * The ids of the last `capacity` messages routed: a dispatch Discord sends twice (a replay that overlaps what
 * arrived before the socket dropped) is routed once. The router's run ids would stop a second agent run, but not a
 * second rate-limit charge, refusal log or pairing offer. Bounded, oldest forgotten first.
 */
export class RecentIds {
	private readonly ids = new Set<string>();

	constructor(private readonly capacity = 1000) {}

	/** True the first time an id is seen (and remembers it), false while it is still remembered. */
	firstSighting(id: string): boolean {
		if (this.ids.has(id)) {
			return false;
		}

		this.ids.add(id);
		if (this.ids.size > this.capacity) {
			this.ids.delete(this.ids.values().next().value!);
		}

		return true;
	}
}
