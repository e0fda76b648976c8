// The Fleet view's screen: header (the fleet's count by state, a flash), the table, the footer. It only maps state
// to boxes; keys go through routeFleetKey (pure), effects to the fleet controller.
import {Box} from 'ink';
import {useSyncExternalStore} from 'react';
import {routeFleetKey, type FleetEffect} from './fleet-intents.js';
import type {FleetStore} from './fleet-store.js';
import {useRoutedInput} from './hooks/useConsoleInput.js';
import {useTerminalSize, type TerminalSize} from './hooks/useTerminalSize.js';
import {footerBindings} from './keymap.js';
import {minSize} from './layout.js';
import {FleetFormPane} from './panes/FleetFormPane.js';
import {FleetPane} from './panes/FleetPane.js';
import {Footer} from './panes/Footer.js';
import {Header} from './panes/Header.js';
import {HelpOverlay} from './panes/HelpOverlay.js';
import {formHint} from './state/fleet-form.js';
import {fleetSummary} from './state/fleet.js';

export type FleetAppProps = {
	store: FleetStore;
	onEffect: (effect: FleetEffect) => void;
	/** Follow the real terminal's size (off in tests, which set the size in the state). */
	trackTerminalSize?: boolean;
};

const fleetResize = (size: TerminalSize) => ({type: 'fleet/resize' as const, ...size});

export function FleetApp({store, onEffect, trackTerminalSize = true}: FleetAppProps) {
	const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
	useRoutedInput(store, routeFleetKey, onEffect);
	useTerminalSize(store, trackTerminalSize, fleetResize);
	// One row shorter than the terminal, as the panes' layout (a frame as tall as the terminal flickers in Ink 6.8).
	const width = Math.max(minSize.columns, state.size.columns);
	const height = Math.max(minSize.rows, state.size.rows) - 1;
	const body = height - 2;
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Header target="fleet" link={fleetSummary(state.rows)} flash={state.flash} width={width} />
			{state.form ? (
				<FleetFormPane form={state.form} width={width} height={body} />
			) : state.help ? (
				<HelpOverlay focus="fleet" width={width} height={body} />
			) : (
				<FleetPane state={state} width={width} height={body} />
			)}
			<Footer bindings={footerBindings('fleet')} confirm={state.confirm} filterDraft={state.filterDraft} formHint={state.form ? formHint : undefined} width={width} />
		</Box>
	);
}
