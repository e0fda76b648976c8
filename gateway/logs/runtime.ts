// The process-wide logging set-up: one writer (rotation, fault handling), one redactor, one Logger tree. It
// outlives server generations, so an in-process restart neither reopens the file nor loses the fault counters.
import path from 'node:path';
import type {GatewayConfig} from '../config/schema.js';
import {Logger, logLevels, type LogLevel} from '../logger.js';
import {collectSecretValues, Redactor} from './redact.js';
import {defaultMaxFileBytes, defaultMaxFiles, LogWriter} from './writer.js';

export type GatewayLogging = {
	writer: LogWriter;
	redactor: Redactor;
	logger: Logger;
	/** --verbose: file and stdio at trace, whatever logging.level says. */
	verbose: boolean;
	/** OPENCLAW_LOG_LEVEL: the file level, whatever logging.level says (a hot reload does not undo it). */
	levelOverride?: LogLevel;
};

export function logFilePath(stateDir: string, config: GatewayConfig): string {
	return config.logging?.file ? path.resolve(config.logging.file) : path.join(stateDir, 'logs', 'gateway.log');
}

export function createGatewayLogging(options: {stateDir: string; config: GatewayConfig; verbose?: boolean; envLevel?: string}): GatewayLogging {
	const {config} = options;
	const verbose = options.verbose === true;
	const envLevel = options.envLevel?.trim().toLowerCase();
	const levelOverride = (logLevels as readonly string[]).includes(envLevel ?? '') ? (envLevel as LogLevel) : undefined;
	const redactor = new Redactor({patterns: config.logging?.redactPatterns});
	redactor.setSecrets('config', collectSecretValues(config));
	const writer = new LogWriter({
		file: logFilePath(options.stateDir, config),
		maxFileBytes: config.logging?.maxFileBytes,
		maxFiles: config.logging?.maxFiles,
	});
	const logger = new Logger({
		level: verbose ? 'trace' : (levelOverride ?? config.logging?.level ?? 'info'),
		consoleLevel: verbose ? 'trace' : 'silent',
		sinks: [(line) => writer.write(line)],
		redact: (text) => redactor.redact(text),
	});
	return {writer, redactor, logger, verbose, levelOverride};
}

/** Hot reload of the `logging.*` keys (and of the config secrets to mask). */
export function applyLoggingConfig(logging: GatewayLogging, stateDir: string, config: GatewayConfig): void {
	logging.redactor.setSecrets('config', collectSecretValues(config));
	const invalid = logging.redactor.setPatterns(config.logging?.redactPatterns ?? []);
	if (invalid.length > 0) {
		logging.logger.warn('ignored invalid logging.redactPatterns entries', {count: invalid.length});
	}

	if (!logging.verbose && !logging.levelOverride) {
		logging.logger.setLevel(config.logging?.level ?? 'info');
	}

	logging.writer.configure({
		file: logFilePath(stateDir, config),
		maxFileBytes: config.logging?.maxFileBytes ?? defaultMaxFileBytes,
		maxFiles: config.logging?.maxFiles ?? defaultMaxFiles,
	});
}
