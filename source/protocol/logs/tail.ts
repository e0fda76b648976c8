// `logs.tail` over the logical log stream (segments.ts). Without a cursor it returns the newest lines, as OpenClaw
// does. With a cursor it reads FORWARD from it, at most `maxBytes` and `limit` lines per call, and returns the
// cursor just past the last line it returned: a follower that calls again while `cursor < size` reads every line
// exactly once, across rotations. `reset` is set only when the cursor's data no longer exists (pruned archive, or a
// cursor beyond the end, e.g. from before the log was wiped); `skippedBytes` then says how much was lost.
import {closeSync, readSync} from 'node:fs';
import type {LogsTailResult} from '../index.js';
import {openForRead} from './files.js';
import type {LogSegment} from './segments.js';

export type TailParams = {cursor?: number; limit?: number; maxBytes?: number};

export const tailDefaults = {limit: 500, maxBytes: 250_000} as const;

const newline = 0x0a;

type Range = {data: Buffer; /** The segment that could not be read (deleted or moved by hand), if any. */ unreadable?: LogSegment};

/** Bytes [start, start+length) of the stream, stopping early at a gap or a file that has gone. */
function readRange(segments: readonly LogSegment[], start: number, length: number): Range {
	const parts: Buffer[] = [];
	let position = start;
	const end = start + length;
	for (const segment of segments) {
		const segmentEnd = segment.base + segment.size;
		if (segmentEnd <= position || segment.size === 0) {
			continue;
		}

		if (segment.base > position || position >= end) {
			break;
		}

		const want = Math.min(end, segmentEnd) - position;
		const buffer = Buffer.alloc(want);
		let got = 0;
		let fd: number | undefined;
		try {
			fd = openForRead(segment.path);
			while (got < want) {
				const n = readSync(fd, buffer, got, want - got, position - segment.base + got);
				if (n === 0) {
					break;
				}

				got += n;
			}
		} catch {
			// Pruned, moved, or replaced by a symlink or FIFO: what we have so far is still contiguous.
		} finally {
			if (fd !== undefined) {
				closeSync(fd);
			}
		}

		parts.push(buffer.subarray(0, got));
		position += got;
		if (got < want) {
			return {data: Buffer.concat(parts), unreadable: segment};
		}
	}

	return {data: Buffer.concat(parts)};
}

/** Where readable data resumes at or after `offset` (the start of the segment holding it, or of the next one). */
function nextAvailable(segments: readonly LogSegment[], offset: number): number | undefined {
	for (const segment of segments) {
		if (segment.base + segment.size > offset) {
			return Math.max(segment.base, offset);
		}
	}

	return undefined;
}

function atLineStart(segments: readonly LogSegment[], offset: number): boolean {
	if (segments.some((segment) => segment.base === offset)) {
		return true;
	}

	const previous = readRange(segments, offset - 1, 1).data;
	return previous.length === 0 || previous[0] === newline;
}

function splitLines(chunk: Buffer): {lines: string[]; ends: number[]} {
	const lines: string[] = [];
	const ends: number[] = [];
	let from = 0;
	for (;;) {
		const index = chunk.indexOf(newline, from);
		if (index === -1) {
			break;
		}

		lines.push(chunk.toString('utf8', from, index).replace(/\r$/, ''));
		ends.push(index + 1);
		from = index + 1;
	}

	return {lines, ends};
}

export function tailLog(
	file: string,
	segments: readonly LogSegment[],
	params: TailParams,
	redact: (line: string) => string = (line) => line,
): LogsTailResult {
	const limit = params.limit ?? tailDefaults.limit;
	const maxBytes = params.maxBytes ?? tailDefaults.maxBytes;
	const active = segments.at(-1);
	const size = active ? active.base + active.size : 0;
	const earliest = nextAvailable(segments, 0) ?? size;
	const result: LogsTailResult = {file, cursor: size, size, lines: []};
	const {cursor} = params;

	if (cursor === undefined || cursor > size) {
		if (cursor !== undefined) {
			result.reset = true;
		}

		let start = Math.max(size - maxBytes, earliest);
		start = nextAvailable(segments, start) ?? size;
		const range = readRange(segments, start, size - start);
		const split = splitLines(range.data);
		let {lines} = split;
		let truncated = start > earliest;
		if (!atLineStart(segments, start) && lines.length > 0) {
			lines = lines.slice(1);
		}

		if (lines.length > limit) {
			lines = lines.slice(-limit);
			truncated = true;
		}

		result.lines = lines.map(redact);
		// Data that cannot be read now (files moved away by hand) never will be: a follower starts after it.
		result.cursor = range.unreadable ? size : start + (split.ends.at(-1) ?? 0);
		if (truncated) {
			result.truncated = true;
		}

		return result;
	}

	let start = cursor;
	const resume = nextAvailable(segments, cursor);
	if (resume === undefined) {
		return result;
	}

	if (resume > cursor) {
		result.reset = true;
		result.skippedBytes = resume - cursor;
		start = resume;
	}

	let range = readRange(segments, start, Math.min(maxBytes, size - start));
	for (let attempts = 0; range.data.length === 0 && range.unreadable && attempts < segments.length; attempts++) {
		// The file holding the cursor is gone although the writer still lists it: skip past it, as after pruning.
		const next = range.unreadable.base + range.unreadable.size;
		result.reset = true;
		result.skippedBytes = (result.skippedBytes ?? 0) + next - start;
		start = next;
		range = readRange(segments, start, Math.min(maxBytes, size - start));
	}

	const chunk = range.data;
	const {lines, ends} = splitLines(chunk);
	let first = 0;
	if (!atLineStart(segments, start) && lines.length > 0) {
		// A cursor in the middle of a line (not one we handed out): skip to the next whole line.
		first = 1;
		result.skippedBytes = (result.skippedBytes ?? 0) + ends[0];
	}

	const taken = lines.slice(first, first + limit);
	const consumedEnd = taken.length > 0 ? ends[first + taken.length - 1] : first === 1 ? ends[0] : 0;
	if (lines.length === 0 && chunk.length === maxBytes) {
		// One line longer than maxBytes: hand out its head, marked truncated, and move past it.
		result.lines = [redact(chunk.toString('utf8'))];
		result.cursor = start + chunk.length;
		result.truncated = true;
		return result;
	}

	result.lines = taken.map(redact);
	result.cursor = start + consumedEnd;
	return result;
}
