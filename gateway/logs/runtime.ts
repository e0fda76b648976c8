// The process-wide logging set-up: one writer (rotation, fault handling), one redactor, one Logger tree. It
// outlives server generations, so an in-process restart neither reopens the file nor loses the fault counters.
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import {Logger, logLevels, type LogLevel} from '../logger.js';
import {chooseLogFile, logFilePath, resolveLogDir} from '../../source/protocol/logs/location.js';
import {collectSecretValues, Redactor} from './redact.js';
import {defaultMaxFileBytes, defaultMaxFiles, LogWriter} from './writer.js';

export type GatewayLogging = {
	/** Fixed for the life of the process; `logging.file` only names a file in it. */
	logDir: string;
	writer: LogWriter;
	redactor: Redactor;
	logger: Logger;
	/** --verbose: file and stdio at trace, whatever logging.level says. */
	verbose: boolean;
	/** OPENCLAW_LOG_LEVEL: the file level, whatever logging.level says (a hot reload does not undo it). */
	levelOverride?: LogLevel;
};


export function createGatewayLogging(options: {
	stateDir: string;
	config: GatewayConfig;
	/** Default: OPENCLAW_LOG_DIR, else <stateDir>/logs. */
	logDir?: string;
	verbose?: boolean;
	envLevel?: string;
}): GatewayLogging {
	const {config} = options;
	const logDir = options.logDir ?? resolveLogDir(options.stateDir);
	const choice = chooseLogFile(logDir, config.logging?.file);
	const verbose = options.verbose === true;
	const envLevel = options.envLevel?.trim().toLowerCase();
	const levelOverride = (logLevels as readonly string[]).includes(envLevel ?? '') ? (envLevel as LogLevel) : undefined;
	const redactor = new Redactor({patterns: config.logging?.redactPatterns});
	redactor.setSecrets('config', collectSecretValues(config));
	const writer = new LogWriter({
		file: logFilePath(logDir, config),
		maxFileBytes: config.logging?.maxFileBytes,
		maxFiles: config.logging?.maxFiles,
	});
	const logger = new Logger({
		level: verbose ? 'trace' : (levelOverride ?? config.logging?.level ?? 'info'),
		consoleLevel: verbose ? 'trace' : 'silent',
		sinks: [(line) => writer.write(line)],
		redact: (text) => redactor.redact(text),
	});
	if (!choice.ok) {
		// run.ts refuses to start on this; a caller that got here anyway gets the default file and the reason.
		logger.child('gateway/logs').error('logging.file refused; writing the default log file', {error: choice.error, file: writer.path});
	}

	return {logDir, writer, redactor, logger, verbose, levelOverride};
}

/** Hot reload of the `logging.*` keys (and of the config secrets to mask). */
export function applyLoggingConfig(logging: GatewayLogging, config: GatewayConfig): void {
	logging.redactor.setSecrets('config', collectSecretValues(config));
	const invalid = logging.redactor.setPatterns(config.logging?.redactPatterns ?? []);
	if (invalid.length > 0) {
		logging.logger.warn('ignored invalid logging.redactPatterns entries', {count: invalid.length});
	}

	if (!logging.verbose && !logging.levelOverride) {
		logging.logger.setLevel(config.logging?.level ?? 'info');
	}

	const choice = chooseLogFile(logging.logDir, config.logging?.file);
	if (!choice.ok) {
		// Config validation refuses this before it gets here; this is the last line of defence, not the report.
		logging.logger.child('gateway/logs').error('logging.file refused; keeping the current log file', {error: choice.error, file: logging.writer.path});
	}

	logging.writer.configure({
		file: choice.ok ? choice.file : logging.writer.path,
		maxFileBytes: config.logging?.maxFileBytes ?? defaultMaxFileBytes,
		maxFiles: config.logging?.maxFiles ?? defaultMaxFiles,
	});
}
