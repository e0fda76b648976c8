// Driving the built `openclaw` binary as a subprocess: isolated instances (HOME, state dir, config in a temp dir),
// real gateway processes, and one-shot commands with their exit code, stdout, stderr and wall time.
import {mkdir, rm, writeFile, mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bin = path.join(repoRoot, 'bin', 'openclaw.js');

export type Instance = {
	dir: string;
	home: string;
	stateDir: string;
	configPath: string;
	port: number;
	token: string;
	env: Record<string, string>;
	cleanup(): Promise<void>;
};

/** A private HOME + state dir + config (gateway.mode=local, token auth on `port`), sharing nothing with others. */
export async function makeInstance(options: {port: number; token?: string; config?: Record<string, unknown>; writeConfig?: boolean}): Promise<Instance> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-cli-'));
	const home = path.join(dir, 'home');
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	await mkdir(home, {recursive: true});
	await mkdir(stateDir, {recursive: true, mode: 0o700});
	const token = options.token ?? `token-${Math.random().toString(36).slice(2)}-${Date.now()}`;
	if (options.writeConfig !== false) {
		const config = options.config ?? {gateway: {mode: 'local', port: options.port, auth: {mode: 'token', token}}};
		await writeFile(configPath, JSON.stringify(config, null, 2), {mode: 0o600});
	}

	return {
		dir,
		home,
		stateDir,
		configPath,
		port: options.port,
		token,
		env: {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: home,
			OPENCLAW_STATE_DIR: stateDir,
			OPENCLAW_CONFIG_PATH: configPath,
			OPENCLAW_SERVICE_MANAGER: 'detached',
			NO_COLOR: '1',
		},
		async cleanup() {
			// A peer just killed (the reference TUI, its compile cache) may still be writing under it: retry a moment.
			await rm(dir, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
		},
	};
}

/**
 * A profile state dir (`~/.openclaw-NAME`) under a shared HOME, as `openclaw --profile NAME setup` would leave it: its
 * own port and token. Several of them under one HOME are what fleet discovery finds. Removed with the HOME, not alone.
 */
export async function makeProfileInstance(home: string, name: string, port: number): Promise<Instance> {
	const stateDir = path.join(home, `.openclaw-${name}`);
	await mkdir(stateDir, {recursive: true, mode: 0o700});
	const token = `${name}-token-${Date.now()}`;
	await writeFile(path.join(stateDir, 'openclaw.json'), JSON.stringify({gateway: {mode: 'local', port, auth: {mode: 'token', token}}}), {mode: 0o600});
	return {
		dir: stateDir,
		home,
		stateDir,
		configPath: path.join(stateDir, 'openclaw.json'),
		port,
		token,
		env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, OPENCLAW_PROFILE: name, OPENCLAW_SERVICE_MANAGER: 'detached', NO_COLOR: '1'},
		async cleanup() {},
	};
}

export type CliResult = {exitCode: number; stdout: string; stderr: string; ms: number};

/** Run `openclaw <args>` with exactly this environment (nothing leaks in from the test runner's). */
export async function openclaw(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CliResult> {
	const started = performance.now();
	const result = await execa('node', [bin, ...args], {env, extendEnv: false, reject: false, timeout: timeoutMs, stdin: 'ignore'});
	return {
		exitCode: result.exitCode ?? -1,
		stdout: String(result.stdout),
		stderr: String(result.stderr),
		ms: Math.round(performance.now() - started),
	};
}

export type GatewayProcess = {process: ResultPromise; stop(): Promise<void>};

async function waitReady(port: number, child: ResultPromise, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void child.then(
		() => (exited = true),
		() => (exited = true),
	);
	while (Date.now() < deadline && !exited) {
		try {
			const response = await fetch(`http://127.0.0.1:${port}/readyz`, {signal: AbortSignal.timeout(1000)});
			if (response.status === 200) {
				return;
			}
		} catch {}

		await new Promise((resolve) => setTimeout(resolve, 100));
	}

	throw new Error(`gateway on port ${port} did not become ready (exited: ${exited})`);
}

/** `openclaw gateway` in the foreground as a child process, ready when /readyz says so. */
export async function startGatewayProcess(instance: Instance, extraArgs: string[] = []): Promise<GatewayProcess> {
	const child = execa('node', [bin, 'gateway', '--port', String(instance.port), ...extraArgs], {
		env: instance.env,
		extendEnv: false,
		reject: false,
		stdin: 'ignore',
	});
	await waitReady(instance.port, child, 20_000);
	return {
		process: child,
		async stop() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
				await child;
				clearTimeout(timer);
			}
		},
	};
}
