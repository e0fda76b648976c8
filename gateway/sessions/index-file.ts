// The session index on disk (`sessions.json`: `{version: 1, sessions: {<key>: entry}}`) and its crash-safe write.
// Apart from the store because the format and the write's durability (temp file, fsync, rename, then fsync of the
// directory so the rename itself survives a crash) are one concern that the store's turns only need to call.
import {open, readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import type {SessionEntry} from './entry.js';

type IndexFile = {version: 1; sessions: Record<string, SessionEntry>};

export function indexFilePath(dir: string): string {
	return path.join(dir, 'sessions.json');
}

/**
 * The entries the index lists (each under the key it is filed by). No index is no sessions; an index that cannot be
 * read or parsed comes back as `unreadable`, for the caller to rebuild from the transcripts.
 */
export async function readIndex(indexPath: string): Promise<{entries: Map<string, SessionEntry>; unreadable?: Error}> {
	const entries = new Map<string, SessionEntry>();
	try {
		const parsed = JSON.parse(await readFile(indexPath, 'utf8')) as Partial<IndexFile>;
		for (const [key, entry] of Object.entries(parsed.sessions ?? {})) {
			if (entry && typeof entry.sessionId === 'string') {
				entries.set(key, {...entry, key});
			}
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			return {entries, unreadable: error as Error};
		}
	}

	return {entries};
}

/** Replaces the index atomically: a crash leaves the old index or the new one, never a torn one. */
export async function writeIndex(indexPath: string, dir: string, entries: Map<string, SessionEntry>): Promise<void> {
	const file: IndexFile = {version: 1, sessions: Object.fromEntries(entries)};
	await writeFileAtomic(indexPath, `${JSON.stringify(file, null, 2)}\n`);
	await syncDir(dir);
}

/** Makes a file's creation or rename in `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
	try {
		const handle = await open(dir, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// Some filesystems refuse fsync on a directory; the rename is still atomic there.
	}
}
