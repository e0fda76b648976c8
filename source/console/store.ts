// The console's state container: the pure reducer behind a subscribe/getSnapshot pair (read by React through
// useSyncExternalStore). Log lines are batched and flushed every `flushMs`, so a flood of lines costs React a dozen
// updates a second instead of one per line, and key presses always get their turn.
import {hasCountdown} from './state/connection.js';
import {consoleReducer, type ConsoleAction, type ConsoleState} from './state/index.js';
import type {ParsedLogLine} from './state/log-line.js';
import {viewSignature} from './state/view-signature.js';

/** `staleAfterMs`: the App's (its default is 20 s), so that a change of the stale marker is never skipped. */
export type ConsoleStoreOptions = {flushMs?: number; clock?: () => number; staleAfterMs?: number};

export class ConsoleStore {
	private state: ConsoleState;
	private readonly listeners = new Set<() => void>();
	private pending: ParsedLogLine[] = [];
	private pendingDropped = 0;
	private flushTimer?: NodeJS.Timeout;
	private ticker?: NodeJS.Timeout;
	private readonly flushMs: number;
	private readonly clock: () => number;
	private readonly staleAfterMs: number;
	/** The view signature of one state (the last one compared), so each state's is computed once. */
	private signed?: {state: ConsoleState; signature: string};

	constructor(initial: ConsoleState, options: ConsoleStoreOptions = {}) {
		this.state = initial;
		this.flushMs = options.flushMs ?? 80;
		this.clock = options.clock ?? Date.now;
		this.staleAfterMs = options.staleAfterMs ?? 20_000;
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

		const previous = this.state;
		// Every change also moves the clock the view reads uptime and countdowns from.
		this.state = actions.every((action) => action.type === 'clock') ? next : {...next, now: this.clock()};
		this.updateTicker();
		if (this.looksTheSame(previous, this.state)) {
			return;
		}

		this.notify();
	}

	/** Whether `next` would draw exactly the frame `previous` drew: then React is not told (no render, no frame). */
	private looksTheSame(previous: ConsoleState, next: ConsoleState): boolean {
		// Log and screen-only changes always draw (they are what keys and floods change); no need to compare.
		if (previous.logs !== next.logs || previous.ui !== next.ui) {
			return false;
		}

		const before = this.signed?.state === previous ? this.signed.signature : viewSignature(previous, this.staleAfterMs);
		const after = viewSignature(next, this.staleAfterMs);
		this.signed = {state: next, signature: after};
		return before === after;
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
