// What the Runtime pane knows about the gateway process: the supervisor's view of a child it started (local mode),
// the gateway's own `status` answer, the last RPC probe, and the progress of a restart the operator asked for.
import type {StatusRuntimeFacts} from '../../client/status-facts.js';

export type ProcessStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed' | 'restarting' | 'backoff' | 'failed';

/** LocalGateway's state events, as they arrive. */
export type SupervisorState = {
	status: ProcessStatus;
	pid?: number;
	port: number;
	startedAt?: number;
	exitCode?: number | null;
	signal?: string | null;
	restarts: number;
	nextRestartAt?: number;
	lastError?: string;
	stderrTail?: string[] | string;
	/** A throwaway gateway's temporary state dir (its gateway.token lets another terminal reach it). */
	temporaryStateDir?: string;
};

/** What the gateway's `status` said (source/client/status-facts.ts reads it). */
export type GatewayStatus = StatusRuntimeFacts & {
	/** When it was read (epoch ms): uptime is extrapolated from here. */
	at: number;
};

/** What the gateway's config says about where it listens (config.get), for gateways whose `status` does not say. */
export type ConfiguredListen = {bind?: string; port?: number};

export type Probe = {ok: boolean; latencyMs?: number; error?: string; at: number};

/** How many recent probe latencies the Runtime pane's figure is the median of. */
export const probeWindow = 5;

export type RestartPhase = 'idle' | 'confirming' | 'requested' | 'waiting' | 'done' | 'failed';

export type RestartProgress = {
	phase: RestartPhase;
	via?: 'supervisor' | 'rpc' | 'service';
	fromPid?: number;
	toPid?: number;
	startedAt?: number;
	finishedAt?: number;
	message?: string;
	/** Set when the gateway (or its link) went away after the request: coming back means the restart happened. */
	sawDown?: boolean;
};

export type RuntimeState = {
	mode: 'local' | 'attach' | 'ssh';
	profile?: string;
	supervisor?: SupervisorState;
	status?: GatewayStatus;
	configured?: ConfiguredListen;
	/** The gateway's last `shutdown` event: a restart it announced is shown as restarting, not as lost. */
	announced?: {reason: string; restartExpectedMs?: number; at: number};
	statusError?: string;
	probe?: Probe;
	/** Latencies of the last successful probes in a row (newest last, at most probeWindow): the pane shows their median. */
	probeLatencies: number[];
	/** The latency on screen: the median, moved only when it leaves the dead band around what is shown. */
	probeShownMs?: number;
	/** When the current run of failed probes began. */
	probeFailingSince?: number;
	probing: boolean;
	restart: RestartProgress;
	/** The last crash the supervisor saw: stays on screen after the automatic restart, so it is not missed. */
	lastCrash?: {text: string; at: number; count: number};
};

export type RuntimeAction =
	| {type: 'runtime/supervisor'; state: SupervisorState; at: number}
	| {type: 'runtime/status'; status: Omit<GatewayStatus, 'at'>; at: number}
	| {type: 'runtime/statusError'; error: string}
	| {type: 'runtime/configured'; configured: ConfiguredListen}
	| {type: 'runtime/shutdown'; reason: string; restartExpectedMs?: number; at: number}
	| {type: 'runtime/probeStart'}
	| {type: 'runtime/probe'; probe: Probe}
	| {type: 'runtime/restartRequested'; via: RestartProgress['via']; fromPid?: number; at: number}
	| {type: 'runtime/restartDown'}
	| {type: 'runtime/restartFailed'; error: string; at: number};

/** A hello-ok also ends what the runtime awaited: the gateway is back (the rest of it is the connection's). */
type HelloSeen = {type: 'connection/hello'};

export function initialRuntime(mode: RuntimeState['mode'], profile?: string): RuntimeState {
	return {mode, profile, probing: false, probeLatencies: [], restart: {phase: 'idle'}};
}

