import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import {tailLog} from '../../source/protocol/logs/tail.js';
import type {LogWriter} from '../logs/writer.js';
import {defineMethod} from './types.js';

/** OpenClaw's limits and its ajv-style messages ("invalid logs.tail params: at /limit: must be integer"). */
function boundedInt(min: number, max?: number) {
	const base = z.number({invalid_type_error: 'must be integer'}).int({message: 'must be integer'}).min(min, {message: `must be >= ${min}`});
	return (max === undefined ? base : base.max(max, {message: `must be <= ${max}`})).optional();
}

export const logsTailParams = z
	.object({cursor: boundedInt(0), limit: boundedInt(1, 5000), maxBytes: boundedInt(1, 1_000_000)})
	.strict();

export function logsTailMethod(source: () => {writer: LogWriter; redact: (line: string) => string}) {
	return defineMethod({
		name: 'logs.tail',
		scope: scopes.read,
		params: logsTailParams,
		handler(params) {
			const {writer, redact} = source();
			try {
				return tailLog(writer.path, writer.segments(), params, redact);
			} catch (error) {
				throw new GatewayError({code: errorCodes.unavailable, message: `log read failed: ${(error as Error).message}`});
			}
		},
	});
}
