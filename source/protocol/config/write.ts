// Atomic file writes: temp file in the same directory, fsync, rename. A reader sees the old file or the new one,
// never half of either, and a failed write leaves the old file as it was.
import {randomBytes} from 'node:crypto';
import {mkdir, open, rename, stat, unlink} from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(
	filePath: string,
	data: string,
	options: {mode?: number; dirMode?: number} = {},
): Promise<void> {
	const dir = path.dirname(filePath);
	await mkdir(dir, {recursive: true, mode: options.dirMode ?? 0o700});
	let mode = options.mode;
	if (mode === undefined) {
		try {
			mode = (await stat(filePath)).mode & 0o777;
		} catch {
			mode = 0o600;
		}
	}

	const temp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	const handle = await open(temp, 'wx', mode);
	try {
		await handle.writeFile(data);
		await handle.chmod(mode);
		await handle.sync();
	} catch (error) {
		await handle.close();
		await unlink(temp).catch(() => {});
		throw error;
	}

	await handle.close();
	try {
		await rename(temp, filePath);
	} catch (error) {
		await unlink(temp).catch(() => {});
		throw error;
	}
}

/** A config as plain JSON (valid JSON5), two-space indented, with a trailing newline: new files and the rewrite edit-text.ts falls back to. */
export function serializeConfig(config: unknown): string {
	return `${JSON.stringify(config, null, 2)}\n`;
}
