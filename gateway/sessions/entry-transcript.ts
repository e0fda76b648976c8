// Writing one session's transcript while keeping its index entry in step: the header that starts it, the messages
// a turn appends (numbered by the entry's `nextSeq`), the fsync that ends a turn, and the trim that bounds it. Every
// write here updates `messageCount` and `transcriptBytes`, so the entry always describes the file it names; the
// line format itself is transcript.ts's.
import {mkdir, open, stat} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import {splitModelRef, type SessionEntry, type TurnEnd} from './entry.js';
import {syncDir} from './index-file.js';
import {appendTranscript, newMessageId, readTranscriptTail, type SessionHeader, type TranscriptLine, type TranscriptMessage} from './transcript.js';

/** The bounds of one transcript (the per-transcript half of the store's limits). */
export type TranscriptLimits = {maxMessagesPerSession: number; maxTranscriptBytes: number};

export function transcriptPath(dir: string, sessionId: string): string {
	return path.join(dir, `${sessionId}.jsonl`);
}

/** `agentId` is the store's: a trimmed transcript keeps the header a new one would get. */
function transcriptHeader(entry: SessionEntry, agentId: string): SessionHeader {
	return {type: 'session', version: 1, id: entry.sessionId, key: entry.key, agentId, createdAt: entry.createdAt, ...(entry.workspaceDir ? {cwd: entry.workspaceDir} : {})};
}

/** A new transcript holding only its header, durable (file and directory entry) before the index names it. */
export async function startTranscript(dir: string, entry: SessionEntry, agentId: string): Promise<void> {
	const file = transcriptPath(dir, entry.sessionId);
	await mkdir(dir, {recursive: true, mode: 0o700});
	await appendTranscript(file, [transcriptHeader(entry, agentId)], {sync: true});
	entry.transcriptBytes = (await stat(file)).size;
	await syncDir(dir);
}

/** A message of the session's next turn; takes the entry's next seq. */
export function turnMessage(entry: SessionEntry, role: 'user' | 'assistant', text: string, at: number, meta: {runId?: string; idempotencyKey?: string}): TranscriptMessage {
	return {role, content: [{type: 'text', text}], timestamp: at, __openclaw: {id: newMessageId(), seq: entry.nextSeq++, ...meta}};
}

/** The assistant's message that ends a turn: its text (or the failure), why it stopped, the model and the usage. */
export function turnEndMessage(entry: SessionEntry, turn: TurnEnd, at: number): TranscriptMessage {
	const message = turnMessage(entry, 'assistant', turn.text, at, {runId: turn.runId});
	message.stopReason = turn.stopReason;
	if (turn.model) {
		const {provider, model} = splitModelRef(turn.model);
		message.model = model;
		message.provider = provider;
	}

	if (turn.error) {
		message.errorMessage = turn.error;
	}

	if (turn.usage) {
		message.usage = {...turn.usage, totalTokens: (turn.usage.input ?? 0) + (turn.usage.output ?? 0)};
	}

	return message;
}

/** Appends `lines` (fsynced with `sync`, even when there are none: the end of a turn makes its start durable too). */
export async function appendToTranscript(dir: string, entry: SessionEntry, lines: TranscriptLine[], sync: boolean): Promise<void> {
	if (lines.length === 0 && !sync) {
		return;
	}

	const file = transcriptPath(dir, entry.sessionId);
	if (lines.length > 0) {
		await appendTranscript(file, lines, {sync});
	} else {
		const handle = await open(file, 'a');
		await handle.sync();
		await handle.close();
	}

	entry.messageCount += lines.filter((line) => line.type === 'message').length;
	entry.transcriptBytes = (await stat(file)).size;
}

export function transcriptOverLimits(entry: SessionEntry, limits: TranscriptLimits): boolean {
	return entry.messageCount > limits.maxMessagesPerSession || entry.transcriptBytes > limits.maxTranscriptBytes;
}

/**
 * Rewrites the transcript (atomically) with its newest messages within three quarters of both limits, so a long
 * conversation costs a rewrite every few hundred turns rather than every turn.
 */
export async function trimTranscript(dir: string, entry: SessionEntry, agentId: string, limits: TranscriptLimits): Promise<void> {
	const file = transcriptPath(dir, entry.sessionId);
	const parsed = await readTranscriptTail(file, Math.floor(limits.maxTranscriptBytes * 0.75));
	const keep = parsed.messages.slice(-Math.max(1, Math.floor(limits.maxMessagesPerSession * 0.75)));
	const text = [transcriptHeader(entry, agentId), ...keep.map((message) => ({type: 'message', message}))].map((line) => JSON.stringify(line)).join('\n') + '\n';
	await writeFileAtomic(file, text);
	entry.messageCount = keep.length;
	entry.transcriptBytes = Buffer.byteLength(text);
}
