// Opening the one connection a command uses, with the failure explained: which URL, what went wrong (errno, auth,
// timeout), and what to do. Gateway-down failures return at once: a refused connect needs no retry.
import {GatewayConnectError, GatewayClient} from '../client/gateway-client.js';
import {notServed, serves} from '../client/served-methods.js';
import type {BackoffPolicy} from '../client/backoff.js';
import {gatewayVersion} from '../protocol/version.js';
import {GatewayError, type HelloOk} from '../protocol/index.js';
import type {GatewayTarget} from '../config/target.js';
import type {Output} from '../cli-output/output.js';

export type ConnectOptions = {
	timeoutMs: number;
	scopes?: string[];
	clientMode?: string;
	displayName?: string;
	/** The protocol range to offer (default: this client's one version). A probe offers OpenClaw's probe range. */
	protocol?: {min: number; max: number};
	/** Keep reconnecting after the first success (logs --follow). A failed first connect still fails at once. */
	reconnect?: boolean | Partial<BackoffPolicy>;
};

export type Session = {client: GatewayClient; hello: HelloOk; connectMs: number};

export type FailureKind = 'unreachable' | 'auth' | 'timeout' | 'protocol' | 'rejected' | 'closed' | 'rpc' | 'not-served';

export type Failure = {kind: FailureKind; message: string; url: string; code?: string; errno?: string; method?: string};

/** A method the gateway did not list in its hello-ok, so it was not sent: a fact about that gateway, not a fault. */
export class NotServedError extends Error {
	constructor(readonly method: string) {
		super(notServed(method));
		this.name = 'NotServedError';
	}
}

/**
 * For a command whose whole point is `method`: throw NotServedError, before anything is sent, when the gateway did
 * not list it (withSession and reportFailure then say so and exit 1).
 */
export function requireServed(session: Pick<Session, 'client'>, method: string): void {
	if (!serves(session.client, method)) {
		throw new NotServedError(method);
	}
}

export function cliVersion(): string {
	return gatewayVersion();
}

export async function openSession(target: Pick<GatewayTarget, 'url' | 'token' | 'password'>, options: ConnectOptions): Promise<Session> {
	const client = new GatewayClient({
		url: target.url,
		token: target.token,
		password: target.password,
		clientId: 'cli',
		clientMode: options.clientMode ?? 'cli',
		clientVersion: cliVersion(),
		displayName: options.displayName,
		scopes: options.scopes ?? ['operator.read'],
		minProtocol: options.protocol?.min,
		maxProtocol: options.protocol?.max,
		// The race below owns the deadline (and names it a timeout); the socket's own limits are only a backstop.
		connectTimeoutMs: options.timeoutMs + 1000,
		requestTimeoutMs: options.timeoutMs,
		reconnect: options.reconnect ?? false,
	});
	const started = performance.now();
	let timer: NodeJS.Timeout | undefined;
	try {
		const hello = await Promise.race([
			client.connect(),
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => {
					reject(new GatewayConnectError(`timed out after ${options.timeoutMs} ms connecting to ${target.url}`, 'timeout', target.url));
				}, options.timeoutMs);
			}),
		]);
		return {client, hello, connectMs: Math.round(performance.now() - started)};
	} catch (error) {
		await client.close();
		throw error;
	} finally {
		clearTimeout(timer);
	}
}

/** An auth failure is often a local config that could not be read: say so, since the token lives there. */
export function withConfigHint(failure: Failure, target: GatewayTarget): Failure {
	if (failure.kind !== 'auth' || !target.configError) {
		return failure;
	}

	return {...failure, message: `${failure.message}\nNote: the local config could not be read, so its gateway.auth.token was not used: ${target.configError.message}`};
}

/** Any error from connecting or a request, as one kind + message naming the URL. */
export function describeFailure(error: unknown, url: string): Failure {
	if (error instanceof NotServedError) {
		return {kind: 'not-served', message: error.message, url, method: error.method};
	}

	if (error instanceof GatewayConnectError) {
		const kind: FailureKind = error.kind === 'auth' ? 'auth' : error.kind;
		return {kind, message: error.message, url, errno: error.detail?.errno, code: error.detail?.error?.code};
	}

	if (error instanceof GatewayError) {
		if (error.code === 'TIMEOUT') {
			return {kind: 'timeout', message: error.message, url, code: error.code};
		}

		return {kind: 'rpc', message: `${error.code}: ${error.message}`, url, code: error.code};
	}

	return {kind: 'rpc', message: error instanceof Error ? error.message : String(error), url};
}

/** Print a failure the way every command does: a line on stderr, or `{ok:false, error}` with --json. */
export function reportFailure(output: Output, failure: Failure, extra: Record<string, unknown> = {}): number {
	if (output.json) {
		const notServedList = failure.kind === 'not-served' && failure.method ? {notServed: [failure.method]} : {};
		output.document({ok: false, ...notServedList, ...extra, error: {type: failure.kind === 'not-served' ? 'not_served' : 'gateway_transport_error', ...failure}});
	} else {
		output.error(output.paint('fail', failure.message));
	}

	return 1;
}

/**
 * Connect, run `body` with the session, close. Connection or request failures are reported and give exit code 1.
 */
export async function withSession(
	target: GatewayTarget,
	output: Output,
	options: ConnectOptions,
	body: (session: Session) => Promise<number>,
): Promise<number> {
	let session: Session | undefined;
	try {
		session = await openSession(target, options);
		return await body(session);
	} catch (error) {
		return reportFailure(output, withConfigHint(describeFailure(error, target.url), target));
	} finally {
		await session?.client.close();
	}
}
