// Channel pairing, OpenClaw's default `dmPolicy`: a peer not on `allowFrom` who writes to the bot gets one reply
// with an 8-character code (and nothing from the agent); the operator approves it with `channels.pairing.approve`
// (`openclaw pairing approve <channel> <code>`), and from then on the peer is allowed. At most 3 requests wait per
// channel account and each lasts an hour (OpenClaw's limits). Requests and approved peers live in
// `<state dir>/credentials/channel-pairing.json` (atomic rewrites), so an approval survives restarts.
import {randomInt} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import {channelLabels, defaultAccountId, type ChannelId} from './types.js';
import type {PairingRequestRow} from '../../source/protocol/methods/index.js';

export const pairingCodeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const pairingCodeLength = 8;
export const pairingPendingMax = 3;
export const pairingPendingTtlMs = 60 * 60 * 1000;

export type PairingRequest = {
	requestId: string;
	channel: ChannelId;
	accountId: string;
	senderId: string;
	senderLabel: string;
	/** Where an approval notice goes (not shown to clients). */
	replyTo: string;
	createdAt: number;
	lastSeenAt: number;
	expiresAt: number;
};

type PairingFile = {version: 1; requests: PairingRequest[]; approved: Array<{channel: ChannelId; senderId: string; approvedAt: number}>};

export function pairingCode(): string {
	return Array.from({length: pairingCodeLength}, () => pairingCodeAlphabet[randomInt(pairingCodeAlphabet.length)]).join('');
}

/** What the peer is told, in OpenClaw's words: the code and the command the owner runs. */
export function pairingReply(channel: ChannelId, senderId: string, code: string): string {
	return [
		'OpenClaw: access not configured.',
		'',
		`Your ${channelLabels[channel]} id: ${senderId}`,
		'Pairing code:',
		code,
		'',
		'Ask the bot owner to approve with:',
		`openclaw pairing approve ${channel} ${code}`,
	].join('\n');
}

export class PairingStore {
	private data: PairingFile = {version: 1, requests: [], approved: []};
	private loaded?: Promise<void>;
	private writing: Promise<void> = Promise.resolve();

	constructor(
		private readonly file: string | undefined,
		private readonly now: () => number = Date.now,
	) {}

	static at(stateDir: string | undefined): PairingStore {
		return new PairingStore(stateDir ? path.join(stateDir, 'credentials', 'channel-pairing.json') : undefined);
	}

	private async load(): Promise<void> {
		this.loaded ??= (async () => {
			if (!this.file) {
				return;
			}

			try {
				const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<PairingFile>;
				this.data = {version: 1, requests: Array.isArray(parsed.requests) ? parsed.requests : [], approved: Array.isArray(parsed.approved) ? parsed.approved : []};
			} catch {
				// No file yet (or an unreadable one): start empty; the next change writes a good one.
			}
		})();
		await this.loaded;
	}

	private async save(): Promise<void> {
		if (!this.file) {
			return;
		}

		const file = this.file;
		const text = `${JSON.stringify(this.data, null, 2)}\n`;
		this.writing = this.writing.then(async () => writeFileAtomic(file, text, {mode: 0o600}));
		await this.writing;
	}

	private prune(): void {
		const now = this.now();
		this.data.requests = this.data.requests.filter((request) => request.expiresAt > now);
	}

	async isApproved(channel: ChannelId, senderId: string): Promise<boolean> {
		await this.load();
		return this.data.approved.some((entry) => entry.channel === channel && entry.senderId === senderId);
	}

	/**
	 * A peer not allowed wrote in: the new request (whose code the peer is sent) when one was made, or undefined when
	 * the peer already has one waiting or the channel has as many waiting as it may.
	 */
	async request(channel: ChannelId, senderId: string, senderLabel: string, replyTo: string): Promise<PairingRequest | undefined> {
		await this.load();
		this.prune();
		const now = this.now();
		const existing = this.data.requests.find((request) => request.channel === channel && request.senderId === senderId);
		if (existing) {
			existing.lastSeenAt = now;
			await this.save();
			return undefined;
		}

		if (this.data.requests.filter((request) => request.channel === channel).length >= pairingPendingMax) {
			return undefined;
		}

		const taken = new Set(this.data.requests.map((request) => request.requestId));
		let code = pairingCode();
		while (taken.has(code)) {
			code = pairingCode();
		}

		const request: PairingRequest = {requestId: code, channel, accountId: defaultAccountId, senderId, senderLabel, replyTo, createdAt: now, lastSeenAt: now, expiresAt: now + pairingPendingTtlMs};
		this.data.requests.push(request);
		await this.save();
		return request;
	}

	async list(channel?: string): Promise<PairingRequest[]> {
		await this.load();
		this.prune();
		return this.data.requests.filter((request) => !channel || request.channel === channel);
	}

	/** Take a waiting request off the list; with `approve`, its sender is allowed from now on. */
	async resolve(channel: string, requestId: string, approve: boolean): Promise<PairingRequest | undefined> {
		await this.load();
		this.prune();
		const wanted = requestId.trim().toUpperCase();
		const request = this.data.requests.find((entry) => entry.channel === channel && entry.requestId === wanted);
		if (!request) {
			return undefined;
		}

		this.data.requests = this.data.requests.filter((entry) => entry !== request);
		if (approve && !this.data.approved.some((entry) => entry.channel === request.channel && entry.senderId === request.senderId)) {
			this.data.approved.push({channel: request.channel, senderId: request.senderId, approvedAt: this.now()});
		}

		await this.save();
		return request;
	}
}

/** A request as `channels.pairing.list` shows it (OpenClaw's ChannelPairingRequest: ISO times, no reply address). */
export function pairingRequestRow(request: PairingRequest): PairingRequestRow {
	return {
		requestId: request.requestId,
		channel: request.channel,
		channelLabel: channelLabels[request.channel],
		accountId: request.accountId,
		senderId: request.senderId,
		senderLabel: request.senderLabel,
		createdAt: new Date(request.createdAt).toISOString(),
		lastSeenAt: new Date(request.lastSeenAt).toISOString(),
		expiresAt: new Date(request.expiresAt).toISOString(),
		notifySupported: true,
	};
}
