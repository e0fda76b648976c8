// No process left behind: when the console exits or is told to (SIGTERM, SIGHUP when its terminal closes, SIGINT),
// stop what it started first. Installing signal handlers changes how the whole process dies, so the app opts in.
//
// API: installCleanupHandlers(targets, options?) -> uninstall(). A target is anything with dispose() (clean, async,
// e.g. LocalGateway, SshTunnel) and disposeSync() (best effort from a process 'exit' listener, where nothing async
// runs any more). The first signal disposes cleanly (bounded by timeoutMs) then exits 128+signal; a second one exits
// at once after disposeSync().
import os from 'node:os';

export type CleanupTarget = {dispose(): Promise<void>; disposeSync(): void};

export type CleanupOptions = {
	signals?: NodeJS.Signals[];
	/** Bound on the clean stop before exiting anyway. */
	timeoutMs?: number;
	/** How to end the process (tests replace it). */
	exit?: (code: number) => void;
};

export const defaultCleanupSignals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

function signalExitCode(signal: NodeJS.Signals): number {
	return 128 + (os.constants.signals[signal] ?? 15);
}

export function installCleanupHandlers(targets: CleanupTarget | CleanupTarget[], options: CleanupOptions = {}): () => void {
	const list = Array.isArray(targets) ? targets : [targets];
	const exit = options.exit ?? ((code: number) => process.exit(code));
	const timeoutMs = options.timeoutMs ?? 5000;
	let stopping = false;

	const disposeSyncAll = () => {
		for (const target of list) {
			try {
				target.disposeSync();
			} catch {
				// Best effort at exit: one target's failure must not keep the others alive.
			}
		}
	};

	let boundTimer: NodeJS.Timeout | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) {
			clearTimeout(boundTimer);
			disposeSyncAll();
			exit(signalExitCode(signal));
			return;
		}

		stopping = true;
		// Kept referenced: the process must live to exit with the signal's code, even if nothing else is pending.
		const bound = new Promise<void>((resolve) => {
			boundTimer = setTimeout(resolve, timeoutMs);
		});
		const disposed = Promise.allSettled(list.map(async (target) => target.dispose()));
		void Promise.race([disposed, bound]).then(() => {
			clearTimeout(boundTimer);
			disposeSyncAll();
			exit(signalExitCode(signal));
		});
	};

	const signals = options.signals ?? defaultCleanupSignals;
	for (const signal of signals) {
		process.on(signal, onSignal);
	}

	process.on('exit', disposeSyncAll);
	return () => {
		for (const signal of signals) {
			process.off(signal, onSignal);
		}

		process.off('exit', disposeSyncAll);
		clearTimeout(boundTimer);
	};
}
