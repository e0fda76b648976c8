// The Fleet view's state container: the pure reducer behind a subscribe/getSnapshot pair, as ConsoleStore is for a
// gateway's panes. A row the prober reports unchanged is the same object, so the reducer keeps the same state and
// nothing is told; a flash is cleared after a while by one timer.
//
// Rows from the prober are paced (queueRow): a row whose state changed (running -> unreachable, a new row) is shown
// at once, with whatever else is waiting; a row with only new figures (latency, trend, channels) waits for the next
// batch, one every rowFlushMs. A fleet of 100 polled every 5 s reports 20 rows a second, nearly all with new figures
// only, and every frame lays out and writes the whole screen: a frame per row cost the idle console 10-17 % of a
// core, a batch a second ~2 %, one every 2 s ~1.4 % (bench/fleet.ts). A figure is at most 2 s older than its probe.
import type {FleetRow} from '../fleet/row.js';
import {fleetViewReducer, type FleetViewAction, type FleetViewState} from './state/fleet.js';

export const fleetFlashMs = 6000;
export const rowFlushMs = 2000;

export class FleetStore {
	private state: FleetViewState;
	private readonly listeners = new Set<() => void>();
	private flashTimer?: NodeJS.Timeout;
	private readonly pendingRows = new Map<string, FleetRow>();
	private rowTimer?: NodeJS.Timeout;

	constructor(
		initial: FleetViewState,
		private readonly options: {rowFlushMs?: number} = {},
	) {
		this.state = initial;
	}

	getSnapshot = (): FleetViewState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	dispatch = (action: FleetViewAction): void => {
		const next = fleetViewReducer(this.state, action);
		if (next === this.state) {
			return;
		}

		this.state = next;
		if (action.type === 'fleet/flash') {
			clearTimeout(this.flashTimer);
			this.flashTimer = setTimeout(() => {
				this.dispatch({type: 'fleet/flashClear'});
			}, fleetFlashMs);
			this.flashTimer.unref();
		}

		for (const listener of this.listeners) {
			listener();
		}
	};

	/** A row from the prober: shown now if its state changed, else with the next batch. */
	queueRow = (row: FleetRow): void => {
		this.pendingRows.set(row.name, row);
		const shown = this.state.rows.find((candidate) => candidate.name === row.name);
		if (shown?.state !== row.state) {
			this.flushRows();
			return;
		}

		if (!this.rowTimer) {
			this.rowTimer = setTimeout(() => {
				this.flushRows();
			}, this.options.rowFlushMs ?? rowFlushMs);
			// A batch still waiting must not keep a quitting console alive.
			this.rowTimer.unref();
		}
	};

	/** Every waiting row, in one state change (one frame). */
	flushRows = (): void => {
		clearTimeout(this.rowTimer);
		this.rowTimer = undefined;
		if (this.pendingRows.size === 0) {
			return;
		}

		const rows = [...this.pendingRows.values()];
		this.pendingRows.clear();
		this.dispatch({type: 'fleet/rows', rows});
	};

	dispose(): void {
		clearTimeout(this.flashTimer);
		clearTimeout(this.rowTimer);
		this.pendingRows.clear();
		this.listeners.clear();
	}
}
