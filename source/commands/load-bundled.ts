// Loading a build-time bundle (scripts/bundle-*.mjs, part of `npm run build`) instead of its many separate modules:
// one file loads in a fraction of the time. A bundle is used only when it is at least as new as the tsc output it
// was made from (a later tsc-only build must not run stale code); a bundle that fails to load falls back to the
// modules, with a note on stderr. OPENCLAW_NO_BUNDLES=1 runs the modules always (see PERFORMANCE.md).
import {statSync} from 'node:fs';

export function freshBundle(bundle: URL, source: URL): string | undefined {
	// The switch that makes every bundle step aside (measuring what they buy, ruling them out when debugging).
	if (process.env.OPENCLAW_NO_BUNDLES === '1') {
		return undefined;
	}

	try {
		return statSync(bundle).mtimeMs >= statSync(source).mtimeMs ? bundle.href : undefined;
	} catch {
		return undefined;
	}
}

export async function loadBundled<T>(what: string, bundle: string | undefined, loadModules: () => Promise<T>): Promise<T> {
	if (bundle) {
		try {
			return (await import(bundle)) as T;
		} catch (error) {
			process.stderr.write(`openclaw ${what}: the bundled ${what} failed to load (${(error as Error).message}); using the modules\n`);
		}
	}

	return loadModules();
}
