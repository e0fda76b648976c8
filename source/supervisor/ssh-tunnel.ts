// SshTunnel: `ssh -N -L 127.0.0.1:<local>:127.0.0.1:<remote> user@host` as a child, so the console reaches a remote
// gateway's loopback port; kept open with backoff when it dies.
//
//   const tunnel = new SshTunnel({target: 'ops@gw.example:2222', remotePort: 18789, identity?, localPort?});
//   tunnel.on('state', ({status, localPort, error, retryInMs, attempt}) => ...);
//       // opening -> open; later down (with the reason) -> reopening (retryInMs) -> open | failed; closed on stop()
//   tunnel.on('line', ({text, ts}) => ...);   // ssh's stderr, line by line
//   const {localPort} = await tunnel.start();  // resolves when the local port accepts TCP connections; rejects with
//                                              // one clear message (Permission denied, Connection refused...)
//   tunnel.url;  // ws://127.0.0.1:<localPort>, the same across reopens, so clients just reconnect
//   tunnel.command;  // the ssh argv of the latest attempt, to show next to an error
//   tunnel.explainConnectFailure(error);  // a client's "not reachable" through the open tunnel, said about the remote
//   await tunnel.stop();  // or dispose(); disposeSync() for process 'exit' (see cleanup.ts)
//   new SshTunnel({..., moreRemotePorts: [19001]}); tunnel.localPortFor(19001);  // several gateways, one connection
//
// The first start() does not retry: the operator sees the error at once. Once open, a dead tunnel is reopened
// forever (capped backoff) unless the failure is permanent (refused key, host key problem): then 'failed'.
import {EventEmitter} from 'node:events';
import {accessSync, constants, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {execa, type ResultPromise} from 'execa';
import {backoffDelay, type BackoffPolicy} from '../client/backoff.js';
import {watchExit, type ChildExitInfo} from './child-exit.js';
import {canConnect, freeLoopbackPort} from './loopback.js';
import {
	describeSshFailure,
	missingIdentity,
	parseSshTarget,
	remoteGatewayDown,
	sshTunnelArgs,
	type SshTarget,
	type SshTunnelArgsInput,
} from './ssh-command.js';

export type SshTunnelStatus = 'opening' | 'open' | 'down' | 'reopening' | 'closed' | 'failed';

export type SshTunnelState = {
	status: SshTunnelStatus;
	/** Undefined only before the first start() picked a free port. */
	localPort?: number;
	error?: string;
	/** In 'reopening': the wait before the next attempt. */
	retryInMs?: number;
	/** Reopen attempts since the tunnel was last open (0 while open). */
	attempt: number;
	pid?: number;
	/** Open, but the remote side refused the forwarded connection: nothing listens on remotePort there. */
	warning?: string;
};

export type SshTunnelOptions = {
	/** user@host or user@host:port (IPv6: user@[::1]:22). */
	target: string;
	/** The gateway's port on the remote host's loopback (default 18789). */
	remotePort?: number;
	identity?: string;
	/** Default: a free loopback port, kept across reopens. */
	localPort?: number;
	/** More gateways' ports on the same host, forwarded over the same connection (each to a free local port). */
	moreRemotePorts?: number[];
	sshPath?: string;
	extraArgs?: string[];
	knownHostsFile?: string;
	strictHostKeyChecking?: SshTunnelArgsInput['strictHostKeyChecking'];
	/** `-F FILE`; /dev/null ignores ~/.ssh/config. */
	configFile?: string;
	serverAliveIntervalSec?: number;
	serverAliveCountMax?: number;
	backoff?: Partial<BackoffPolicy>;
	/** Give up on one opening attempt after this long (default 20 s). */
	openTimeoutMs?: number;
	/** Stop reopening after this many failed attempts in a row (default: never). */
	maxReopenAttempts?: number;
	env?: Record<string, string | undefined>;
};

type Events = {state: [state: SshTunnelState]; line: [line: {text: string; ts: number}]};

type SshExit = ChildExitInfo;

type SshChild = {
	process: ResultPromise;
	pid?: number;
	exited: Promise<SshExit>;
	hasExited: boolean;
	expected: boolean;
	stderr: string[];
	/** The remote end refused a forwarded connection (nothing listens on remotePort there). */
	remoteRefused: boolean;
};

export const defaultTunnelBackoff: BackoffPolicy = {initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0};
const defaultRemotePort = 18_789;
const stderrLinesKept = 20;

const delay = (ms: number) =>
	new Promise<void>((resolve) => {
		setTimeout(resolve, ms);
	});

export class SshTunnelError extends Error {
	constructor(
		message: string,
		readonly permanent: boolean,
	) {
		super(message);
		this.name = 'SshTunnelError';
	}
}

/**
 * The --identity file, checked before ssh runs: ssh itself only warns about a missing one and then fails with
 * "Permission denied (publickey)", which sends the operator to the server's authorized_keys instead.
 */
function checkIdentity(identity: string | undefined): void {
	if (!identity) {
		return;
	}

	// ssh expands a leading ~ itself; a quoted "~/.ssh/key" reaches us unexpanded.
	const file = identity === '~' || identity.startsWith('~/') ? path.join(os.homedir(), identity.slice(1)) : identity;
	let isFile: boolean;
	try {
		isFile = statSync(file).isFile();
	} catch {
		throw new SshTunnelError(missingIdentity(identity), true);
	}

	if (!isFile) {
		throw new SshTunnelError(missingIdentity(identity, 'is not a file'), true);
	}

	try {
		accessSync(file, constants.R_OK);
	} catch (error) {
		throw new SshTunnelError(missingIdentity(identity, `not readable (${(error as NodeJS.ErrnoException).code ?? 'no access'})`), true);
	}
}

export class SshTunnel extends EventEmitter<Events> {
	private target?: SshTarget;
	private port?: number;
	/** remote port -> local port, for moreRemotePorts; picked once, kept across reopens. */
	private readonly morePorts = new Map<number, number>();
	private child?: SshChild;
	private opening?: Promise<{localPort: number}>;
	private reopenTimer?: NodeJS.Timeout;
	private attempt = 0;
	private stopped = true;
	private current: SshTunnelState;
	private lastCommand?: string[];
	private readonly exitHook = () => {
		this.disposeSync();
	};

	constructor(readonly options: SshTunnelOptions) {
		super();
		this.port = options.localPort;
		this.current = {status: 'closed', localPort: options.localPort, attempt: 0};
	}

	get state(): SshTunnelState {
		return this.current;
	}

	get localPort(): number | undefined {
		return this.port;
	}

	get url(): string | undefined {
		return this.port === undefined ? undefined : `ws://127.0.0.1:${this.port}`;
	}

	get pid(): number | undefined {
		return this.child && !this.child.hasExited ? this.child.pid : undefined;
	}

	/** The ssh argv of the latest attempt, to show with an error (the operator can run it by hand). */
	get command(): string[] | undefined {
		return this.lastCommand ? [...this.lastCommand] : undefined;
	}

	get remotePort(): number {
		return this.options.remotePort ?? defaultRemotePort;
	}

	/** The local end of the forward to `remotePort` (the main one or one of moreRemotePorts), once start() picked it. */
	localPortFor(remotePort: number): number | undefined {
		return remotePort === this.remotePort ? this.port : this.morePorts.get(remotePort);
	}

	async start(): Promise<{localPort: number}> {
		if (this.opening) {
			return this.opening;
		}

		if (this.current.status === 'open' && this.port !== undefined) {
			return {localPort: this.port};
		}

		this.stopped = false;
		this.attempt = 0;
		clearTimeout(this.reopenTimer);
		const opening = this.open('opening').finally(() => {
			if (this.opening === opening) {
				this.opening = undefined;
			}
		});
		this.opening = opening;
		try {
			return await opening;
		} catch (error) {
			if (!this.stopped) {
				this.transition('failed', {error: (error as Error).message});
			}

			throw error;
		}
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.reopenTimer);
		const child = this.child;
		if (child && !child.hasExited) {
			child.expected = true;
			child.process.kill('SIGTERM');
			// The grace timer is cleared once ssh is gone: left running, it would hold a finished command open for 3 s.
			let grace: NodeJS.Timeout | undefined;
			const exited = await Promise.race([
				child.exited.then(() => true),
				new Promise<boolean>((resolve) => {
					grace = setTimeout(() => resolve(false), 3000);
				}),
			]);
			clearTimeout(grace);
			if (!exited) {
				child.process.kill('SIGKILL');
				await child.exited;
			}
		}

		await this.opening?.catch(() => {});
		process.off('exit', this.exitHook);
		if (this.current.status !== 'closed') {
			this.transition('closed');
		}
	}

	async dispose(): Promise<void> {
		await this.stop();
	}

	disposeSync(): void {
		this.stopped = true;
		clearTimeout(this.reopenTimer);
		if (this.child && !this.child.hasExited) {
			this.child.expected = true;
			this.child.process.kill('SIGTERM');
		}

		process.off('exit', this.exitHook);
	}

	private transition(status: SshTunnelStatus, extra: Partial<SshTunnelState> = {}): void {
		this.current = {status, localPort: this.port, attempt: this.attempt, ...extra};
		this.emit('state', this.current);
	}

	/** One attempt: spawn ssh and wait until the forward accepts connections, or ssh exits (rejects with why). */
	private async open(status: 'opening' | 'reopening'): Promise<{localPort: number}> {
		this.target ??= parseSshTarget(this.options.target);
		checkIdentity(this.options.identity);
		this.port ??= await freeLoopbackPort();
		for (const remotePort of this.options.moreRemotePorts ?? []) {
			if (remotePort !== this.remotePort && !this.morePorts.has(remotePort)) {
				this.morePorts.set(remotePort, await freeLoopbackPort());
			}
		}

		const target = this.target;
		const localPort = this.port;
		if (this.stopped) {
			throw new SshTunnelError('the tunnel was stopped before it opened', true);
		}
		if (status === 'opening') {
			this.transition('opening');
		}

		const args = sshTunnelArgs({
			target,
			localPort,
			remotePort: this.remotePort,
			moreForwards: [...this.morePorts].map(([remotePort, local]) => ({localPort: local, remotePort})),
			identity: this.options.identity,
			knownHostsFile: this.options.knownHostsFile,
			strictHostKeyChecking: this.options.strictHostKeyChecking,
			configFile: this.options.configFile,
			serverAliveIntervalSec: this.options.serverAliveIntervalSec,
			serverAliveCountMax: this.options.serverAliveCountMax,
			extraArgs: this.options.extraArgs,
		});
		this.lastCommand = [this.options.sshPath ?? 'ssh', ...args];
		const subprocess = execa(this.options.sshPath ?? 'ssh', args, {
			env: this.options.env,
			stdin: 'ignore',
			stdout: 'ignore',
			stderr: 'pipe',
			buffer: false,
			reject: false,
			// Its own session: no terminal to prompt on, and a terminal's signals go to the console, which stops it.
			detached: true,
			forceKillAfterDelay: false,
		});
		const child: SshChild = {
			process: subprocess,
			pid: subprocess.pid,
			hasExited: false,
			expected: false,
			stderr: [],
			remoteRefused: false,
			exited: watchExit(subprocess),
		};
		this.child = child;
		process.off('exit', this.exitHook);
		process.on('exit', this.exitHook);
		this.readStderr(child);
		void child.exited.then((exit) => {
			child.hasExited = true;
			this.onExit(child, exit);
		});

		const timeoutMs = this.options.openTimeoutMs ?? 20_000;
		const deadline = Date.now() + timeoutMs;
		while (!child.hasExited) {
			if ((await this.allForwardsListen(localPort)) && !child.hasExited) {
				this.attempt = 0;
				this.transition('open', {pid: child.pid, warning: this.remoteWarning(child)});
				return {localPort};
			}

			if (Date.now() > deadline) {
				child.expected = true;
				child.process.kill('SIGKILL');
				throw new SshTunnelError(`ssh to ${target.display} did not open the forward within ${timeoutMs} ms (local port ${localPort})`, false);
			}

			await Promise.race([delay(100), child.exited]);
		}

		const exit = await child.exited;
		if (exit.spawnError) {
			throw new SshTunnelError(`cannot run ssh (${this.options.sshPath ?? 'ssh'}): ${exit.spawnError}. Fix: install the OpenSSH client.`, true);
		}

		await delay(20);
		if (child.expected) {
			throw new SshTunnelError('the tunnel was stopped before it opened', true);
		}

		const failure = describeSshFailure({target, stderr: child.stderr.join('\n'), ...exit, localPort, remotePort: this.remotePort});
		throw new SshTunnelError(failure.message, failure.permanent);
	}

	/** ssh binds every -L before it goes quiet (ExitOnForwardFailure makes a failed bind an exit): all accept, or not yet. */
	private async allForwardsListen(localPort: number): Promise<boolean> {
		const answers = await Promise.all([localPort, ...this.morePorts.values()].map(async (port) => canConnect(port)));
		return answers.every(Boolean);
	}

	private readStderr(child: SshChild): void {
		const stream = child.process.stderr;
		if (!stream) {
			return;
		}

		const reader = createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY});
		reader.on('line', (text) => {
			// Forward-channel chatter (our readiness probe, a client whose remote end refused) is not a tunnel error.
			if (/^channel \d+: open failed: connect failed/.test(text)) {
				const first = !child.remoteRefused;
				child.remoteRefused = true;
				if (first && this.current.status === 'open' && child === this.child) {
					this.transition('open', {pid: child.pid, warning: this.remoteWarning(child)});
				}
			} else {
				child.stderr.push(text);
				if (child.stderr.length > stderrLinesKept) {
					child.stderr.shift();
				}
			}

			this.emit('line', {text, ts: Date.now()});
		});
	}

	private remoteWarning(child: SshChild): string | undefined {
		return child.remoteRefused && this.target ? remoteGatewayDown(this.target, this.remotePort) : undefined;
	}

	/**
	 * A client's connect failure through this tunnel, said about the remote side: while the tunnel is open, the local
	 * port is ssh's and always accepts, so "not reachable" there (a reset, or a close without a close frame, by how
	 * far the upgrade got when ssh dropped it) means nothing answered on the remote port. Undefined for failures the
	 * tunnel does not explain: auth, protocol, a gateway's own close code, a tunnel that is not open.
	 */
	explainConnectFailure(error: unknown): string | undefined {
		const failure = error as {kind?: unknown; detail?: {code?: unknown}} | undefined;
		const dropped = failure?.kind === 'unreachable' || (failure?.kind === 'closed' && failure.detail?.code === 1006);
		if (!dropped || this.current.status !== 'open' || !this.target) {
			return undefined;
		}

		return remoteGatewayDown(this.target, this.remotePort);
	}

	private onExit(child: SshChild, exit: SshExit): void {
		if (child !== this.child || child.expected || this.stopped || this.current.status !== 'open') {
			return;
		}

		// Give the reader a moment to deliver ssh's last words (the reason) before quoting them.
		setTimeout(() => {
			if (this.stopped || child !== this.child) {
				return;
			}

			const failure = describeSshFailure({target: this.target!, stderr: child.stderr.join('\n'), ...exit, localPort: this.port});
			this.transition('down', {error: failure.message});
			this.scheduleReopen(failure.message);
		}, 20);
	}

	private scheduleReopen(error: string): void {
		this.attempt++;
		const max = this.options.maxReopenAttempts ?? Number.POSITIVE_INFINITY;
		if (this.attempt > max) {
			this.transition('failed', {error: `gave up reopening the tunnel after ${max} attempts: ${error}`});
			return;
		}

		const retryInMs = backoffDelay(this.attempt, {...defaultTunnelBackoff, ...this.options.backoff});
		this.transition('reopening', {retryInMs, error});
		this.reopenTimer = setTimeout(() => {
			this.reopenTimer = undefined;
			if (this.stopped) {
				return;
			}

			const opening = this.open('reopening').finally(() => {
				if (this.opening === opening) {
					this.opening = undefined;
				}
			});
			this.opening = opening;
			opening.catch((reason: unknown) => {
				if (this.stopped) {
					return;
				}

				const message = (reason as Error).message;
				if (reason instanceof SshTunnelError && reason.permanent) {
					this.transition('failed', {error: message});
					return;
				}

				this.scheduleReopen(message);
			});
		}, retryInMs);
	}
}
