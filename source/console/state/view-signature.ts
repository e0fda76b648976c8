// What the screen shows outside the log rows and the screen-only state, as one string. The store compares it before
// telling React: a poll or an event that changes facts nobody can see (a fetch time, an identical answer) costs an
// idle console no frame, and a frame is the expensive part of its day.
import type {ConsoleState} from './index.js';
import type {Flash} from './ui.js';
import {channelLines, describeLink, reloadLines, runtimeLines} from './view-lines.js';

/** How long a flash message stays in the header. */
export const flashMs = 8000;

export function visibleFlash(state: ConsoleState): Flash | undefined {
	const {flash} = state.ui;
	return flash && state.now - flash.at < flashMs ? flash : undefined;
}

/**
 * Everything the view derives from the state besides `logs` and `ui` (compared by identity by the caller).
 * `staleAfterMs` must be the App's, so the Channels pane's stale marker is part of the comparison.
 */
export function viewSignature(state: ConsoleState, staleAfterMs: number): string {
	return JSON.stringify([
		state.runtime.mode,
		state.connection.url,
		state.tunnel?.target,
		describeLink(state),
		visibleFlash(state),
		runtimeLines(state),
		channelLines(state, staleAfterMs),
		reloadLines(state),
	]);
}
