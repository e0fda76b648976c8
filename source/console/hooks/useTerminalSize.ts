// Ink 6.8 reflows width on resize but never re-renders for rows, so the rows-derived layout listens itself. One hook
// for both screens (the console's four panes and the Fleet view): each says which action carries the new size.
import {useStdout} from 'ink';
import {useEffect} from 'react';

export type TerminalSize = {columns: number; rows: number};

/** Dispatch `resizeAction(size)` now and on every resize. `resizeAction` must be stable (a module-level function). */
export function useTerminalSize<A>(store: {dispatch(action: A): void}, enabled: boolean, resizeAction: (size: TerminalSize) => A): void {
	const {stdout} = useStdout();
	useEffect(() => {
		if (!enabled || !stdout.isTTY) {
			return;
		}

		const update = () => {
			store.dispatch(resizeAction({columns: stdout.columns || 80, rows: stdout.rows || 24}));
		};

		update();
		stdout.on('resize', update);
		return () => {
			stdout.off('resize', update);
		};
	}, [store, stdout, enabled, resizeAction]);
}
