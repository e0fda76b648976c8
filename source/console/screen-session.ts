// The console's time on the terminal, for the gateway panes and the Fleet view alike: the alternate screen (left
// again on every way out, signals included), the Ink render with its frame cap, and OPENCLAW_CONSOLE_STATS (the
// benches' key-to-redraw measured inside the console).
import type {ReactElement} from 'react';
import {render} from 'ink';
import {RenderStats} from './render-stats.js';

const altScreenOn = '\u001B[?1049h';
const altScreenOff = '\u001B[?1049l';

/** Back to the normal screen; safe to call more than once (cleanup handlers and the normal exit both do). */
export function restoreScreen(): void {
	process.stdout.write(altScreenOff);
}

/**
 * Draw `element` on the alternate screen until `finished` gives the exit code, then unmount and write the render
 * stats when asked for. `afterFirstFrame` runs once the first frame is out (the caller leaves the screen itself).
 */
export async function renderUntilFinished(
	element: ReactElement,
	options: {env: NodeJS.ProcessEnv; finished: Promise<number>; afterFirstFrame?: () => void},
): Promise<number> {
	process.stdout.write(altScreenOn);
	const statsFile = options.env.OPENCLAW_CONSOLE_STATS;
	const stats = statsFile ? new RenderStats() : undefined;
	// Log floods are already paced by the store (a batch every 80 ms), so Ink's frame cap only decides how long a key
	// press waits after the last frame: at 60 fps at most 17 ms (at 20 fps, 50 ms: half the key-to-redraw budget).
	const instance = render(element, {exitOnCtrlC: false, patchConsole: false, maxFps: 60, onRender: stats?.onRender});
	if (options.afterFirstFrame) {
		setImmediate(options.afterFirstFrame);
	}

	const code = await options.finished;
	instance.unmount();
	await instance.waitUntilExit().catch(() => {});
	if (stats && statsFile) {
		await stats.write(statsFile);
	}

	return code;
}
