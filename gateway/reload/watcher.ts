// Watches the active config file for edits, atomic renames and deletes. It watches the DIRECTORY (an editor's
// rename-over-the-file replaces the inode a file watch would hold), debounces bursts, and backs fs.watch with a
// slow stat poll: a watch that silently stops (directory replaced, network filesystem) or cannot start at all
// still leaves changes noticed.
import {statSync, watch, type FSWatcher} from 'node:fs';
import path from 'node:path';

export type WatchMode = 'fs.watch' | 'poll';

export type ConfigWatcherOptions = {
	debounceMs?: number;
	/** Poll interval when fs.watch works (a safety net) and when it does not (the only source). */
	safetyPollMs?: number;
	pollMs?: number;
};

function signature(file: string): string {
	try {
		const stats = statSync(file);
		return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
	} catch (error) {
		return `missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
	}
}

export class ConfigFileWatcher {
	private watcher?: FSWatcher;
	private pollTimer?: NodeJS.Timeout;
	private debounceTimer?: NodeJS.Timeout;
	private lastSignature: string;
	private currentMode: WatchMode = 'poll';
	private readonly debounceMs: number;

	constructor(
		private readonly file: string,
		private readonly onChange: () => void,
		private readonly options: ConfigWatcherOptions = {},
	) {
		this.debounceMs = options.debounceMs ?? 300;
		this.lastSignature = signature(file);
	}

	get mode(): WatchMode {
		return this.currentMode;
	}

	start(): WatchMode {
		this.stop();
		this.lastSignature = signature(this.file);
		try {
			const base = path.basename(this.file);
			this.watcher = watch(path.dirname(this.file), {persistent: false}, (_event, filename) => {
				if (!filename || filename.toString() === base) {
					this.schedule();
				}
			});
			this.watcher.on('error', () => {
				this.watcher?.close();
				this.watcher = undefined;
				this.poll(this.options.pollMs ?? 500);
			});
			this.poll(this.options.safetyPollMs ?? 2000);
			this.currentMode = 'fs.watch';
		} catch {
			this.poll(this.options.pollMs ?? 500);
		}

		return this.currentMode;
	}

	private poll(intervalMs: number): void {
		clearInterval(this.pollTimer);
		if (!this.watcher) {
			this.currentMode = 'poll';
		}

		this.pollTimer = setInterval(() => {
			const now = signature(this.file);
			if (now !== this.lastSignature) {
				this.schedule();
			}
		}, intervalMs);
		this.pollTimer.unref();
	}

	private schedule(): void {
		clearTimeout(this.debounceTimer);
		this.debounceTimer = setTimeout(() => {
			this.lastSignature = signature(this.file);
			this.onChange();
		}, this.debounceMs);
		this.debounceTimer.unref();
	}

	stop(): void {
		this.watcher?.close();
		this.watcher = undefined;
		clearInterval(this.pollTimer);
		clearTimeout(this.debounceTimer);
	}
}
