// When a supervised child gateway exits on its own: restart it after a backoff, or give up. Pure, so the schedule
// and the crash-loop rule are unit tested without processes.
//
// API: defaultRestartPolicy, resolveRestartPolicy(partial), classifyExit(exit), planAfterCrash(input) -> plan.
// A crash loop is more than `maxRestarts` crashes within `windowMs`: then the supervisor stops restarting and says
// why. Exit codes 2 (usage) and 78 (configuration) are never retried: the same flags and config fail the same way.
import {backoffDelay, type BackoffPolicy} from '../client/backoff.js';

export type RestartPolicy = {
	/** Automatic restarts allowed within `windowMs`; the next crash after that gives up. */
	maxRestarts: number;
	windowMs: number;
	backoff: BackoffPolicy;
};

export type RestartPolicyOptions = {maxRestarts?: number; windowMs?: number; backoff?: Partial<BackoffPolicy>};

export const defaultRestartPolicy: RestartPolicy = {
	maxRestarts: 5,
	windowMs: 60_000,
	// No jitter: one supervisor restarting one child has nobody to fall into lockstep with.
	backoff: {initialMs: 500, maxMs: 15_000, factor: 2, jitter: 0},
};

export function resolveRestartPolicy(options: RestartPolicyOptions = {}): RestartPolicy {
	return {
		maxRestarts: options.maxRestarts ?? defaultRestartPolicy.maxRestarts,
		windowMs: options.windowMs ?? defaultRestartPolicy.windowMs,
		backoff: {...defaultRestartPolicy.backoff, ...options.backoff},
	};
}

/** The gateway's own exit codes that mean "retrying cannot help" (see gateway/run.ts exitCodes). */
export const permanentExitCodes: ReadonlyMap<number, string> = new Map([
	[2, 'bad usage'],
	[78, 'configuration error'],
]);

export type ChildExit = {exitCode?: number; signal?: string};

export type ExitKind = 'clean' | 'crash' | 'permanent';

/** An exit nobody asked for: 0 means someone stopped the gateway deliberately, 2/78 a start that cannot succeed. */
export function classifyExit(exit: ChildExit): ExitKind {
	if (exit.signal) {
		return 'crash';
	}

	if (exit.exitCode === 0) {
		return 'clean';
	}

	return exit.exitCode !== undefined && permanentExitCodes.has(exit.exitCode) ? 'permanent' : 'crash';
}

export function describeExit(exit: ChildExit): string {
	if (exit.signal) {
		return `killed by ${exit.signal}`;
	}

	return `exited with code ${exit.exitCode ?? 'unknown'}`;
}

export type CrashPlanInput = {
	exit: ChildExit;
	/** Times (ms) of earlier crashes; older entries outside the window are dropped. */
	crashTimes: readonly number[];
	now: number;
	policy: RestartPolicy;
	/** The last line the child wrote to stderr: the likeliest reason, quoted when giving up. */
	lastErrorLine?: string;
	/** For a policy with jitter; [0, 1). */
	random?: number;
};

export type CrashPlan =
	| {action: 'restart'; delayMs: number; attempt: number; crashTimes: number[]}
	| {action: 'give-up'; reason: string; crashTimes: number[]};

export function planAfterCrash(input: CrashPlanInput): CrashPlan {
	const {exit, now, policy} = input;
	const crashTimes = [...input.crashTimes.filter((time) => now - time < policy.windowMs), now];
	const why = input.lastErrorLine ? ` Last error: ${input.lastErrorLine}` : '';
	const kind = classifyExit(exit);
	if (kind === 'permanent') {
		const label = permanentExitCodes.get(exit.exitCode!) ?? 'error';
		return {
			action: 'give-up',
			crashTimes,
			reason: `gateway ${describeExit(exit)} (${label}); not restarting, the same start would fail again.${why}`,
		};
	}

	const attempt = crashTimes.length;
	if (attempt > policy.maxRestarts) {
		const seconds = Math.round(policy.windowMs / 1000);
		return {
			action: 'give-up',
			crashTimes,
			reason: `gateway crashed ${attempt} times within ${seconds} s (last: ${describeExit(exit)}); stopped restarting, fix the cause and start it again.${why}`,
		};
	}

	return {action: 'restart', attempt, crashTimes, delayMs: backoffDelay(attempt, policy.backoff, input.random ?? Math.random())};
}
