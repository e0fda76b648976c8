// LocalGateway: runs `openclaw gateway` as a child process for the console and keeps it running.
//
//   const gateway = new LocalGateway({profile, port?, restartPolicy?});
//   gateway.on('state', (state) => ...);   // LocalGatewayState: starting | running | stopping | stopped | crashed |
//                                          //   restarting | backoff | failed, with pid, port, exit code/signal...
//   gateway.on('line', ({stream, text, ts}) => ...);   // the child's stdout/stderr, line by line
//   await gateway.start();   // resolves when GET /readyz answers 200; rejects with the child's stderr if it exits
//   gateway.url; gateway.token; gateway.pid; gateway.state; gateway.command; gateway.stateDir; gateway.configPath;
//   await gateway.restart();  // stop, then a new child (new pid) on the same port
//   await gateway.stop();     // SIGTERM (the gateway sends `shutdown` to its clients), SIGKILL after a grace period
//   await gateway.dispose();  // stop, and remove the temporary state dir if one was made
//
// Config: the resolved profile when its config file exists, else a state dir of its own (temporary unless given)
// with a generated token (see embedded-profile.ts). The token reaches the child through OPENCLAW_GATEWAY_TOKEN.
// An exit nobody asked for is a crash: restarted with backoff until the crash-loop rule gives up (restart-policy.ts).
// The child runs in its own session so a terminal's SIGINT/SIGHUP reach only the console, which then stops it
// cleanly; call installCleanupHandlers(gateway) (cleanup.ts) so that happens on signals too.
import {EventEmitter} from 'node:events';
import {rmSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {execa, type ResultPromise} from 'execa';
import type {Env} from '../protocol/config/paths.js';
import {readTokenFile, tokenFilePath} from '../protocol/config/token-file.js';
import {writeFileAtomic} from '../protocol/config/write.js';
import {watchExit} from './child-exit.js';
import {childInvocation, defaultCliPath, resolveEmbeddedProfile, type ChildInvocation, type EmbeddedProfile} from './embedded-profile.js';
import {freeLoopbackPort, readyzOk} from './loopback.js';
import {describeExit, planAfterCrash, resolveRestartPolicy, type ChildExit, type RestartPolicy, type RestartPolicyOptions} from './restart-policy.js';

export type LocalGatewayStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed' | 'restarting' | 'backoff' | 'failed';

export type LocalGatewayState = {
	status: LocalGatewayStatus;
	pid?: number;
	/** Undefined only before the first start() picked a free port. */
	port?: number;
	startedAt?: number;
	exitCode?: number;
	signal?: string;
	/** Restarts so far (automatic and restart() calls). */
	restarts: number;
	/** In 'backoff': when the next automatic start happens (epoch ms). */
	nextRestartAt?: number;
	lastError?: string;
	/** The child's last stderr lines, on crashed/failed. */
	stderrTail?: string[];
	/** A throwaway gateway's temporary state dir, where its token file lets another terminal reach it. */
	temporaryStateDir?: string;
};

export type LocalGatewayLine = {stream: 'stdout' | 'stderr'; text: string; ts: number};

export type LocalGatewayOptions = {
	/** Default: a free loopback port, kept across restarts. */
	port?: number;
	profile?: string;
	dev?: boolean;
	/** Environment to resolve the profile from and to give the child (default process.env). */
	env?: Env;
	stateDir?: string;
	configPath?: string;
	/** A token to use instead of the configured/generated one. */
	token?: string;
	/** Pass --allow-unconfigured even with a config file (always passed without one). */
	allowUnconfigured?: boolean;
	verbose?: boolean;
	restartPolicy?: RestartPolicyOptions;
	/** The `openclaw` entry script (default: this package's bin/openclaw.js). */
	cliPath?: string;
	/** Give up on a start that is not ready after this long (default 20 s). */
	startTimeoutMs?: number;
	/** Wait this long after SIGTERM before SIGKILL (default 5 s; the gateway exits within 2 s). */
	stopGraceMs?: number;
};

type Events = {state: [state: LocalGatewayState]; line: [line: LocalGatewayLine]};

type Child = {
	process: ResultPromise;
	pid: number;
	exited: Promise<ChildExit>;
	hasExited: boolean;
	/** Set before a kill we asked for, so its exit is not taken for a crash. */
	expected: boolean;
	sawListening: boolean;
	command: string[];
};

const stderrTailLines = 20;
const readyPollMs = 100;

const delay = (ms: number) =>
	new Promise<void>((resolve) => {
		setTimeout(resolve, ms);
	});

export class LocalGateway extends EventEmitter<Events> {
	private readonly policy: RestartPolicy;
	private profile?: EmbeddedProfile;
	private tempDir?: string;
	private child?: Child;
	private launching?: Promise<void>;
	private backoffTimer?: NodeJS.Timeout;
	private crashTimes: number[] = [];
	private restarts = 0;
	private stderrTail: string[] = [];
	private disposed = false;
	private current: LocalGatewayState;
	private portNumber?: number;
	/** Bumped by stop(): a start still preparing when it changes must not spawn anything. */
	private epoch = 0;
	private readonly exitHook = () => {
		this.disposeSync();
	};

	constructor(readonly options: LocalGatewayOptions = {}) {
		super();
		this.policy = resolveRestartPolicy(options.restartPolicy);
		this.portNumber = options.port;
		this.current = {status: 'stopped', port: options.port, restarts: 0};
	}

	get state(): LocalGatewayState {
		return this.current;
	}

	get port(): number | undefined {
		return this.portNumber;
	}

	get url(): string | undefined {
		return this.portNumber === undefined ? undefined : `ws://127.0.0.1:${this.portNumber}`;
	}

	get pid(): number | undefined {
		return this.child && !this.child.hasExited ? this.child.pid : undefined;
	}

	/** The running child's argv (secrets never appear in it), for display. */
	get command(): string[] | undefined {
		return this.child && !this.child.hasExited ? [...this.child.command] : undefined;
	}

	/** The token clients need; for a configured profile without one, the file the gateway generated at start. */
	get token(): string | undefined {
		if (!this.profile) {
			return undefined;
		}

		if (this.profile.token || this.profile.kind === 'unconfigured') {
			return this.profile.token;
		}

		return this.profile.password ? undefined : readTokenFile(this.profile.stateDir);
	}

	get password(): string | undefined {
		return this.profile?.kind === 'configured' ? this.profile.password : undefined;
	}

	/**
	 * Read a configured profile's credentials again, without a restart: a running child in hybrid or restart mode
	 * restarts itself in-process on a changed gateway.auth.token, and then only the new one gets in. A throwaway
	 * gateway's token is its own and never changes. Says whether anything changed.
	 */
	rereadCredentials(): boolean {
		if (this.profile?.kind !== 'configured') {
			return false;
		}

		try {
			const fresh = resolveEmbeddedProfile(
				{profile: this.options.profile, dev: this.options.dev, stateDir: this.options.stateDir, configPath: this.options.configPath, token: this.options.token},
				this.options.env ?? process.env,
			);
			if (fresh.kind !== 'configured' || (fresh.token === this.profile.token && fresh.password === this.profile.password)) {
				return false;
			}

			this.profile = {...this.profile, token: fresh.token, password: fresh.password};
			return true;
		} catch {
			return false; // a config broken meanwhile: keep what the child was started with
		}
	}

	/** 'configured' (the operator's profile), 'unconfigured' (own state dir), or undefined before start(). */
	get profileKind(): EmbeddedProfile['kind'] | undefined {
		return this.profile?.kind;
	}

	get stateDir(): string | undefined {
		return this.profile?.stateDir ?? this.tempDir;
	}

	get configPath(): string | undefined {
		if (this.profile?.kind === 'configured') {
			return this.profile.configPath;
		}

		const dir = this.stateDir;
		return this.profile?.configPath ?? (dir ? path.join(dir, 'openclaw.json') : undefined);
	}

	/**
	 * Start the child (a no-op when running; joins a start under way). A user start forgets earlier crashes.
	 * `force`: this one start frees the port first (`gateway --force`); automatic restarts never do.
	 */
	async start(options: {force?: boolean} = {}): Promise<void> {
		if (this.disposed) {
			throw new Error('LocalGateway was disposed: create a new one');
		}

		if (this.launching) {
			return this.launching;
		}

		const child = this.child;
		if (child && !child.hasExited) {
			if (!child.expected) {
				return;
			}

			// Being stopped: let it finish, then start afresh.
			await child.exited;
		}

		this.clearBackoff();
		this.crashTimes = [];
		return this.launch('starting', options.force === true);
	}

	/** Stop the child and any pending automatic restart. Not a crash: nothing restarts it. */
	async stop(): Promise<void> {
		this.epoch++;
		this.clearBackoff();
		const child = this.child;
		if (!child || child.hasExited) {
			if (this.current.status !== 'stopped' && this.current.status !== 'failed') {
				this.transition('stopped');
			}

			return;
		}

		this.transition('stopping', {pid: child.pid});
		const exit = await this.stopChild(child);
		this.transition('stopped', {exitCode: exit.exitCode, signal: exit.signal});
	}

	/** Stop, then start a new child on the same port (new pid). */
	async restart(): Promise<void> {
		if (this.disposed) {
			throw new Error('LocalGateway was disposed: create a new one');
		}

		this.clearBackoff();
		this.crashTimes = [];
		this.restarts++;
		// Cancels a start still preparing; one waiting for readiness fails when its child is stopped below.
		this.epoch++;
		const child = this.child;
		this.transition('restarting', {pid: child?.hasExited ? undefined : child?.pid});
		if (child && !child.hasExited) {
			await this.stopChild(child);
		}

		await this.launching?.catch(() => {});
		if (this.child && !this.child.hasExited) {
			await this.stopChild(this.child);
		}

		return this.launch('restarting');
	}

	async dispose(): Promise<void> {
		this.disposed = true;
		await this.stop();
		process.off('exit', this.exitHook);
		if (this.tempDir) {
			await rm(this.tempDir, {recursive: true, force: true});
			this.tempDir = undefined;
		}
	}

	/** For process 'exit' listeners, where nothing async runs: SIGTERM the child, remove the temp dir. */
	disposeSync(): void {
		this.disposed = true;
		this.epoch++;
		this.clearBackoff();
		if (this.child && !this.child.hasExited) {
			this.child.expected = true;
			this.child.process.kill('SIGTERM');
		}

		process.off('exit', this.exitHook);
		if (this.tempDir) {
			rmSync(this.tempDir, {recursive: true, force: true});
			this.tempDir = undefined;
		}
	}

	private transition(status: LocalGatewayStatus, extra: Partial<LocalGatewayState> = {}): void {
		const temporary = this.tempDir && this.profile?.kind === 'unconfigured' ? {temporaryStateDir: this.tempDir} : {};
		this.current = {status, port: this.portNumber, restarts: this.restarts, ...temporary, ...extra};
		this.emit('state', this.current);
	}

	private clearBackoff(): void {
		clearTimeout(this.backoffTimer);
		this.backoffTimer = undefined;
	}

	private launch(status: 'starting' | 'restarting', force = false): Promise<void> {
		const launching = this.launchChild(status, force).finally(() => {
			if (this.launching === launching) {
				this.launching = undefined;
			}
		});
		this.launching = launching;
		return launching;
	}

	private async prepare(): Promise<{profile: EmbeddedProfile; stateDir: string; port: number}> {
		// Read afresh at every start: the operator may have fixed the config or changed its token since the last one,
		// and the console must hold the credentials this start will use. A throwaway (unconfigured) gateway keeps the
		// token it generated, so its state dir and clients stay valid across restarts.
		const fresh = resolveEmbeddedProfile(
			{profile: this.options.profile, dev: this.options.dev, stateDir: this.options.stateDir, configPath: this.options.configPath, token: this.options.token},
			this.options.env ?? process.env,
		);
		this.profile = this.profile?.kind === 'unconfigured' && fresh.kind === 'unconfigured' ? this.profile : fresh;
		let stateDir = this.profile.stateDir;
		if (!stateDir) {
			if (!this.tempDir) {
				this.tempDir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-console-'));
				// The child gets its token by env; the file (0600, in a 0700 dir) is for another terminal:
				// `OPENCLAW_STATE_DIR=<dir> openclaw status` finds it as for any local gateway.
				await writeFileAtomic(tokenFilePath(this.tempDir), `${this.profile.token}\n`, {mode: 0o600});
			}

			stateDir = this.tempDir;
		}

		// --port, else a configured profile's own port as the file says it now: a start after the operator fixed or
		// changed gateway.port must not reuse the port of a start from the old file (a broken file resolves to the
		// default port, possibly another gateway's). Only a throwaway (unconfigured) gateway takes any free port, kept
		// across restarts so that its clients and the command `?` shows stay valid.
		const configured = this.profile.kind === 'configured' ? this.profile.port : undefined;
		this.portNumber = this.options.port ?? configured ?? this.portNumber ?? (await freeLoopbackPort());
		return {profile: this.profile, stateDir, port: this.portNumber};
	}

	/** One start, step by step: prepare (profile, state dir, port), spawn, watch its output and exit, wait until ready. */
	private async launchChild(status: 'starting' | 'restarting', force: boolean): Promise<void> {
		const epoch = this.epoch;
		this.transition(status);
		const prepared = await this.prepareOrFail();
		if (epoch !== this.epoch || this.disposed) {
			throw new Error('gateway was stopped before it started');
		}

		const child = await this.spawnChild(
			childInvocation({
				...prepared,
				cliPath: this.options.cliPath ?? defaultCliPath(),
				allowUnconfigured: this.options.allowUnconfigured,
				verbose: this.options.verbose,
				force,
			}),
		);
		this.watchChild(child);
		this.transition(status, {pid: child.pid});
		await this.waitReady(child, prepared.port);
		this.transition('running', {pid: child.pid, startedAt: Date.now()});
	}

	private async prepareOrFail(): ReturnType<LocalGateway['prepare']> {
		try {
			return await this.prepare();
		} catch (error) {
			this.transition('failed', {lastError: (error as Error).message});
			throw error;
		}
	}

	/** Start the child process; a spawn that fails (no pid) is the 'failed' state and an error naming the file. */
	private async spawnChild(invocation: ChildInvocation): Promise<Child> {
		this.stderrTail = [];
		const subprocess = execa(invocation.file, invocation.args, {
			env: invocation.env,
			extendEnv: false,
			stdin: 'ignore',
			stdout: 'pipe',
			stderr: 'pipe',
			buffer: false,
			reject: false,
			// Its own session: a terminal's SIGINT/SIGHUP must not kill it before the console can stop it cleanly.
			detached: true,
			forceKillAfterDelay: false,
		});
		if (subprocess.pid === undefined) {
			const exit = await watchExit(subprocess);
			const message = `cannot start the gateway (${invocation.file}): ${exit.spawnError ?? describeExit(exit)}`;
			this.transition('failed', {lastError: message});
			throw new Error(message);
		}

		return {
			process: subprocess,
			pid: subprocess.pid,
			hasExited: false,
			expected: false,
			sawListening: false,
			command: [invocation.file, ...invocation.args],
			exited: watchExit(subprocess),
		};
	}

	/** Make `child` the current one: pass its lines on, react to its exit, and stop it if the console exits. */
	private watchChild(child: Child): void {
		this.child = child;
		// Until dispose: a console that exits without disposing still stops its child and removes the temp dir.
		process.off('exit', this.exitHook);
		process.on('exit', this.exitHook);
		this.readLines(child, 'stdout');
		this.readLines(child, 'stderr');
		void child.exited.then((exit) => {
			child.hasExited = true;
			this.onExit(child, exit);
		});
	}

	private readLines(child: Child, stream: 'stdout' | 'stderr'): void {
		const source = child.process[stream];
		if (!source) {
			return;
		}

		const reader = createInterface({input: source, crlfDelay: Number.POSITIVE_INFINITY});
		reader.on('line', (text) => {
			if (stream === 'stdout' && !child.sawListening && /listening on ws:\/\//.test(text)) {
				child.sawListening = true;
			}

			if (stream === 'stderr') {
				this.stderrTail.push(text);
				if (this.stderrTail.length > stderrTailLines) {
					this.stderrTail.shift();
				}
			}

			this.emit('line', {stream, text, ts: Date.now()});
		});
	}

	/** Ready = our child said it listens (not some other process on the port) and /readyz answers 200. */
	private async waitReady(child: Child, port: number): Promise<void> {
		const timeoutMs = this.options.startTimeoutMs ?? 20_000;
		const deadline = Date.now() + timeoutMs;
		while (!child.hasExited) {
			if (child.sawListening && (await readyzOk(port))) {
				if (!child.hasExited) {
					return;
				}

				break;
			}

			if (Date.now() > deadline) {
				this.stderrTail.push(`gateway did not become ready within ${timeoutMs} ms (GET http://127.0.0.1:${port}/readyz)`);
				child.process.kill('SIGKILL');
				break;
			}

			await Promise.race([delay(readyPollMs), child.exited]);
		}

		const exit = await child.exited;
		// Let the reader deliver the last stderr lines (the ones saying why) before quoting them.
		await delay(20);
		if (child.expected) {
			throw new Error('gateway was stopped before it became ready');
		}

		const tail = this.stderrTail.slice(-5).join('\n');
		throw new Error(`gateway ${describeExit(exit)} before it was ready${tail ? `:\n${tail}` : ''}`);
	}

	private lastStderrLine(): string | undefined {
		return this.stderrTail.at(-1);
	}

	private async stopChild(child: Child): Promise<ChildExit> {
		child.expected = true;
		if (!child.hasExited) {
			child.process.kill('SIGTERM');
		}

		const graceMs = this.options.stopGraceMs ?? 5000;
		const timedOut = Symbol('timeout');
		let timer: NodeJS.Timeout | undefined;
		const first = await Promise.race([
			child.exited,
			new Promise<typeof timedOut>((resolve) => {
				timer = setTimeout(() => resolve(timedOut), graceMs);
			}),
		]);
		clearTimeout(timer);
		if (first !== timedOut) {
			return first;
		}

		// SIGTERM is pending on a stopped (SIGSTOP) process too; SIGKILL ends it either way.
		child.process.kill('SIGKILL');
		return child.exited;
	}

	private onExit(child: Child, exit: ChildExit): void {
		if (this.child !== child) {
			return;
		}

		if (child.expected) {
			return;
		}

		const stderrTail = [...this.stderrTail];
		if (exit.exitCode === 0 && !exit.signal) {
			this.transition('stopped', {exitCode: 0, lastError: 'the gateway exited on its own (code 0): something stopped it'});
			return;
		}

		const lastErrorLine = this.lastStderrLine();
		this.transition('crashed', {pid: child.pid, exitCode: exit.exitCode, signal: exit.signal, lastError: lastErrorLine ?? describeExit(exit), stderrTail});
		if (this.disposed) {
			return;
		}

		const plan = planAfterCrash({exit, crashTimes: this.crashTimes, now: Date.now(), policy: this.policy, lastErrorLine});
		this.crashTimes = plan.crashTimes;
		if (plan.action === 'give-up') {
			this.transition('failed', {exitCode: exit.exitCode, signal: exit.signal, lastError: plan.reason, stderrTail});
			return;
		}

		const nextRestartAt = Date.now() + plan.delayMs;
		this.transition('backoff', {exitCode: exit.exitCode, signal: exit.signal, nextRestartAt, lastError: lastErrorLine ?? describeExit(exit)});
		this.backoffTimer = setTimeout(() => {
			this.backoffTimer = undefined;
			this.restarts++;
			// A failed attempt reports itself through its own exit (crash -> backoff or failed).
			this.launch('restarting').catch(() => {});
		}, plan.delayMs);
	}
}
