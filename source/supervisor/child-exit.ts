// When a child process has exited, from its 'exit' event rather than execa's promise: the promise also waits for
// the child's stdio to close, which a grandchild that inherited it (an sshd session, a helper) can hold open for
// ever, so a dead child would look alive.
import type {ResultPromise} from 'execa';

export type ChildExitInfo = {exitCode?: number; signal?: string; /** The program could not be run at all (ENOENT...). */ spawnError?: string};

export function watchExit(subprocess: ResultPromise): Promise<ChildExitInfo> {
	return new Promise((resolve) => {
		subprocess.once('exit', (code, signal) => {
			resolve({exitCode: code ?? undefined, signal: signal ?? undefined});
		});
		// A failed spawn emits 'error' and never 'exit'; execa (reject: false) resolves with the reason.
		subprocess.then(
			(result) => {
				if (result.failed && result.exitCode === undefined && !result.signal) {
					resolve({spawnError: result.shortMessage ?? result.message});
				}
			},
			(error: unknown) => {
				resolve({spawnError: (error as Error).message});
			},
		);
	});
}
