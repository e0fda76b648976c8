// Keys go through routeKey (pure, tested alone); this hook only applies its answer.
import {useInput, useStdin} from 'ink';
import {routeKey, type Effect} from '../intents.js';
import {splitKeyChunk} from '../key-chunks.js';
import type {ConsoleStore} from '../store.js';

export type ConsoleEffects = {run(effect: Effect): void};

export function useConsoleInput(store: ConsoleStore, effects: ConsoleEffects): void {
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			// Each key of a chunk is routed against the state the previous one left (`jjj` scrolls three lines).
			for (const press of splitKeyChunk({input, key})) {
				const intent = routeKey(store.getSnapshot(), press);
				for (const action of intent.actions) {
					store.dispatch(action);
				}

				if (intent.effect) {
					effects.run(intent.effect);
				}
			}
		},
		// Without a raw-mode stdin Ink would throw; the command refuses to start there anyway.
		{isActive: isRawModeSupported === true},
	);
}
