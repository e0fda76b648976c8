// Opening an agent's sessions after a crash: the transcripts are the truth and the index a cache of them, so the
// index is checked against the transcripts on disk and mended. Apart from the store because it runs once, at open,
// and every branch here is a crash case (see store.ts); the store's turns never need it.
import {readdir, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {entryFieldsFromTranscript, type SessionEntry} from './entry.js';
import {indexFilePath, readIndex} from './index-file.js';
import {readTranscript} from './transcript.js';

type Logger = {warn(message: string, fields?: Record<string, unknown>): void};

/**
 * The entries of the agent's sessions as the transcripts in `dir` have them, and whether they differ from the index
 * there (the caller then rewrites it). Transcripts of sessions a later reset replaced are deleted.
 */
export async function reconcileIndex(dir: string, agentId: string, logger: Logger): Promise<{entries: Map<string, SessionEntry>; changed: boolean}> {
	const indexPath = indexFilePath(dir);
	const {entries, unreadable} = await readIndex(indexPath);
	let changed = false;
	if (unreadable) {
		logger.warn('session index unreadable: rebuilding it from the transcripts', {path: indexPath, error: unreadable.message});
		changed = true;
	}

	let files: string[] = [];
	try {
		files = (await readdir(dir)).filter((name) => name.endsWith('.jsonl'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}

	const bySessionId = new Map([...entries.values()].map((entry) => [entry.sessionId, entry]));
	const present = new Set<string>();
	for (const name of files) {
		const sessionId = name.slice(0, -'.jsonl'.length);
		present.add(sessionId);
		const file = path.join(dir, name);
		const known = bySessionId.get(sessionId);
		const size = (await stat(file)).size;
		if (known && known.transcriptBytes === size) {
			continue;
		}

		const parsed = await readTranscript(file);
		if (known) {
			Object.assign(known, entryFieldsFromTranscript(parsed, known), {transcriptBytes: size});
			changed = true;
			continue;
		}

		if (!parsed.header) {
			logger.warn('transcript without a session header ignored', {path: file});
			continue;
		}

		const current = entries.get(parsed.header.key);
		if (current && current.createdAt >= parsed.header.createdAt) {
			// An older transcript of a key that has since been reset (the delete did not happen before a crash).
			await rm(file, {force: true});
			continue;
		}

		const entry: SessionEntry = {
			key: parsed.header.key,
			sessionId,
			agentId: parsed.header.agentId ?? agentId,
			createdAt: parsed.header.createdAt,
			updatedAt: parsed.header.createdAt,
			...(typeof parsed.header.cwd === 'string' ? {workspaceDir: parsed.header.cwd} : {}),
			messageCount: 0,
			nextSeq: 1,
			transcriptBytes: size,
			...entryFieldsFromTranscript(parsed),
		};
		entries.set(entry.key, entry);
		changed = true;
		logger.warn('session recovered from its transcript (the index did not list it)', {key: entry.key, sessionId});
	}

	for (const [key, entry] of entries) {
		if (!present.has(entry.sessionId)) {
			logger.warn('session index entry without a transcript dropped', {key, sessionId: entry.sessionId});
			entries.delete(key);
			changed = true;
		}
	}

	for (const entry of entries.values()) {
		if (entry.status === 'running') {
			// The process that ran it is gone: the run ended without its answer.
			Object.assign(entry, {status: 'killed', abortedLastRun: true});
			changed = true;
		}
	}

	return {entries, changed};
}
