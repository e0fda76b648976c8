// A session's transcript on disk: one JSON object per line, appended. The first line names the session (id, key,
// creation time) so the transcript alone is enough to rebuild the session's index entry after a crash. A line cut
// short by a crash is skipped on read, never fatal: what was whole before it is the transcript.
import {randomUUID} from 'node:crypto';
import {open, readFile} from 'node:fs/promises';
import type {ChatMessage} from '../../source/protocol/methods/sessions.js';

/** A message as OpenClaw's transcript and `chat.history` carry it: the method map's ChatMessage. */
export type TranscriptMessage = ChatMessage;

/** `cwd`: the agent's workspace when the session began (OpenClaw's transcripts carry it too). */
export type SessionHeader = {type: 'session'; version: 1; id: string; key: string; agentId: string; createdAt: number; cwd?: string};
export type MessageLine = {type: 'message'; message: TranscriptMessage};
export type TranscriptLine = SessionHeader | MessageLine;

export type ParsedTranscript = {header?: SessionHeader; messages: TranscriptMessage[]; tornLines: number};

export function parseTranscript(text: string): ParsedTranscript {
	let header: SessionHeader | undefined;
	const messages: TranscriptMessage[] = [];
	let tornLines = 0;
	for (const line of text.split('\n')) {
		if (line.trim() === '') {
			continue;
		}

		let parsed: unknown;
		try {
			parsed = JSON.parse(line);
		} catch {
			tornLines++;
			continue;
		}

		const record = parsed as Partial<TranscriptLine>;
		if (record.type === 'session' && !header) {
			header = record as SessionHeader;
		} else if (record.type === 'message' && typeof (record as MessageLine).message?.role === 'string') {
			messages.push((record as MessageLine).message);
		} else {
			tornLines++;
		}
	}

	return {header, messages, tornLines};
}

export async function readTranscript(file: string): Promise<ParsedTranscript> {
	try {
		return parseTranscript(await readFile(file, 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {messages: [], tornLines: 0};
		}

		throw error;
	}
}

/**
 * The newest whole lines within the last `maxBytes` of a transcript: a run's context or a history page never reads a
 * long transcript whole. The line cut by the window's start is dropped, not counted as torn.
 */
export async function readTranscriptTail(file: string, maxBytes: number): Promise<ParsedTranscript> {
	let handle;
	try {
		handle = await open(file, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {messages: [], tornLines: 0};
		}

		throw error;
	}

	try {
		const {size} = await handle.stat();
		if (size <= maxBytes) {
			return parseTranscript(await handle.readFile('utf8'));
		}

		const buffer = Buffer.alloc(maxBytes);
		await handle.read(buffer, 0, maxBytes, size - maxBytes);
		const newline = buffer.indexOf(0x0a);
		return parseTranscript(newline === -1 ? '' : buffer.subarray(newline + 1).toString('utf8'));
	} finally {
		await handle.close();
	}
}

/**
 * Append lines; with `sync`, fsync before returning (the end of a turn). A torn tail from an earlier crash would glue
 * onto the first new line, so a write always starts on a fresh line when the file does not end with one.
 */
export async function appendTranscript(file: string, lines: TranscriptLine[], options: {sync: boolean}): Promise<void> {
	const handle = await open(file, 'a+', 0o600);
	try {
		const {size} = await handle.stat();
		let prefix = '';
		if (size > 0) {
			const last = Buffer.alloc(1);
			await handle.read(last, 0, 1, size - 1);
			prefix = last[0] === 0x0a ? '' : '\n';
		}

		await handle.appendFile(prefix + lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
		if (options.sync) {
			await handle.sync();
		}
	} finally {
		await handle.close();
	}
}

export function newMessageId(): string {
	return randomUUID().slice(0, 8);
}

export function messageText(message: Pick<TranscriptMessage, 'content'>): string {
	return message.content.map((part) => part.text).join('');
}
