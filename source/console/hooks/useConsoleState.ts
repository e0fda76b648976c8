import {useSyncExternalStore} from 'react';
import type {ConsoleState} from '../state/index.js';
import type {ConsoleStore} from '../store.js';

/** The store's current state; re-renders when it changes. */
export function useConsoleState(store: ConsoleStore): ConsoleState {
	return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
