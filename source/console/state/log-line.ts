// One log line as the console shows it, parsed from any of its sources: the gateway's JSON lines (logs.tail), the
// child's plain stdout/stderr (`<iso time> LEVEL subsystem message`), or anything else (kept raw).
import {isRecord} from '../../protocol/index.js';

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogSource = 'file' | 'stdout' | 'stderr' | 'console';

export type ParsedLogLine = {
	time?: string;
	level?: LogLevel;
	subsystem?: string;
	/** The message's first line. */
	message: string;
	/** The message's further lines, when it had line breaks (a stack trace, a pretty-printed value): one row each. */
	continuation?: string[];
	source: LogSource;
};

export type LogLine = ParsedLogLine & {seq: number};

const plainLine = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s+(\S+)\s?(.*)$/;
const levelWord = /\b(trace|debug|info|warn|warning|error|fatal)\b/i;

export function toLevel(value: unknown): LogLevel | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	const lower = value.toLowerCase();
	if (lower === 'warning') {
		return 'warn';
	}

	return (logLevels as readonly string[]).includes(lower) ? (lower as LogLevel) : undefined;
}

function subsystemFromMeta(meta: Record<string, unknown>): string | undefined {
	if (typeof meta.name !== 'string') {
		return undefined;
	}

	try {
		const name = JSON.parse(meta.name) as unknown;
		return isRecord(name) && typeof name.subsystem === 'string' ? name.subsystem : undefined;
	} catch {
		return meta.name;
	}
}

function fromJson(record: Record<string, unknown>, source: LogSource): ParsedLogLine {
	const meta = isRecord(record._meta) ? record._meta : {};
	const message =
		typeof record.message === 'string' ? record.message : typeof record.msg === 'string' ? record.msg : typeof record['0'] === 'string' ? record['0'] : JSON.stringify(record);
	const fields = isRecord(record.fields) && Object.keys(record.fields).length > 0 ? ` ${JSON.stringify(record.fields)}` : '';
	return {
		time: typeof record.time === 'string' ? record.time : typeof meta.date === 'string' ? meta.date : undefined,
		level: toLevel(record.level) ?? toLevel(meta.logLevelName),
		subsystem: typeof record.subsystem === 'string' ? record.subsystem : subsystemFromMeta(meta),
		message: message + fields,
		source,
	};
}

/**
 * A message with line breaks (\n or \r\n) cut into its first line and the rest, once, as the line is parsed: the
 * pane then draws each as a row and never searches a held line for breaks again. Cut here, before the reducer makes
 * every string terminal-safe, no line break is left in any string of the state (a stray one would show as ^J).
 * Trailing blank lines are dropped; a lone \r stays in the text (the reducer shows it as ^M).
 */
function splitMessage(line: ParsedLogLine): ParsedLogLine {
	if (!line.message.includes('\n')) {
		return line;
	}

	const parts = line.message.split(/\r?\n/);
	while (parts.length > 1 && parts.at(-1)!.trim() === '') {
		parts.pop();
	}

	return parts.length === 1 ? {...line, message: parts[0]} : {...line, message: parts[0], continuation: parts.slice(1)};
}

export function parseLogLine(text: string, source: LogSource): ParsedLogLine {
	return splitMessage(parseLogText(text, source));
}

function parseLogText(text: string, source: LogSource): ParsedLogLine {
	const trimmed = text.replace(/\s+$/, '');
	if (trimmed.startsWith('{')) {
		try {
			const value = JSON.parse(trimmed) as unknown;
			if (isRecord(value)) {
				return fromJson(value, source);
			}
		} catch {
			// Not JSON after all: shown as text below.
		}
	}

	const plain = plainLine.exec(trimmed);
	if (plain) {
		return {time: plain[1], level: toLevel(plain[2]), subsystem: plain[3], message: plain[4], source};
	}

	const word = levelWord.exec(trimmed.slice(0, 40));
	return {message: trimmed, level: toLevel(word?.[1]) ?? (source === 'stderr' ? 'warn' : undefined), source};
}

/**
 * The same record can reach the console twice: in the log file (logs.tail) and mirrored on the child's stdout.
 * Both parse to the same time + message, which identifies it.
 */
export function dedupeKey(line: ParsedLogLine): string | undefined {
	return line.time ? `${line.time}\u0000${line.message}${line.continuation ? `\n${line.continuation.join('\n')}` : ''}` : undefined;
}

/** The record's text lines: its message's first line and each continuation line. */
export function textLineCount(line: ParsedLogLine): number {
	return 1 + (line.continuation?.length ?? 0);
}

/** `HH:MM:SS.mmm` in UTC (what the gateway writes), or blanks when the line has no time. */
export function shortTime(time: string | undefined): string {
	const match = time ? /T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(time) : undefined;
	return (match?.[1] ?? '').padEnd(12);
}

/** What stands before the message on a record's first row: time, level and subsystem. */
export function formatLogPrefix(line: ParsedLogLine, options: {timestamps: boolean}): string {
	const level = (line.level ?? '').toUpperCase().padEnd(5);
	const subsystem = line.subsystem ? `${line.subsystem} ` : '';
	return `${options.timestamps ? `${shortTime(line.time)} ` : ''}${level} ${subsystem}`;
}

/** The record's first row (continuation lines are rows of their own, see log-rows.ts). */
export function formatLogLine(line: ParsedLogLine, options: {timestamps: boolean}): string {
	return `${formatLogPrefix(line, options)}${line.message}`;
}
