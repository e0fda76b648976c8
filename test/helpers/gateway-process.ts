// Test helpers for the real `openclaw gateway` process (the built CLI): spawn it with an isolated HOME and state
// dir, wait for a line of its output, stop it with a signal and read its exit.
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';

export const cliPath = fileURLToPath(new URL('../../bin/openclaw.js', import.meta.url));

export type GatewayProcess = {
	child: ResultPromise<{reject: false; all: true; stdin: 'ignore'}>;
	/** Everything printed so far (stdout + stderr interleaved). */
	output(): string;
	/** Wait until the output matches `pattern`; returns the match. */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
	/** Resolves with the exit code (or the signal name) when the process ends. */
	exited: Promise<{exitCode?: number; signal?: string; ms: number}>;
	kill(signal?: NodeJS.Signals): void;
};

/** An environment with nothing of the developer's own OpenClaw set-up: HOME and the OPENCLAW_* variables pinned. */
export function isolatedEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
	const env: Record<string, string | undefined> = {...process.env};
	for (const key of Object.keys(env)) {
		if (key.startsWith('OPENCLAW_')) {
			env[key] = undefined;
		}
	}

	return {...env, HOME: home, OPENCLAW_HOME: home, ...extra};
}

export async function writeConfig(configPath: string, text: string): Promise<void> {
	await mkdir(path.dirname(configPath), {recursive: true, mode: 0o700});
	await writeFile(configPath, text, {mode: 0o600});
}

export function spawnGateway(args: string[], env: Record<string, string | undefined>): GatewayProcess {
	const started = Date.now();
	const child = execa('node', [cliPath, ...args], {
		env,
		extendEnv: false,
		reject: false,
		all: true,
		stdin: 'ignore',
	});
	let text = '';
	const waiters = new Set<() => void>();
	child.all?.on('data', (chunk: Buffer) => {
		text += chunk.toString();
		for (const waiter of waiters) {
			waiter();
		}
	});
	const exited = child.then((result) => ({
		exitCode: result.exitCode,
		signal: result.signal,
		ms: Date.now() - started,
	}));
	let done = false;
	void exited.then(() => {
		done = true;
		for (const waiter of waiters) {
			waiter();
		}
	});

	return {
		child,
		output: () => text,
		exited,
		kill(signal: NodeJS.Signals = 'SIGTERM') {
			child.kill(signal);
		},
		async waitFor(pattern, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const match = text.match(pattern);
				if (match) {
					return match;
				}

				if (done || Date.now() > deadline) {
					throw new Error(`${done ? 'process exited' : 'timed out'} before output matched ${pattern}; output:\n${text}`);
				}

				await new Promise<void>((resolve) => {
					const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
					function finish() {
						clearTimeout(timer);
						waiters.delete(finish);
						resolve();
					}

					waiters.add(finish);
				});
			}
		},
	};
}

/** Run the CLI to completion (for commands that fail at start). */
export async function runCli(
	args: string[],
	env: Record<string, string | undefined>,
	timeoutMs = 15_000,
): Promise<{exitCode?: number; output: string}> {
	const result = await execa('node', [cliPath, ...args], {
		env,
		extendEnv: false,
		reject: false,
		all: true,
		stdin: 'ignore',
		timeout: timeoutMs,
	});
	return {exitCode: result.exitCode, output: result.all ?? ''};
}
