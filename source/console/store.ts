// The console's state container: the pure reducer behind a subscribe/getSnapshot pair (read by React through
// useSyncExternalStore). Log lines are batched and flushed every `flushMs`, so a flood of lines costs React a dozen
// updates a second instead of one per line, and key presses always get their turn.
import {hasCountdown} from './state/connection.js';
import {consoleReducer, type ConsoleAction, type ConsoleState} from './state/index.js';
import type {ParsedLogLine} from './state/log-line.js';

export type ConsoleStoreOptions = {flushMs?: number; clock?: () => number};

export class ConsoleStore {
	private state: ConsoleState;
	private readonly listeners = new Set<() => void>();
	private pending: ParsedLogLine[] = [];
	private pendingDropped = 0;
	private flushTimer?: NodeJS.Timeout;
	private ticker?: NodeJS.Timeout;
	private readonly flushMs: number;
	private readonly clock: () => number;

	constructor(initial: ConsoleState, options: ConsoleStoreOptions = {}) {
		this.state = initial;
		this.flushMs = options.flushMs ?? 80;
		this.clock = options.clock ?? Date.now;
	}

	getSnapshot = (): ConsoleState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	dispatch = (action: ConsoleAction): void => {
		this.dispatchAll([action]);
	};

	/** Several facts at once (one poll's answers): one state change, one render. */
	dispatchAll(actions: ConsoleAction[]): void {
		const next = actions.reduce(consoleReducer, this.state);
		if (next === this.state) {
			return;
		}

		// Every change also moves the clock the view reads uptime and countdowns from.
		this.state = actions.every((action) => action.type === 'clock') ? next : {...next, now: this.clock()};
		this.updateTicker();
		this.notify();
	}

	/** Queue a parsed log line; it reaches the state with the next batch. */
	appendLog(line: ParsedLogLine): void {
		this.pending.push(line);
		// Lines beyond the ring's capacity would be dropped on arrival anyway: do not hold them.
		if (this.pending.length > this.state.logs.capacity * 2) {
			const excess = this.pending.length - this.state.logs.capacity;
			this.pending.splice(0, excess);
			this.pendingDropped += excess;
		}

		this.flushTimer ??= setTimeout(() => {
			this.flush();
		}, this.flushMs);
	}

	flush(): void {
		clearTimeout(this.flushTimer);
		this.flushTimer = undefined;
		if (this.pending.length === 0 && this.pendingDropped === 0) {
			return;
		}

		const lines = this.pending;
		const dropped = this.pendingDropped;
		this.pending = [];
		this.pendingDropped = 0;
		this.dispatch({type: 'logs/append', lines, dropped});
	}

	private notify(): void {
		for (const listener of this.listeners) {
			listener();
		}
	}

	/** A one-second clock runs only while a countdown is on screen, so an idle console does no work at all. */
	private updateTicker(): void {
		const state = this.state;
		const sup = state.runtime.supervisor;
		const restarting = state.runtime.restart.phase === 'requested' || state.runtime.restart.phase === 'waiting';
		const counting = hasCountdown(state.connection, state.tunnel) || sup?.status === 'backoff' || restarting;
		if (counting && !this.ticker) {
			this.ticker = setInterval(() => {
				this.dispatch({type: 'clock', now: this.clock()});
			}, 1000);
			this.ticker.unref();
		} else if (!counting && this.ticker) {
			clearInterval(this.ticker);
			this.ticker = undefined;
		}
	}

	dispose(): void {
		clearTimeout(this.flushTimer);
		clearInterval(this.ticker);
		this.listeners.clear();
	}
}
