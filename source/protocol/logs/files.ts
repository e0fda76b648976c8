// Opening log files without trusting what sits at their path. A symlink is never followed (O_NOFOLLOW), and anything
// but a regular file is refused: opening a FIFO for writing blocks until a reader comes (O_NONBLOCK makes that fail
// at once instead), and reading one blocks until a writer does; either would stop the event loop for good.
import {closeSync, constants, fstatSync, lstatSync, openSync, renameSync, unlinkSync, writeSync, type Stats} from 'node:fs';

const {O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY} = constants;

function kindOf(stats: Stats): string {
	if (stats.isSymbolicLink()) {
		return 'a symbolic link';
	}

	if (stats.isFIFO()) {
		return 'a FIFO';
	}

	if (stats.isDirectory()) {
		return 'a directory';
	}

	if (stats.isSocket()) {
		return 'a socket';
	}

	return stats.isFile() ? 'a regular file' : 'a device';
}

export class NotRegularFileError extends Error {
	readonly code = 'ENOTREGULAR';

	constructor(file: string, stats: Stats) {
		super(`${file} is ${kindOf(stats)}, not a regular file; the gateway only uses regular log files: remove it`);
		this.name = 'NotRegularFileError';
	}
}

/** lstat, or undefined when nothing is there. */
export function lstatOrUndefined(file: string): Stats | undefined {
	try {
		return lstatSync(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

function checkedFd(file: string, fd: number): {fd: number; stats: Stats} {
	const stats = fstatSync(fd);
	if (!stats.isFile()) {
		closeSync(fd);
		throw new NotRegularFileError(file, stats);
	}

	return {fd, stats};
}

export type AppendHandle = {fd: number; stats: Stats; created: boolean};

/** Open `file` for appending, creating it (0600) if absent; `created` says whether this call made it. */
export function openForAppend(file: string): AppendHandle {
	const existing = lstatOrUndefined(file);
	if (existing && !existing.isFile()) {
		throw new NotRegularFileError(file, existing);
	}

	try {
		const fd = openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK, 0o600);
		return {...checkedFd(file, fd), created: true};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}
	}

	const fd = openSync(file, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK);
	return {...checkedFd(file, fd), created: false};
}

/** Open a regular file for reading; throws for anything else (a FIFO would block the reader forever). */
export function openForRead(file: string): number {
	return checkedFd(file, openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)).fd;
}

/** Replace a small file atomically; a symlink planted at its path or at the temp path is replaced, never followed. */
export function replaceSmallFile(file: string, text: string): void {
	const temp = `${file}.${process.pid}.tmp`;
	try {
		unlinkSync(temp);
	} catch {}

	const fd = openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
	try {
		writeSync(fd, text);
	} finally {
		closeSync(fd);
	}

	renameSync(temp, file);
}
