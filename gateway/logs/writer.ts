// The gateway's log file writer: appends JSON lines, rotates by size into archives that keep their place in the
// logical stream (segments.ts), prunes old archives, and survives a log directory that vanishes, fills up or turns
// unwritable: lines are counted as dropped, the fault is reported (health `logging`), writing resumes when it can.
// Writes are synchronous so that lines keep their order and a reader in this process never sees a half rotation.
// The writer only ever appends to, renames and deletes files it created (ownership.ts), and refuses a symlink, FIFO
// or any other non-regular file at its path (files.ts) with a reported fault rather than following or blocking.
import {EventEmitter} from 'node:events';
import {closeSync, mkdirSync, renameSync, unlinkSync, writeSync} from 'node:fs';
import path from 'node:path';
import {lstatOrUndefined, openForAppend, replaceSmallFile} from '../../source/protocol/logs/files.js';
import {LogOwnership} from '../../source/protocol/logs/ownership.js';
import {activeBase, archivePath, listDir, offsetPath, scanArchives, type LogSegment} from '../../source/protocol/logs/segments.js';
import type {LogWriterStatus} from '../../source/protocol/methods/gateway.js';

export const defaultMaxFileBytes = 10 * 1024 * 1024;
export const defaultMaxFiles = 5;

export type LogWriterOptions = {
	file: string;
	maxFileBytes?: number;
	/** Archives kept besides the active file. */
	maxFiles?: number;
	/** How often to retry after a fault, and to check that the file on disk is still the one being written. */
	checkIntervalMs?: number;
};

export type {LogWriterStatus};

type WriterEvents = {appended: [end: number]; fault: [error: string]; recovered: [droppedLines: number]};

export class LogWriter extends EventEmitter<WriterEvents> {
	private file: string;
	private maxFileBytes: number;
	private maxFiles: number;
	private readonly checkIntervalMs: number;
	private fd?: number;
	private ino?: number;
	private base = 0;
	private size = 0;
	private archives: LogSegment[] = [];
	private ownership: LogOwnership;
	private lastCheck = 0;
	private error?: string;
	private faultSince?: string;
	private droppedLines = 0;
	private droppedAtFault = 0;
	private writtenLines = 0;
	private rotations = 0;
	private faults = 0;
	private closed = false;

	constructor(options: LogWriterOptions) {
		super();
		this.file = path.resolve(options.file);
		this.maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;
		this.maxFiles = options.maxFiles ?? defaultMaxFiles;
		this.checkIntervalMs = options.checkIntervalMs ?? 1000;
		this.ownership = this.loadOwnership();
		this.loadFromDisk();
		this.open();
	}

	get path(): string {
		return this.file;
	}

	/** The logical size of the whole stream: where the next line starts. */
	get end(): number {
		return this.base + this.size;
	}

	/** Archives (oldest first) and the active file, as they are now. */
	segments(): LogSegment[] {
		return [...this.archives, {path: this.file, base: this.base, size: this.size, active: true}];
	}

	status(): LogWriterStatus {
		const status: LogWriterStatus = {
			ok: this.error === undefined,
			file: this.file,
			droppedLines: this.droppedLines,
			writtenLines: this.writtenLines,
			rotations: this.rotations,
			faults: this.faults,
		};
		if (this.error !== undefined) {
			status.error = this.error;
			status.since = this.faultSince;
		}

		return status;
	}

	/** Hot reload of logging.file / maxFileBytes / maxFiles. */
	configure(options: Partial<Omit<LogWriterOptions, 'checkIntervalMs'>>): void {
		this.maxFileBytes = options.maxFileBytes ?? this.maxFileBytes;
		this.maxFiles = options.maxFiles ?? this.maxFiles;
		const file = options.file ? path.resolve(options.file) : this.file;
		if (file !== this.file) {
			this.closeFd();
			this.file = file;
			this.ownership = this.loadOwnership();
			this.error = undefined;
			// Offsets stay monotonic across a change of file, so followers' cursors never point backwards.
			this.loadFromDisk();
			if (this.open()) {
				this.recordBase();
			}
		}

		this.prune();
	}

	write(line: string): void {
		if (this.closed) {
			return;
		}

		const data = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
		const now = Date.now();
		if (now - this.lastCheck >= this.checkIntervalMs) {
			this.lastCheck = now;
			if (this.fd !== undefined) {
				this.checkStillOurs();
			}

			if (this.fd === undefined) {
				this.recover();
			}
		}

		if (this.fd !== undefined && this.size > 0 && this.size + data.length > this.maxFileBytes) {
			this.rotate();
		}

		if (this.fd === undefined) {
			this.droppedLines++;
			return;
		}

		let written = 0;
		try {
			while (written < data.length) {
				written += writeSync(this.fd, data, written, data.length - written);
			}
		} catch (error) {
			this.size += written;
			this.droppedLines++;
			this.fault(error);
			return;
		}

		this.size += written;
		this.writtenLines++;
		this.emit('appended', this.end);
	}