function currentPid(state: RuntimeState): number | undefined {
	return state.supervisor?.pid ?? state.status?.pid;
}

/** A restart under way finishes when the gateway answers `status` again after having gone down. */
function settleRestart(restart: RestartProgress, pid: number | undefined, at: number): RestartProgress {
	if ((restart.phase !== 'requested' && restart.phase !== 'waiting') || !restart.sawDown) {
		return restart;
	}

	const seconds = restart.startedAt !== undefined ? ((at - restart.startedAt) / 1000).toFixed(1) : '?';
	const message =
		pid !== undefined && restart.fromPid !== undefined && pid !== restart.fromPid
			? `pid ${restart.fromPid} -> ${pid} (${seconds} s)`
			: `in-process, pid ${pid ?? '?'} (${seconds} s)`;
	return {...restart, phase: 'done', toPid: pid, finishedAt: at, message};
}

export function runtimeReducer(state: RuntimeState, action: RuntimeAction | HelloSeen): RuntimeState {
	switch (action.type) {
		case 'connection/hello':
			// An announced restart is over once the new process says hello (its `status` may come later, or never).
			return state.announced === undefined ? state : {...state, announced: undefined};
		case 'runtime/supervisor': {
			const down = action.state.status !== 'running';
			const underWay = state.restart.phase === 'requested' || state.restart.phase === 'waiting';
			// A finished restart's line is history once the operator has stopped the gateway: it would sit under the next
			// start as if it told of that process.
			const restart: RestartProgress =
				down && underWay
					? {...state.restart, phase: 'waiting', sawDown: true}
					: action.state.status === 'stopped' && !underWay && state.restart.phase !== 'idle'
						? {phase: 'idle'}
						: state.restart;
			// Supervisor facts about a dead process make the last `status` answer stale.
			const status = down ? undefined : state.status;
			const lastCrash =
				action.state.status === 'crashed'
					? {text: exitText(action.state), at: action.at, count: (state.lastCrash?.count ?? 0) + 1}
					: state.lastCrash;
			return {...state, supervisor: action.state, restart, status, lastCrash};
		}

		case 'runtime/status': {
			const status: GatewayStatus = {...action.status, at: action.at};
			const pid = state.supervisor?.pid ?? status.pid;
			return {...state, status, statusError: undefined, announced: undefined, restart: settleRestart(state.restart, pid, action.at)};
		}

		case 'runtime/statusError':
			return {...state, statusError: action.error};
		case 'runtime/shutdown':
			return {...state, announced: {reason: action.reason, restartExpectedMs: action.restartExpectedMs, at: action.at}};
		case 'runtime/configured':
			return state.configured?.bind === action.configured.bind && state.configured?.port === action.configured.port ? state : {...state, configured: action.configured};
		case 'runtime/probeStart':
			return {...state, probing: true};
		case 'runtime/probe': {
			const {probe} = action;
			if (!probe.ok) {
				return {
					...state,
					probing: false,
					probe,
					probeLatencies: [],
					probeShownMs: undefined,
					probeFailingSince: state.probe?.ok === false ? state.probeFailingSince : probe.at,
				};
			}

			const probeLatencies = probe.latencyMs === undefined ? state.probeLatencies : [...state.probeLatencies, probe.latencyMs].slice(-probeWindow);
			return {...state, probing: false, probe, probeLatencies, probeShownMs: shownLatency(state.probeShownMs, medianLatency(probeLatencies)), probeFailingSince: undefined};
		}
		case 'runtime/restartRequested':
			return {
				...state,
				restart: {phase: 'requested', via: action.via, fromPid: action.fromPid ?? currentPid(state), startedAt: action.at, message: 'restart requested'},
			};
		case 'runtime/restartDown':
			return state.restart.phase === 'requested' || state.restart.phase === 'waiting'
				? {...state, restart: {...state.restart, phase: 'waiting', sawDown: true, message: 'waiting for the gateway'}}
				: state;
		case 'runtime/restartFailed':
			return {...state, restart: {...state.restart, phase: 'failed', finishedAt: action.at, message: `restart failed: ${action.error}`}};
		default:
			return state;
	}
}

