// Which files of a log family the gateway created, so that it appends to, rotates, prunes and serves only those.
// Recorded by inode in `<file>.owned` (one per line): a rename into an archive keeps the inode, and the record
// survives restarts. A file the gateway did not create is never renamed, deleted, written or read, whatever its
// name says. Logs of a gateway from before this record existed are adopted once, and only under the default
// name in the log directory, which nothing else writes.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {lstatOrUndefined, replaceSmallFile} from './files.js';
import {defaultLogFileName} from './location.js';

export function ownershipPath(file: string): string {
	return `${file}.owned`;
}

const archiveSuffix = /^\.\d+$/;

export class LogOwnership {
	private readonly inodes = new Set<number>();
	private saved = false;

	private constructor(private readonly file: string) {}

	/** The record on disk (read only: a reader such as the CLI never writes it). */
	static load(file: string, listDir: () => string[]): LogOwnership {
		const ownership = new LogOwnership(file);
		let text: string | undefined;
		try {
			text = readFileSync(ownershipPath(file), 'utf8');
		} catch {
			text = undefined;
		}

		ownership.saved = text !== undefined;
		if (text !== undefined) {
			for (const line of text.split('\n')) {
				const inode = Number(line.trim());
				if (line.trim() !== '' && Number.isSafeInteger(inode) && inode > 0) {
					ownership.inodes.add(inode);
				}
			}
		} else if (path.basename(file) === defaultLogFileName) {
			ownership.adoptLegacy(listDir());
		}

		return ownership;
	}

	owns(inode: number): boolean {
		return this.inodes.has(inode);
	}

	add(inode: number): void {
		if (!this.inodes.has(inode) || !this.saved) {
			this.inodes.add(inode);
			this.save();
		}
	}

	remove(inode: number): void {
		if (this.inodes.delete(inode)) {
			this.save();
		}
	}

	save(): void {
		try {
			replaceSmallFile(ownershipPath(this.file), [...this.inodes].map((inode) => `${inode}\n`).join(''));
			this.saved = true;
		} catch {
			// Unwritable log directory: the writer reports that itself; the record in memory still guards this process.
		}
	}

	private adoptLegacy(names: string[]): void {
		const base = path.basename(this.file);
		for (const name of names) {
			if (name !== base && !(name.startsWith(base) && archiveSuffix.test(name.slice(base.length)))) {
				continue;
			}

			try {
				const stats = lstatOrUndefined(path.join(path.dirname(this.file), name));
				if (stats?.isFile()) {
					this.inodes.add(stats.ino);
				}
			} catch {
				// Unreadable: not adopted, so never touched.
			}
		}
	}
}
