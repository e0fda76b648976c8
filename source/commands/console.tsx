// `openclaw console`: the Ink operator console (source/console). Local mode (default) runs a child gateway;
// --attach/--url attaches to a running one; --ssh goes through an SSH tunnel; --once prints a plain snapshot.
import {freshBundle, loadBundled} from './load-bundled.js';
import type {CommandContext, consoleFlags} from './registry.js';

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

/**
 * Run `load` with some environment variables set or removed, then put them back: module-level checks read the
 * environment once, while loading, and the child gateway the console starts must not inherit what they were told.
 */
async function loadWithEnv<T>(overrides: Record<string, string | undefined>, load: () => Promise<T>): Promise<T> {
	const saved = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
	const apply = (values: Record<string, string | undefined>) => {
		for (const [key, value] of Object.entries(values)) {
			if (value === undefined) {
				delete process.env[key];
			} else {
				process.env[key] = value;
			}
		}
	};

	apply(overrides);
	try {
		return await load();
	} finally {
		apply(saved);
	}
}

export async function run(context: CommandContext<typeof consoleFlags>): Promise<number> {
	const interactive = process.stdout.isTTY === true;
	const {runConsole} = await loadWithEnv(
		{
			// React picks its build when it is first loaded: the development build costs several times the CPU and
			// memory (it records a performance mark per commit), so load it as production unless told otherwise.
			NODE_ENV: process.env.NODE_ENV ?? 'production',
			// Ink decides once, on load, whether it runs "in CI" (CI or CONTINUOUS_INTEGRATION set), and there it
			// draws nothing until exit: a blank terminal for an operator whose shell or box happens to export CI=true.
			// A console on a real terminal is interactive whatever the environment says.
			...(interactive ? {CI: undefined, CONTINUOUS_INTEGRATION: undefined} : {}),
		},
		loadConsole,
	);
	return runConsole(context);
}
