// Ink 6.8 reflows width on resize but never re-renders for rows, so the rows-derived layout listens itself.
import {useStdout} from 'ink';
import {useEffect} from 'react';
import type {ConsoleStore} from '../store.js';

export function useTerminalSize(store: ConsoleStore, enabled: boolean): void {
	const {stdout} = useStdout();
	useEffect(() => {
		if (!enabled || !stdout.isTTY) {
			return;
		}

		const update = () => {
			store.dispatch({type: 'ui/resize', columns: stdout.columns || 80, rows: stdout.rows || 24});
		};

		update();
		stdout.on('resize', update);
		return () => {
			stdout.off('resize', update);
		};
	}, [store, stdout, enabled]);
}
