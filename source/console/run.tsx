// The console's entry: plans the mode from the flags, then either prints a --once snapshot or renders the App with
// its controller (local child gateway, attached gateway, or SSH tunnel) until the operator quits.
import {parsePort} from '../protocol/config/paths.js';
import {UsageError} from '../protocol/errors.js';
import {terminalSafe} from '../cli-output/terminal-safe.js';
import type {CommandContext, consoleFlags} from '../commands/registry.js';
import {resolveTarget} from '../config/target.js';
import {installCleanupHandlers, type CleanupTarget} from '../supervisor/cleanup.js';
import type {LocalGateway, LocalGatewayState} from '../supervisor/local-gateway.js';
import {App} from './App.js';
import type {ConsoleEffects} from './hooks/useConsoleInput.js';
import {ConsoleController} from './live/controller.js';
import {collectSnapshot, formatSnapshot} from './live/snapshot.js';
import {initialConsoleState, type ConsoleMode} from './state/index.js';
import {renderUntilFinished, restoreScreen} from './screen-session.js';
import {ConsoleStore} from './store.js';
import {themeFor} from './theme.js';
import {capYoungGeneration} from './young-generation.js';

type ConsoleFlags = CommandContext<typeof consoleFlags>['flags'];

type Plan =
	| {mode: 'local'; port?: number}
	| {mode: 'attach'; url: string; token?: string; password?: string; localService: boolean; port?: number; rereadCredentials?: () => {token?: string; password?: string}}
	| {mode: 'ssh'; target: string; remotePort: number; identity?: string; token?: string; password?: string};

function plan(flags: ConsoleFlags, context: CommandContext): Plan {
	const env = context.env;
	if (flags.ssh) {
		if (flags.url) {
			throw new UsageError('--ssh and --url both name the gateway: use one of them');
		}

		return {
			mode: 'ssh',
			target: flags.ssh,
			remotePort: flags.remotePort ? parsePort(flags.remotePort, '--remote-port') : 18_789,
			identity: flags.identity,
			token: flags.token ?? (env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined),
			password: flags.password ?? (env.OPENCLAW_GATEWAY_PASSWORD?.trim() || undefined),
		};
	}

	if (flags.url || flags.attach || flags.once) {
		const selection = {url: flags.url, token: flags.token, password: flags.password, port: flags.port, profile: context.profile, dev: context.dev};
		const target = resolveTarget(selection, env);
		// Credentials from the profile (its config or token file) may change while the console runs; given ones do not.
		const fromProfile = target.credentialSource === 'config' || target.credentialSource === 'token-file';
		const rereadCredentials = fromProfile
			? () => {
					const fresh = resolveTarget(selection, env);
					return {token: fresh.token, password: fresh.password};
				}
			: undefined;
		return {mode: 'attach', url: target.url, token: target.token, password: target.password, localService: target.urlSource === 'local', port: target.port, rereadCredentials};
	}

	return {mode: 'local', port: flags.port ? parsePort(flags.port, '--port') : undefined};
}

async function once(planned: Plan, context: CommandContext): Promise<number> {
	let url: string;
	let tunnel: {dispose(): Promise<void>; explainConnectFailure(error: unknown): string | undefined} | undefined;
	if (planned.mode === 'ssh') {
		const {SshTunnel} = await import('../supervisor/ssh-tunnel.js');
		const ssh = new SshTunnel({target: planned.target, remotePort: planned.remotePort, identity: planned.identity});
		tunnel = ssh;
		try {
			const {localPort} = await ssh.start();
			url = `ws://127.0.0.1:${localPort}`;
		} catch (error) {
			// ssh's own words (its stderr) come from the remote host's side of the conversation.
			process.stderr.write(`${terminalSafe(`openclaw console: ssh tunnel to ${planned.target} failed: ${(error as Error).message}`, {multiline: true})}\n`);
			return 1;
		}
	} else if (planned.mode === 'attach') {
		url = planned.url;
	} else {
		throw new Error('unreachable: --once always attaches');
	}

	try {
		const {state, ok} = await collectSnapshot({
			url,
			token: planned.token,
			password: planned.password,
			mode: planned.mode,
			profile: context.profile,
			sshTarget: planned.mode === 'ssh' ? planned.target : undefined,
			explainFailure: (error) => tunnel?.explainConnectFailure(error),
		});
		process.stdout.write(`${formatSnapshot(state)}\n`);
		if (!ok) {
			process.stderr.write(`openclaw console: ${state.connection.error ?? `gateway not reachable at ${url}`}\n`);
		}

		return ok ? 0 : 1;
	} finally {
		await tunnel?.dispose();
	}
}

