// The fleet console's root: the Fleet view, or one gateway's four panes while it is drilled into (Esc comes back).
import {useSyncExternalStore} from 'react';
import {App} from './App.js';
import {FleetApp} from './FleetApp.js';
import type {FleetEffect} from './fleet-intents.js';
import type {FleetStore} from './fleet-store.js';
import type {DrillIn} from './live/fleet-controller.js';
import {ThemeContext} from './ThemeContext.js';
import type {Theme} from './theme.js';

/** What the root needs of the fleet controller (a fake in the component tests). */
export type FleetDriver = {
	drill(): DrillIn | undefined;
	subscribeDrill(listener: () => void): () => void;
	run(effect: FleetEffect): void;
};

export function FleetConsole({store, driver, theme, trackTerminalSize = true}: {store: FleetStore; driver: FleetDriver; theme: Theme; trackTerminalSize?: boolean}) {
	const drill = useSyncExternalStore(driver.subscribeDrill, driver.drill, driver.drill);
	return (
		<ThemeContext.Provider value={theme}>
			{drill ? (
				<App key={drill.name} store={drill.store} effects={drill.effects} theme={theme} trackTerminalSize={trackTerminalSize} target={drill.label} />
			) : (
				<FleetApp
					store={store}
					trackTerminalSize={trackTerminalSize}
					onEffect={(effect) => {
						driver.run(effect);
					}}
				/>
			)}
		</ThemeContext.Provider>
	);
}
