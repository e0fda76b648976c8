// Gateway log lines -> `<time> <LEVEL> <subsystem> <message>`. Understands our JSON lines ({time, level, subsystem,
// message, fields}) and OpenClaw's tslog records ({"0": '{"subsystem":...}', "1": msg, _meta:{logLevelName,date,name}}).
// Anything that is not a JSON object is passed through raw.
import {isRecord} from '../protocol/index.js';

export const levelNames = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LevelName = (typeof levelNames)[number];

export type ParsedLine =
	| {type: 'log'; time?: string; level?: string; subsystem?: string; message: string; fields?: Record<string, unknown>}
	| {type: 'raw'; line: string};

function subsystemFrom(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value.startsWith('{')) {
		return undefined;
	}

	try {
		const parsed = JSON.parse(value) as unknown;
		return isRecord(parsed) && typeof parsed.subsystem === 'string' ? parsed.subsystem : undefined;
	} catch {
		return undefined;
	}
}

export function parseLogLine(line: string): ParsedLine {
	let record: unknown;
	try {
		record = line.trimStart().startsWith('{') ? JSON.parse(line) : undefined;
	} catch {}

	if (!isRecord(record)) {
		return {type: 'raw', line};
	}

	const meta = isRecord(record._meta) ? record._meta : {};
	const time = typeof record.time === 'string' ? record.time : typeof meta.date === 'string' ? meta.date : undefined;
	const levelRaw = typeof record.level === 'string' ? record.level : typeof meta.logLevelName === 'string' ? meta.logLevelName : undefined;
	let subsystem = typeof record.subsystem === 'string' ? record.subsystem : (subsystemFrom(meta.name) ?? subsystemFrom(record['0']));
	const numbered = Object.keys(record)
		.filter((key) => /^\d+$/.test(key))
		.sort((a, b) => Number(a) - Number(b))
		.map((key) => record[key]);
	if (numbered.length > 0 && subsystemFrom(numbered[0]) !== undefined) {
		subsystem ??= subsystemFrom(numbered[0]);
		numbered.shift();
	}

	const message =
		typeof record.message === 'string'
			? record.message
			: numbered.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
	const fields = isRecord(record.fields) ? record.fields : undefined;
	return {type: 'log', time, level: levelRaw?.toLowerCase(), subsystem, message, ...(fields ? {fields} : {})};
}

export function parseLevel(value: string): LevelName | undefined {
	const lower = value.toLowerCase();
	return (levelNames as readonly string[]).includes(lower) ? (lower as LevelName) : undefined;
}

/** Does a line pass `--level L` (L and worse)? Lines without a level always pass. */
export function passesLevel(parsed: ParsedLine, minimum: LevelName | undefined): boolean {
	if (!minimum || parsed.type === 'raw' || !parsed.level) {
		return true;
	}

	const rank = levelNames.indexOf(parsed.level as LevelName);
	return rank === -1 || rank <= levelNames.indexOf(minimum);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** ISO time in UTC, or local time with its offset. Unparseable times are printed as given. */
export function formatTime(time: string | undefined, utc: boolean): string {
	if (!time) {
		return '-';
	}

	const date = new Date(time);
	if (Number.isNaN(date.getTime())) {
		return time;
	}

	if (utc) {
		return date.toISOString();
	}

	const offset = -date.getTimezoneOffset();
	const sign = offset >= 0 ? '+' : '-';
	const abs = Math.abs(offset);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(
		date.getSeconds(),
	)}.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function formatLogLine(parsed: ParsedLine, options: {utc: boolean}): string {
	if (parsed.type === 'raw') {
		return parsed.line;
	}

	const fields = parsed.fields && Object.keys(parsed.fields).length > 0 ? ` ${JSON.stringify(parsed.fields)}` : '';
	return `${formatTime(parsed.time, options.utc)} ${(parsed.level ?? '-').toUpperCase().padEnd(5)} ${parsed.subsystem ?? '-'} ${parsed.message}${fields}`;
}

/** The stderr notices OpenClaw prints for a tail result's flags. */
export function tailNotices(result: {truncated?: boolean; reset?: boolean; skippedBytes?: number}): string[] {
	const notices: string[] = [];
	if (result.reset) {
		notices.push('Log cursor reset (file rotated).');
	}

	if (typeof result.skippedBytes === 'number' && result.skippedBytes > 0) {
		notices.push(`Log cursor re-anchored (skipped ${result.skippedBytes} bytes).`);
	}

	if (result.truncated) {
		notices.push('Log tail truncated (increase --limit or --max-bytes).');
	}

	return notices;
}