	close(): void {
		this.closed = true;
		this.closeFd();
	}

	private loadOwnership(): LogOwnership {
		return LogOwnership.load(this.file, () => listDir(path.dirname(this.file)));
	}

	private loadFromDisk(): void {
		this.archives = scanArchives(this.file, this.ownership);
		this.base = Math.max(activeBase(this.file, this.archives), this.end);
		this.size = 0;
	}

	private open(): boolean {
		try {
			mkdirSync(path.dirname(this.file), {recursive: true, mode: 0o700});
			const {fd, stats, created} = openForAppend(this.file);
			if (!created && !this.ownership.owns(stats.ino)) {
				closeSync(fd);
				throw new Error(
					`${this.file} exists but was not created by the gateway, so it is left untouched: move it away or set logging.file to another name`,
				);
			}

			this.ownership.add(stats.ino);
			this.fd = fd;
			this.ino = stats.ino;
			this.size = stats.size;
			this.lastCheck = Date.now();
			return true;
		} catch (error) {
			this.fault(error);
			return false;
		}
	}

	private fault(error: unknown): void {
		const message = `log file ${this.file} is not writable: ${(error as Error).message}`;
		this.closeFd();
		if (this.error === undefined) {
			this.faults++;
			this.faultSince = new Date().toISOString();
			this.droppedAtFault = this.droppedLines;
			this.error = message;
			this.emit('fault', message);
		} else {
			this.error = message;
		}
	}

	/**
	 * Try to write again after a fault. The file may have been replaced or emptied meanwhile, so what is on disk is
	 * read afresh; the stream's offsets only move forward, so a follower's cursor never points at different lines.
	 */
	private recover(): void {
		const previousEnd = this.end;
		let onDisk: ReturnType<typeof lstatOrUndefined>;
		try {
			onDisk = lstatOrUndefined(this.file);
		} catch {
			onDisk = undefined;
		}

		if (!onDisk || onDisk.ino !== this.ino || onDisk.size !== this.size) {
			if (onDisk?.isFile() && onDisk.size > 0 && this.ownership.owns(onDisk.ino)) {
				// Ours but not where we were (from before a failed open, or moved back): its lines come after ours.
				// A file someone else put there is left alone; opening below refuses it and the fault names it.
				try {
					renameSync(this.file, archivePath(this.file, previousEnd));
				} catch {
					// Left in place; reopening below reports the fault again if the directory is still broken.
				}
			}

			this.archives = scanArchives(this.file, this.ownership);
			this.base = Math.max(activeBase(this.file, this.archives), previousEnd);
			this.size = 0;
		}

		if (this.open()) {
			this.recordBase();
			const dropped = this.droppedLines - this.droppedAtFault;
			this.error = undefined;
			this.faultSince = undefined;
			this.emit('recovered', dropped);
		}
	}

	/** Is the path still the inode we append to? (A moved, deleted or replaced file or directory is a fault.) */
	private checkStillOurs(): void {
		try {
			const stats = lstatOrUndefined(this.file);
			if (stats?.ino === this.ino) {
				return;
			}

			if (!stats) {
				this.fault(new Error('the file was deleted or moved'));
				return;
			}

			this.fault(new Error('the file was replaced'));
		} catch (error) {
			this.fault(error);
		}
	}

	private rotate(): void {
		const ino = this.ino;
		this.closeFd();
		const archived = archivePath(this.file, this.base);
		try {
			if (lstatOrUndefined(this.file)?.ino !== ino) {
				throw new Error('the file was replaced');
			}

			renameSync(this.file, archived);
		} catch (error) {
			this.fault(error);
			return;
		}

		this.archives.push({path: archived, base: this.base, size: this.size, active: false, ino});
		this.base += this.size;
		this.size = 0;
		this.rotations++;
		this.recordBase();
		this.prune();
		this.open();
	}

	private prune(): void {
		while (this.archives.length > this.maxFiles) {
			const oldest = this.archives.shift()!;
			try {
				const stats = lstatOrUndefined(oldest.path);
				if (stats?.isFile() && stats.ino === oldest.ino && this.ownership.owns(stats.ino)) {
					unlinkSync(oldest.path);
				}

				if (oldest.ino !== undefined) {
					this.ownership.remove(oldest.ino);
				}
			} catch {
				// Already gone, or replaced by a file that is not ours: left as it is.
			}
		}
	}

	private recordBase(): void {
		try {
			replaceSmallFile(offsetPath(this.file), `${this.base}\n`);
		} catch {
			// Only a hint for the next process; the archives' names carry the same information.
		}
	}

	private closeFd(): void {
		if (this.fd !== undefined) {
			try {
				closeSync(this.fd);
			} catch {
				// Closing a descriptor whose disk went away can fail; it is released either way.
			}

			this.fd = undefined;
		}
	}
}
