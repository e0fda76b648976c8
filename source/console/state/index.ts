// The console's whole state and its one reducer, combined from the per-concern reducers in this folder.
//
// Every fact enters the state through consoleReducer (the store and `--once` both fold actions through it), so that
// is where text from outside is made terminal-safe: each string in each action, whatever pane will show it, before
// any reducer reads it. A new action or a new pane cannot forget it. A line break shows as ^J like any control: a log
// record's line breaks were cut into lines when it was parsed (log-line.ts), before it got here.
import {terminalSafeStrings} from '../../cli-output/terminal-safe.js';
import {connectionReducer, initialConnection, tunnelReducer, type ConnectionAction, type ConnectionState, type TunnelState} from './connection.js';
import {diagnosisReducer, initialDiagnosis, type DiagnosisState} from './diagnosis.js';
import {channelsReducer, initialChannels, type ChannelsAction, type ChannelsState} from './channels.js';
import {initialLogsState, logsReducer, type LogsAction, type LogsState} from './logs.js';
import {initialReload, reloadReducer, type ReloadAction, type ReloadState} from './reload.js';
import {initialRuntime, runtimeReducer, type RuntimeAction, type RuntimeState} from './runtime.js';
import {initialSessions, sessionsReducer, type SessionsAction, type SessionsState} from './sessions.js';
import {initialUi, uiAfterHello, uiReducer, type UiAction, type UiState} from './ui.js';

export type ConsoleMode = RuntimeState['mode'];

export type ConsoleState = {
	connection: ConnectionState;
	tunnel?: TunnelState;
	runtime: RuntimeState;
	channels: ChannelsState;
	logs: LogsState;
	reload: ReloadState;
	/** The gateway's session count and last activity, where its status (or health) carries a summary. */
	sessions: SessionsState;
	ui: UiState;
	/** A known failure signature seen, while its condition lasts (one line under Runtime). */
	diagnosis: DiagnosisState;
	/** The clock the view reads countdowns and uptime from (advanced by the store, only when something counts). */
	now: number;
};

export type ConsoleAction = ConnectionAction | RuntimeAction | ChannelsAction | LogsAction | ReloadAction | SessionsAction | UiAction | {type: 'clock'; now: number};

export type InitialOptions = {
	mode: ConsoleMode;
	url?: string;
	profile?: string;
	sshTarget?: string;
	logCapacity?: number;
	size?: {columns: number; rows: number};
	now?: number;
	/** False for a printed snapshot (`--once`): hints then name no key. */
	interactive?: boolean;
};

export function initialConsoleState(unsafeOptions: InitialOptions): ConsoleState {
	const options = terminalSafeStrings(unsafeOptions);
	return {
		connection: initialConnection(options.url),
		tunnel: options.sshTarget ? {status: 'opening', target: options.sshTarget, attempt: 0} : undefined,
		runtime: initialRuntime(options.mode, options.profile),
		channels: initialChannels,
		logs: initialLogsState(options.logCapacity),
		reload: initialReload,
		sessions: initialSessions,
		ui: initialUi(options.size, options.interactive ?? true),
		diagnosis: initialDiagnosis,
		now: options.now ?? Date.now(),
	};
}

/** Replace one part of the state, keeping the same object when that part did not change (no render then). */
function withPart<K extends keyof ConsoleState>(state: ConsoleState, key: K, value: ConsoleState[K]): ConsoleState {
	return value === state[key] ? state : {...state, [key]: value};
}

export function consoleReducer(state: ConsoleState, unsafeAction: ConsoleAction): ConsoleState {
	const action = terminalSafeStrings(unsafeAction);
	// The diagnosis reads facts that belong to other parts (log lines, the supervisor, the link): it sees every action.
	const next = partReducer(state, action);
	return withPart(next, 'diagnosis', diagnosisReducer(next.diagnosis, action, next.now));
}

function partReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
	const prefix = action.type.slice(0, action.type.indexOf('/'));
	switch (prefix) {
		case 'connection': {
			const next = withPart(state, 'connection', connectionReducer(state.connection, action as ConnectionAction));
			return action.type === 'connection/hello' ? withPart(withPart(next, 'runtime', runtimeReducer(next.runtime, action)), 'ui', uiAfterHello(next.ui)) : next;
		}
		case 'tunnel':
			return withPart(state, 'tunnel', tunnelReducer(state.tunnel, action as ConnectionAction));
		case 'runtime':
			return withPart(state, 'runtime', runtimeReducer(state.runtime, action as RuntimeAction));
		case 'channels':
			return withPart(state, 'channels', channelsReducer(state.channels, action as ChannelsAction));
		case 'logs':
			return withPart(state, 'logs', logsReducer(state.logs, action as LogsAction));
		case 'reload':
			return withPart(state, 'reload', reloadReducer(state.reload, action as ReloadAction));
		case 'sessions':
			return withPart(state, 'sessions', sessionsReducer(state.sessions, action as SessionsAction));
		case 'ui':
			return withPart(state, 'ui', uiReducer(state.ui, action as UiAction));
		default:
			return action.type === 'clock' ? {...state, now: action.now} : state;
	}
}
