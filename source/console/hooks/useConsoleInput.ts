// Keys go through a pure router (routeKey for a gateway's panes, routeFleetKey for the Fleet view; each tested
// alone); these hooks only apply its answer: the actions to the store, the effect to whoever acts on gateways.
import {useInput, useStdin} from 'ink';
import {routeKey, type Effect, type KeyPress} from '../intents.js';
import {splitKeyChunk} from '../key-chunks.js';
import type {ConsoleStore} from '../store.js';

export type ConsoleEffects = {run(effect: Effect): void};

type KeyRouter<State, Action, RoutedEffect> = (state: State, press: KeyPress) => {actions: Action[]; effect?: RoutedEffect};

export function useRoutedInput<State, Action, RoutedEffect>(
	store: {getSnapshot(): State; dispatch(action: Action): void},
	route: KeyRouter<State, Action, RoutedEffect>,
	onEffect: (effect: RoutedEffect) => void,
): void {
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			// Each key of a chunk is routed against the state the previous one left (`jjj` scrolls three lines).
			for (const press of splitKeyChunk({input, key})) {
				const intent = route(store.getSnapshot(), press);
				for (const action of intent.actions) {
					store.dispatch(action);
				}

				if (intent.effect) {
					onEffect(intent.effect);
				}
			}
		},
		// Without a raw-mode stdin Ink would throw; the command refuses to start there anyway.
		{isActive: isRawModeSupported === true},
	);
}

export function useConsoleInput(store: ConsoleStore, effects: ConsoleEffects): void {
	useRoutedInput(store, routeKey, (effect) => {
		effects.run(effect);
	});
}