function exitText(sup: SupervisorState): string {
	return sup.signal ? `signal ${sup.signal}` : `exit code ${sup.exitCode ?? '?'}`;
}

/**
 * Uptime as an operator reads it (docker ps, pm2): minutes in the first hour, hours in the first two days, then
 * days and hours. Finer figures would be stale between two polls anyway, and each change costs the idle console a
 * frame: this way an idle console draws one a minute at first and one an hour later on.
 */
export function formatUptime(ms: number): string {
	const minutes = Math.floor(Math.max(0, ms) / 60_000);
	if (minutes < 1) {
		return '<1m';
	}

	if (minutes < 60) {
		return `${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A latency figure with the precision that means something: whole ms up to 10, two significant digits above. */
export function formatLatency(ms: number): string {
	if (ms < 1) {
		return '<1 ms';
	}

	if (ms < 10) {
		return `${Math.round(ms)} ms`;
	}

	const digits = 10 ** (Math.floor(Math.log10(ms)) - 1);
	const rounded = Math.round(ms / digits) * digits;
	return rounded >= 1000 ? `${(rounded / 1000).toFixed(rounded >= 10_000 ? 0 : 1)} s` : `${rounded} ms`;
}

/**
 * The median of the recent probe latencies: one slow answer does not move it, a lasting change does. With an even
 * count it is the lower of the middle two, so that the first, cold probe after connecting is outvoted by the second.
 */
export function medianLatency(latencies: number[]): number | undefined {
	if (latencies.length === 0) {
		return undefined;
	}

	const sorted = [...latencies].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The latency to show: the new median once it differs from the one on screen by more than 2 ms and 25 %. Jitter
 * between 3 and 6 ms on an idle loopback is not news, and each change would cost the idle console a frame; a gateway
 * that went from 4 to 40 ms shows within three polls.
 */
export function shownLatency(shown: number | undefined, median: number | undefined): number | undefined {
	if (shown === undefined || median === undefined) {
		return median;
	}

	return Math.abs(median - shown) > Math.max(2, shown * 0.25) ? median : shown;
}

/** The process line: what the operator reads first. */
export function describeProcess(state: RuntimeState, now: number): {text: string; tone: 'ok' | 'warn' | 'error' | 'muted'} {
	const sup = state.supervisor;
	if (sup) {
		switch (sup.status) {
			case 'running':
				return {text: 'running', tone: 'ok'};
			case 'crashed':
				return {text: `crashed (${exitText(sup)})`, tone: 'error'};

			case 'backoff': {
				const wait = sup.nextRestartAt ? ` in ${Math.max(0, Math.ceil((sup.nextRestartAt - now) / 1000))} s` : '';
				const how = sup.signal ? `signal ${sup.signal}` : sup.exitCode !== undefined && sup.exitCode !== null ? `exit code ${sup.exitCode}` : '';
				return {text: `crashed${how ? ` (${how})` : ''}, restarting${wait}`, tone: 'error'};
			}

			case 'failed':
				return {text: `failed${sup.lastError ? `: ${sup.lastError}` : ''}`, tone: 'error'};
			case 'stopped':
				return {text: 'stopped', tone: 'muted'};
			default:
				return {text: sup.status, tone: 'warn'};
		}
	}

	if (state.status) {
		return {text: 'running', tone: 'ok'};
	}

	return {text: state.statusError ? 'unknown' : 'waiting for status', tone: 'muted'};
}

export function uptimeMs(state: RuntimeState, now: number): number | undefined {
	if (state.status?.uptimeMs !== undefined) {
		return state.status.uptimeMs + (now - state.status.at);
	}

	const startedAt = state.supervisor?.status === 'running' ? state.supervisor.startedAt : undefined;
	return startedAt === undefined ? undefined : now - startedAt;
}
