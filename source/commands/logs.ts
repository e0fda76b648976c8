// `openclaw logs [--follow]`: the gateway's log tail over `logs.tail`. Following keeps ONE connection: it polls by
// cursor every --interval and at once when a `logs.appended` event says there is more; after a gateway restart the
// client reconnects and the next poll resumes from the same cursor (the gateway maps cursors across rotation).
// Without --follow, a local gateway that is down is read from its log file instead, as OpenClaw's CLI does.
import {Output} from '../cli-output/output.js';
import {GatewayConnectError} from '../client/gateway-client.js';
import {events, GatewayError, isRecord, type LogsTailResult} from '../protocol/index.js';
import {describeFailure, withConfigHint, openSession, reportFailure, requireServed, type Session} from './command-connect.js';
import {commandTarget, stringFlag, timeoutFlag, UsageError} from './command-target.js';
import {formatLogLine, parseLevel, parseLogLine, passesLevel, tailNotices, type LevelName} from './logs-format.js';
import {localLogReader, type LocalLogReader} from './logs-local.js';
import type {logsFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

type LogsOptions = {limit: number; maxBytes: number; intervalMs: number; level?: LevelName; utc: boolean; follow: boolean};

function intFlag(context: CommandContext<typeof logsFlags>, name: 'limit' | 'maxBytes' | 'interval', flag: string, fallback: number, max: number): number {
	const raw = stringFlag(context, name);
	if (raw === undefined) {
		return fallback;
	}

	const value = Number(raw);
	if (!/^\d+$/.test(raw.trim()) || value < 1 || value > max) {
		throw new UsageError(`invalid ${flag} ${JSON.stringify(raw)}: use a whole number from 1 to ${max}`);
	}

	return value;
}

function logsOptions(context: CommandContext<typeof logsFlags>): LogsOptions {
	const levelRaw = stringFlag(context, 'level');
	const level = levelRaw === undefined ? undefined : parseLevel(levelRaw);
	if (levelRaw !== undefined && !level) {
		throw new UsageError(`invalid --level ${JSON.stringify(levelRaw)}: use fatal, error, warn, info, debug or trace`);
	}

	return {
		limit: intFlag(context, 'limit', '--limit', 200, maxTailLines),
		maxBytes: intFlag(context, 'maxBytes', '--max-bytes', 250_000, 10_000_000),
		intervalMs: intFlag(context, 'interval', '--interval', 1000, 3_600_000),
		level,
		utc: context.flags.utc === true,
		follow: context.flags.follow === true,
	};
}

function asTailResult(payload: unknown): LogsTailResult {
	const result = isRecord(payload) ? payload : {};
	return {
		file: typeof result.file === 'string' ? result.file : '',
		cursor: typeof result.cursor === 'number' ? result.cursor : 0,
		size: typeof result.size === 'number' ? result.size : 0,
		lines: Array.isArray(result.lines) ? result.lines.map(String) : [],
		truncated: result.truncated === true,
		reset: result.reset === true,
		skippedBytes: typeof result.skippedBytes === 'number' ? result.skippedBytes : undefined,
	};
}

/** Most lines one tail asks for: with --level, the tail reads this many so that --limit counts lines that pass it. */
const maxTailLines = 5000;

/** What the first tail asks for: --limit lines, or with --level as many as allowed (the limit applies after the level). */
function tailLimit(options: LogsOptions): number {
	return options.level ? maxTailLines : options.limit;
}

function printResult(output: Output, result: LogsTailResult, options: LogsOptions, keepLast?: number): void {
	for (const notice of tailNotices(result)) {
		if (output.json) {
			output.record({type: 'notice', message: notice});
		} else {
			output.notice(output.paint('warn', notice));
		}
	}

	const passing = result.lines.map((line) => ({line, parsed: parseLogLine(line)})).filter(({parsed}) => passesLevel(parsed, options.level));
	for (const {line, parsed} of keepLast === undefined ? passing : passing.slice(-keepLast)) {
		if (output.json) {
			output.record(parsed.type === 'raw' ? parsed : {...parsed, raw: line});
		} else {
			output.line(formatLogLine(parsed, {utc: options.utc}));
		}
	}
}

function isTransient(error: unknown): boolean {
	return error instanceof GatewayError && (error.code === 'UNAVAILABLE' || error.retryable === true);
}

async function follow(session: Session, output: Output, options: LogsOptions, startCursor: number): Promise<number> {
	const {client} = session;
	let cursor = startCursor;
	let stopped = false;
	let exitCode = 0;
	let pendingWake = false;
	let wake: (() => void) | undefined;
	let disconnected = false;
	const signalWake = () => {
		pendingWake = true;
		wake?.();
	};

	const notice = (message: string) => (output.json ? output.record({type: 'notice', message}) : output.notice(message));
	client.on('event', (frame) => {
		if (frame.event !== events.logsAppended) {
			return;
		}

		const payload = isRecord(frame.payload) ? frame.payload : {};
		const end = typeof payload.cursor === 'number' ? payload.cursor : typeof payload.size === 'number' ? payload.size : undefined;
		if (end === undefined || end !== cursor) {
			signalWake();
		}
	});
	client.on('state', (state, info) => {
		if (state === 'reconnecting' && info.retryInMs !== undefined && !disconnected) {
			disconnected = true;
			notice(`[logs] gateway disconnected, reconnecting in ${Math.max(1, Math.round(info.retryInMs / 1000))}s...`);
		} else if (state === 'connected' && disconnected) {
			disconnected = false;
			notice('[logs] gateway reconnected');
			signalWake();
		} else if (state === 'auth-failed') {
			output.error(output.paint('fail', info.error?.message ?? 'authentication failed on reconnect'));
			exitCode = 1;
			stopped = true;
			signalWake();
		}
	});
	const stop = () => {
		stopped = true;
		signalWake();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	let lastPoll = 0;
	try {
		while (!stopped) {
			if (!pendingWake) {
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, options.intervalMs);
					wake = () => {
						clearTimeout(timer);
						resolve();
					};
				});
				wake = undefined;
			}

			pendingWake = false;
			if (stopped) {
				break;
			}

			// A flood of `logs.appended` events must not turn into a busy loop of polls.
			const sinceLast = Date.now() - lastPoll;
			if (sinceLast < 100) {
				await new Promise((resolve) => setTimeout(resolve, 100 - sinceLast));
			}

			if (client.state !== 'connected') {
				continue;
			}

			lastPoll = Date.now();
			try {
				// Each answer reads forward from the cursor and stops at maxBytes/limit: drain until caught up.
				for (let batch = 0; batch < 1000 && !stopped; batch++) {
					const result = asTailResult(
						await client.request('logs.tail', {cursor, limit: Math.max(options.limit, 1000), maxBytes: options.maxBytes}),
					);
					printResult(output, result, options);
					const advanced = result.cursor !== cursor;
					cursor = result.cursor;
					if (!advanced || result.cursor >= result.size) {
						break;
					}
				}
			} catch (error) {
				// A drop, or a gateway on its way down ("shutting down; retry after reconnecting"): the reconnect resumes.
				if (error instanceof GatewayConnectError || client.state !== 'connected' || isTransient(error)) {
					continue;
				}

				const failure = describeFailure(error, client.url);
				if (failure.kind === 'timeout') {
					continue;
				}

				output.error(output.paint('fail', `logs.tail failed: ${failure.message}`));
				return 1;
			}
		}
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}

	return exitCode;
}

