// The Fleet view's state container: the pure reducer behind a subscribe/getSnapshot pair, as ConsoleStore is for a
// gateway's panes. A row the prober reports unchanged is the same object, so the reducer keeps the same state and
// nothing is told; a flash is cleared after a while by one timer.
import {fleetViewReducer, type FleetViewAction, type FleetViewState} from './state/fleet.js';

export const fleetFlashMs = 6000;

export class FleetStore {
	private state: FleetViewState;
	private readonly listeners = new Set<() => void>();
	private flashTimer?: NodeJS.Timeout;

	constructor(initial: FleetViewState) {
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

	dispose(): void {
		clearTimeout(this.flashTimer);
		this.listeners.clear();
	}
}
