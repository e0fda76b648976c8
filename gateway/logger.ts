// The gateway's logger: JSON lines (time, level, subsystem, message, fields) to a file in <stateDir>/logs/,
// optionally mirrored to stdio. Each record also carries tslog-style `_meta` so OpenClaw's own `openclaw logs`
// renders our lines as it renders its gateway's.
import {appendFileSync, mkdirSync} from 'node:fs';
import path from 'node:path';

export const logLevels = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

const rank: Record<LogLevel, number> = {silent: 0, fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6};

export type LogRecord = {
	time: string;
	level: Exclude<LogLevel, 'silent'>;
	subsystem: string;
	message: string;
	fields?: Record<string, unknown>;
};

export type LogSink = (line: string, record: LogRecord) => void;

export type LoggerOptions = {
	/** Level for the file; default info. */
	level?: LogLevel;
	/** Level mirrored to stdio (stdout for < warn, stderr for warn and worse); default info, debug/trace with --verbose. */
	consoleLevel?: LogLevel;
	file?: string;
	/** Extra sinks (tests, the log writer with rotation). */
	sinks?: LogSink[];
	/** Mask secrets in a line before it goes anywhere. */
	redact?: (text: string) => string;
};

export class Logger {
	constructor(
		private readonly options: LoggerOptions,
		readonly subsystem = 'gateway',
	) {
		if (options.file) {
			try {
				mkdirSync(path.dirname(options.file), {recursive: true, mode: 0o700});
			} catch {
				// Reported by the failed writes; a broken log directory must not stop the gateway from starting.
			}
		}
	}

	child(subsystem: string): Logger {
		return new Logger(this.options, subsystem);
	}

	setLevel(level: LogLevel): void {
		this.options.level = level;
	}

	get level(): LogLevel {
		return this.options.level ?? 'info';
	}

	fatal(message: string, fields?: Record<string, unknown>): void {
		this.log('fatal', message, fields);
	}

	error(message: string, fields?: Record<string, unknown>): void {
		this.log('error', message, fields);
	}

	warn(message: string, fields?: Record<string, unknown>): void {
		this.log('warn', message, fields);
	}

	info(message: string, fields?: Record<string, unknown>): void {
		this.log('info', message, fields);
	}

	debug(message: string, fields?: Record<string, unknown>): void {
		this.log('debug', message, fields);
	}

	trace(message: string, fields?: Record<string, unknown>): void {
		this.log('trace', message, fields);
	}

	enabled(level: LogLevel): boolean {
		const fileOn = rank[level] <= rank[this.options.level ?? 'info'];
		const consoleOn = rank[level] <= rank[this.options.consoleLevel ?? 'silent'];
		return fileOn || consoleOn;
	}

	log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
		if (!this.enabled(level)) {
			return;
		}

		const record: LogRecord = {time: new Date().toISOString(), level, subsystem: this.subsystem, message};
		if (fields && Object.keys(fields).length > 0) {
			record.fields = fields;
		}

		let line = JSON.stringify({
			...record,
			_meta: {logLevelName: level.toUpperCase(), name: JSON.stringify({subsystem: this.subsystem})},
		});
		if (this.options.redact) {
			line = this.options.redact(line);
		}

		if (rank[level] <= rank[this.options.level ?? 'info']) {
			if (this.options.file) {
				try {
					appendFileSync(this.options.file, `${line}\n`);
				} catch {
					// A log directory that is unwritable must not take the gateway down; health reports it.
				}
			}

			for (const sink of this.options.sinks ?? []) {
				sink(line, record);
			}
		}

		if (rank[level] <= rank[this.options.consoleLevel ?? 'silent']) {
			const text = `${record.time} ${level.toUpperCase().padEnd(5)} ${this.subsystem} ${this.options.redact ? this.options.redact(message) : message}${
				record.fields ? ` ${this.options.redact ? this.options.redact(JSON.stringify(record.fields)) : JSON.stringify(record.fields)}` : ''
			}\n`;
			(rank[level] <= rank.warn ? process.stderr : process.stdout).write(text);
		}
	}
}

/** A logger that writes nowhere: for tests and library use. */
export function silentLogger(): Logger {
	return new Logger({level: 'silent', consoleLevel: 'silent'});
}
