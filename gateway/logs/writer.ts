// The gateway's log file writer: appends JSON lines, rotates by size into archives that keep their place in the
// logical stream (segments.ts), prunes old archives, and survives a log directory that vanishes, fills up or turns
// unwritable: lines are counted as dropped, the fault is reported (health `logging`), writing resumes when it can.
// Writes are synchronous so that lines keep their order and a reader in this process never sees a half rotation.
import {EventEmitter} from 'node:events';
import {closeSync, fstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync} from 'node:fs';
import path from 'node:path';
import {activeBase, archivePath, offsetPath, scanArchives, type LogSegment} from './segments.js';

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

export type LogWriterStatus = {
	ok: boolean;
	file: string;
	error?: string;
	droppedLines: number;
	writtenLines: number;
	rotations: number;
	faults: number;
	since?: string;
};

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

	private loadFromDisk(): void {
		this.archives = scanArchives(this.file);
		this.base = Math.max(activeBase(this.file, this.archives), this.end);
		this.size = 0;
	}

	private open(): boolean {
		try {
			mkdirSync(path.dirname(this.file), {recursive: true, mode: 0o700});
			const fd = openSync(this.file, 'a', 0o600);
			const stats = fstatSync(fd);
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
		let onDisk: {ino: number; size: number} | undefined;
		try {
			onDisk = statSync(this.file);
		} catch {
			onDisk = undefined;
		}

		if (!onDisk || onDisk.ino !== this.ino || onDisk.size !== this.size) {
			if (onDisk && onDisk.size > 0) {
				// Not the file we were writing (replaced, or ours from before a failed open): its lines come after ours.
				try {
					renameSync(this.file, archivePath(this.file, previousEnd));
				} catch {
					// Left in place; reopening below reports the fault again if the directory is still broken.
				}
			}

			this.archives = scanArchives(this.file);
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
			const stats = statSync(this.file);
			if (stats.ino === this.ino) {
				return;
			}

			this.fault(new Error('the file was replaced'));
		} catch (error) {
			this.fault(error);
		}
	}

	private rotate(): void {
		this.closeFd();
		const archived = archivePath(this.file, this.base);
		try {
			renameSync(this.file, archived);
		} catch (error) {
			this.fault(error);
			return;
		}

		this.archives.push({path: archived, base: this.base, size: this.size, active: false});
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
				unlinkSync(oldest.path);
			} catch {
				// Already gone.
			}
		}
	}

	private recordBase(): void {
		try {
			writeFileSync(offsetPath(this.file), `${this.base}\n`, {mode: 0o600});
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
