// The log as one logical byte stream cut into files: the active file `gateway.log` and archives named by the
// logical offset of their first byte (`gateway.log.<base>`). Cursors are offsets into that stream, so a follower's
// cursor keeps its meaning when the file it points into is rotated away. `gateway.log.offset` records the active
// file's base so offsets never go backwards, even after every archive is gone. Only files the gateway created
// (ownership.ts) and that are regular files (not symlinks) count as segments.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {lstatOrUndefined} from './files.js';
import {LogOwnership} from './ownership.js';

export type LogSegment = {path: string; base: number; size: number; active: boolean; ino?: number};

export function archivePath(file: string, base: number): string {
	return `${file}.${base}`;
}

export function offsetPath(file: string): string {
	return `${file}.offset`;
}

export function listDir(dir: string): string[] {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

/** Archives of `file` on disk that the gateway created, oldest first. */
export function scanArchives(file: string, ownership: LogOwnership): LogSegment[] {
	const dir = path.dirname(file);
	const prefix = `${path.basename(file)}.`;
	const names = listDir(dir);

	const out: LogSegment[] = [];
	for (const name of names) {
		const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
		if (!/^\d+$/.test(rest)) {
			continue;
		}

		try {
			const stats = lstatOrUndefined(path.join(dir, name));
			if (stats?.isFile() && ownership.owns(stats.ino)) {
				out.push({path: path.join(dir, name), base: Number(rest), size: stats.size, active: false, ino: stats.ino});
			}
		} catch {
			// Deleted between readdir and stat: it is simply gone.
		}
	}

	return out.sort((a, b) => a.base - b.base);
}

/** Where the active file starts in the stream: the recorded base, but never before the end of the newest archive. */
export function activeBase(file: string, archives: readonly LogSegment[]): number {
	let recorded = 0;
	try {
		const value = Number(readFileSync(offsetPath(file), 'utf8').trim());
		recorded = Number.isSafeInteger(value) && value >= 0 ? value : 0;
	} catch {
		// No record yet: a log that never rotated starts at 0.
	}

	const newest = archives.at(-1);
	return Math.max(recorded, newest ? newest.base + newest.size : 0);
}

/**
 * The whole stream as it is on disk now, for a reader without the writer (the CLI reading the file of a gateway
 * that is down): the archives, then the active file at its base (empty when it does not exist yet).
 */
export function segmentsOnDisk(file: string): LogSegment[] {
	const ownership = LogOwnership.load(file, () => listDir(path.dirname(file)));
	const archives = scanArchives(file, ownership);
	let size = 0;
	try {
		const stats = lstatOrUndefined(file);
		size = stats?.isFile() && ownership.owns(stats.ino) ? stats.size : 0;
	} catch {}

	return [...archives, {path: file, base: activeBase(file, archives), size, active: true}];
}
