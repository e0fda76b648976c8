// Test helpers for supervised processes: wait for a state event, tell whether a pid is gone, an isolated env.
import {readFileSync} from 'node:fs';
import type {EventEmitter} from 'node:events';

/** An environment without the developer's OpenClaw set-up: OPENCLAW_* removed, OPENCLAW_HOME pinned. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !key.startsWith('OPENCLAW_')) {
			env[key] = value;
		}
	}

	return {...env, HOME: home, OPENCLAW_HOME: home, ...extra};
}

/**
 * Resolve with the first `state` event (or the current state) matching `predicate`; reject after `timeoutMs` with
 * the states seen, so a failure says where it got stuck.
 */
export function waitForState<S extends {status: string}>(
	emitter: EventEmitter<any> & {state?: S},
	predicate: (state: S) => boolean,
	timeoutMs = 15_000,
	what = 'a matching state',
): Promise<S> {
	const seen: string[] = [];
	return new Promise((resolve, reject) => {
		const current = emitter.state;
		if (current && predicate(current)) {
			resolve(current);
			return;
		}

		const onState = (state: S) => {
			seen.push(state.status);
			if (predicate(state)) {
				clearTimeout(timer);
				emitter.off('state', onState);
				resolve(state);
			}
		};

		const timer = setTimeout(() => {
			emitter.off('state', onState);
			reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; states seen: ${seen.join(' -> ') || 'none'}`));
		}, timeoutMs);
		emitter.on('state', onState);
	});
}

/** True when the process no longer runs (an unreaped zombie counts as gone: it holds no port and does nothing). */
export function processGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return true;
	}

	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}

/** Poll `check` every 50 ms until it is true or `timeoutMs` passes; returns its last value. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) {
			return true;
		}

		if (Date.now() > deadline) {
			return false;
		}

		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

export async function httpStatus(url: string): Promise<number | undefined> {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
		await response.arrayBuffer();
		return response.status;
	} catch {
		return undefined;
	}
}