/** A service manager runs the gateway we attached to? Then R restarts it through that manager. */
async function serviceRestartFor(planned: Extract<Plan, {mode: 'attach'}>, context: CommandContext) {
	return async (status: {pid?: number}) => {
		if (!planned.localService || status.pid === undefined || planned.port === undefined) {
			return undefined;
		}

		const [{serviceController}, {resolvePaths}] = await Promise.all([import('../supervisor/service.js'), import('../protocol/config/paths.js')]);
		const paths = resolvePaths({profile: context.profile, dev: context.dev}, context.env);
		const controller = await serviceController({paths, port: planned.port, env: context.env, credentials: {url: planned.url, token: planned.token, password: planned.password}});
		const service = await controller.status();
		return service.running && service.pid === status.pid ? async () => controller.restart() : undefined;
	};
}

/** Resolves once the child process exists or its start failed, and after `limitMs` at the latest. */
async function spawned(local: LocalGateway, limitMs: number): Promise<void> {
	await new Promise<void>((resolve) => {
		const done = () => {
			clearTimeout(timer);
			local.off('state', onState);
			resolve();
		};

		const onState = (state: LocalGatewayState) => {
			if (state.pid !== undefined || state.status === 'failed') {
				done();
			}
		};

		const timer = setTimeout(done, limitMs);
		local.on('state', onState);
	});
}

export async function runConsole(context: CommandContext<typeof consoleFlags>): Promise<number> {
	const {flags} = context;
	if (flags.fleet) {
		const {runFleetConsole} = await import('./fleet-run.js');
		return runFleetConsole(context);
	}

	const planned = plan(flags, context);
	if (flags.once) {
		return once(planned, context);
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'openclaw console needs an interactive terminal (TTY) on stdin and stdout. For a plain status snapshot, run `openclaw console --once`.\n',
		);
		return 1;
	}

	const mode: ConsoleMode = planned.mode;
	const store = new ConsoleStore(
		initialConsoleState({
			mode,
			url: planned.mode === 'attach' ? planned.url : undefined,
			profile: context.profile ?? (context.dev ? 'dev' : undefined),
			sshTarget: planned.mode === 'ssh' ? planned.target : undefined,
			size: {columns: process.stdout.columns || 80, rows: process.stdout.rows || 24},
		}),
	);
	let finish: (code: number) => void = () => {};
	const finished = new Promise<number>((resolve) => {
		finish = resolve;
	});
	let controller: ConsoleController | undefined;
	const effects: ConsoleEffects = {
		run(effect) {
			if (controller) {
				controller.run(effect);
			} else if (effect === 'quit') {
				finish(0);
			}
		},
	};
	// SIGTERM/SIGHUP/SIGINT stop what this console started (the child cleanly: `shutdown` first), then exit.
	const started: CleanupTarget[] = [];
	const uninstall = installCleanupHandlers({
		async dispose() {
			await Promise.allSettled(started.map(async (target) => target.dispose()));
			restoreScreen();
		},
		disposeSync() {
			for (const target of started) {
				target.disposeSync();
			}

			restoreScreen();
		},
	});
	let local: LocalGateway | undefined;
	if (planned.mode === 'local') {
		const {LocalGateway} = await import('../supervisor/local-gateway.js');
		local = new LocalGateway({port: planned.port, profile: context.profile, dev: context.dev, env: context.env});
		started.push(local);
		controller = new ConsoleController({store, local, onExit: finish});
	} else if (planned.mode === 'ssh') {
		const {SshTunnel} = await import('../supervisor/ssh-tunnel.js');
		const tunnel = new SshTunnel({target: planned.target, remotePort: planned.remotePort, identity: planned.identity});
		started.push(tunnel);
		controller = new ConsoleController({store, tunnel, token: planned.token, password: planned.password, onExit: finish});
	} else {
		controller = new ConsoleController({
			store,
			url: planned.url,
			token: planned.token,
			password: planned.password,
			rereadCredentials: planned.rereadCredentials,
			serviceRestart: await serviceRestartFor(planned, context),
			onExit: finish,
		});
	}

	void controller.start();
	// The child gateway takes longer to start than the console takes to draw: spawn it first (preparing it is a few
	// milliseconds of I/O), so that both start at once, then draw.
	if (local) {
		await spawned(local, 200);
	}

	const code = await renderUntilFinished(<App store={store} effects={effects} theme={themeFor(context.env)} />, {
		env: context.env,
		finished,
		// Not before the first frame: loading wants the nursery to grow as it likes.
		afterFirstFrame: () => {
			capYoungGeneration(16 * 1024 * 1024);
		},
	});
	store.dispose();
	restoreScreen();
	uninstall();
	return code;
}