export async function run(context: CommandContext<typeof logsFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context, 'client');
	const options = logsOptions(context);
	const timeoutMs = timeoutFlag(context);
	let session: Session | undefined;
	try {
		session = await openSession(target, {
			timeoutMs,
			scopes: ['operator.read'],
			reconnect: options.follow ? {initialMs: 250, maxMs: 5000} : false,
		});
		requireServed(session, 'logs.tail');
		const first = asTailResult(await session.client.request('logs.tail', {limit: tailLimit(options), maxBytes: options.maxBytes}, {timeoutMs}));
		if (output.json) {
			output.record({type: 'meta', file: first.file, cursor: first.cursor, size: first.size});
		} else {
			output.notice(`Log file: ${first.file}`);
		}

		printResult(output, {...first, reset: false}, options, options.limit);
		return options.follow ? await follow(session, output, options, first.cursor) : 0;
	} catch (error) {
		const failure = withConfigHint(describeFailure(error, target.url), target);
		if (session === undefined && !options.follow && failure.kind === 'unreachable') {
			const reader = await localLogReader(target);
			if (reader) {
				return printLocalFile(output, reader, options, failure.message);
			}
		}

		return reportFailure(output, failure);
	} finally {
		await session?.client.close();
	}
}

/** The tail of the local gateway's log file, after saying why it is not the gateway answering. */
function printLocalFile(output: Output, reader: LocalLogReader, options: LogsOptions, why: string): number {
	const notice = 'Local Gateway RPC unavailable; reading configured file log instead.';
	const result = reader.tail({limit: tailLimit(options), maxBytes: options.maxBytes});
	if (output.json) {
		output.record({type: 'notice', message: notice, reason: why});
		output.record({type: 'meta', file: result.file, cursor: result.cursor, size: result.size, source: 'file'});
	} else {
		output.notice(output.paint('warn', `${notice} (${why.split('\n')[0]})`));
		output.notice(`Log file: ${result.file}`);
	}

	printResult(output, {...result, reset: false}, options, options.limit);
	return 0;
}
