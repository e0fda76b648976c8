// `openclaw console`: the Ink operator console (source/console). Local mode (default) runs a child gateway;
// --attach/--url attaches to a running one; --ssh goes through an SSH tunnel; --once prints a plain snapshot.
import {freshBundle, loadBundled} from './load-bundled.js';
import type {CommandContext} from './registry.js';

type ConsoleModule = typeof import('../console/run.js');

/**
 * The console bundled into one file by scripts/bundle-console.mjs (part of `npm run build`): it loads in about half
 * the time of its ~450 separate modules. Used only when it is at least as new as the tsc output it was made from
 * (a later tsc-only build must not run stale code), and only with React's production build, which it contains.
 */
function bundlePath(): string | undefined {
	if (process.env.NODE_ENV !== undefined && process.env.NODE_ENV !== 'production') {
		return undefined;
	}

	return freshBundle(new URL('../console/run.bundle.js', import.meta.url), new URL('../console/run.js', import.meta.url));
}

async function loadConsole(): Promise<ConsoleModule> {
	return loadBundled('console', bundlePath(), async () => import('../console/run.js'));
}

export async function run(context: CommandContext): Promise<number> {
	// React picks its build when it is first loaded: the development build costs several times the CPU and memory
	// (it records a performance mark per commit), so load it as production unless told otherwise. The child gateway
	// must not inherit the setting, hence the restore.
	const previous = process.env.NODE_ENV;
	process.env.NODE_ENV ??= 'production';
	let runConsole: ConsoleModule['runConsole'];
	try {
		({runConsole} = await loadConsole());
	} finally {
		if (previous === undefined) {
			delete process.env.NODE_ENV;
		}
	}

	return runConsole(context);
}
