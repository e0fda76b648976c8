// `openclaw console --once`: one round of the same reads the console makes, folded through the same reducers and
// printed as plain text with the panes' own lines. No TTY needed (scripts, CI, a quick look over ssh).
import {GatewayClient} from '../../client/index.js';
import {consoleReducer, initialConsoleState, type ConsoleAction, type ConsoleMode, type ConsoleState} from '../state/index.js';
import {helloAction} from '../state/connection.js';
import {LogIngest} from '../state/log-ingest.js';
import {formatLogLine} from '../state/log-line.js';
import {channelLines, reloadLines, runtimeLines, type ViewLine} from '../state/view-lines.js';
import {probeHealth, readChannels, readConfig, readReloadCapabilities, readStatus} from './gateway-reads.js';
import {serves} from '../../client/served-methods.js';

export type SnapshotOptions = {
	url: string;
	token?: string;
	password?: string;
	mode: ConsoleMode;
	profile?: string;
	sshTarget?: string;
	timeoutMs?: number;
	logLines?: number;
	/** A better account of a connect failure, when the caller has one (the SSH tunnel's, about the remote side). */
	explainFailure?: (error: unknown) => string | undefined;
};

export async function collectSnapshot(options: SnapshotOptions): Promise<{state: ConsoleState; ok: boolean}> {
	let state = initialConsoleState({mode: options.mode, url: options.url, profile: options.profile, sshTarget: options.sshTarget, interactive: false});
	const apply = (action: ConsoleAction) => {
		state = consoleReducer(state, action);
	};

	if (options.sshTarget) {
		// The tunnel's local end, as the interactive console names it ("via 127.0.0.1:P"): the url is that end.
		const localPort = Number(new URL(options.url).port) || undefined;
		apply({type: 'tunnel/state', status: 'open', localPort, attempt: 0, at: Date.now()});
	}

	const timeoutMs = options.timeoutMs ?? 10_000;
	const client = new GatewayClient({
		url: options.url,
		token: options.token,
		password: options.password,
		clientId: 'cli',
		clientMode: 'cli',
		scopes: ['operator.read'],
		connectTimeoutMs: timeoutMs,
		requestTimeoutMs: timeoutMs,
	});
	try {
		const hello = await client.connect();
		apply({type: 'connection/state', status: 'connected', attempt: 0, at: Date.now()});
		apply(helloAction(hello, Date.now()));
	} catch (error) {
		const kind = (error as {kind?: string}).kind;
		const message = options.explainFailure?.(error) ?? (error as Error).message;
		apply({type: 'connection/state', status: kind === 'auth' ? 'auth-failed' : 'closed', attempt: 1, error: message, at: Date.now()});
		return {state, ok: false};
	}

	try {
		const [health, status, channels, config, capabilities, logs] = await Promise.all([
			probeHealth(client),
			readStatus(client),
			readChannels(client, true, Math.min(timeoutMs, 8000)),
			readConfig(client),
			readReloadCapabilities(client),
			serves(client, 'logs.tail') ? client.request('logs.tail', {limit: options.logLines ?? 10}).catch(() => undefined) : undefined,
		]);
		for (const action of [...health, ...status, ...channels, ...config, ...capabilities]) {
			apply(action);
		}

		if (logs && Array.isArray(logs.lines)) {
			const ingest = new LogIngest({dedupe: false});
			const lines = logs.lines.map((text) => ingest.accept(text, 'file')).filter((line) => line !== undefined);
			apply({type: 'logs/append', lines});
		}

		return {state, ok: true};
	} finally {
		await client.close();
	}
}

function section(title: string, lines: ViewLine[]): string {
	const body = lines.map((line) => `  ${line.label ? line.label.padEnd(10) : ''.padEnd(10)}${line.value}`);
	return [title, ...body].join('\n');
}

export function formatSnapshot(state: ConsoleState): string {
	const logs = state.logs.lines.map((line) => `  ${formatLogLine(line, {timestamps: true})}`);
	return [
		section('Runtime', runtimeLines(state)),
		section('Channels', channelLines(state, Number.POSITIVE_INFINITY)),
		section('Reload', reloadLines(state)),
		['Logs (last lines)', ...(logs.length > 0 ? logs : ['  (none)'])].join('\n'),
	].join('\n\n');
}
