// GatewayClient: one WebSocket to a gateway speaking OpenClaw protocol 4. Waits for the challenge, sends
// `connect`, correlates `res` frames by id (two-stage answers included), passes events on, detects `seq` gaps
// (then re-reads health and presence, since events are never replayed), and optionally reconnects with capped,
// jittered backoff. When the gateway is down it fails at once with the URL in the message; it never falls back.
import {EventEmitter} from 'node:events';
import {randomUUID} from 'node:crypto';
import {
	closeCodes,
	events as eventNames,
	GatewayError,
	isRecord,
	limits,
	PROTOCOL_VERSION,
	type EventFrame,
	type HelloOk,
	type ResponseFrame,
	type ShutdownPayload,
} from '../protocol/index.js';
import type {MethodArgs, MethodName, MethodResult} from '../protocol/methods/index.js';
import {closedBeforeHello, GatewayConnectError, handshakeTimedOut, refusedConnect, unreachable, upgradeRefused} from './connect-failure.js';
import {awaitedRestartGraceMs, reconnectDelay, type BackoffPolicy} from './backoff.js';
import {ClientWebSocket, type UpgradeResponse} from './websocket.js';
import {serves} from './served-methods.js';

export type ClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'auth-failed' | 'closed';

export type GatewayClientOptions = {
	url: string;
	token?: string;
	password?: string;
	clientId?: string;
	clientMode?: string;
	displayName?: string;
	clientVersion?: string;
	role?: string;
	scopes?: string[];
	caps?: string[];
	minProtocol?: number;
	maxProtocol?: number;
	/** Time allowed from socket open to hello-ok. */
	connectTimeoutMs?: number;
	requestTimeoutMs?: number;
	/** Keep the link up: reconnect after unexpected closes with this backoff (default: no reconnect). */
	reconnect?: boolean | Partial<BackoffPolicy>;
	/** Close with 4000 when nothing arrives for this long (default 2 x policy.tickIntervalMs). */
	silenceTimeoutMs?: number;
	/** Send WebSocket pings this often and treat a missing pong as a dead link (detects a stalled gateway fast). */
	keepaliveMs?: number;
	/** On a seq gap, re-read `health` and `system-presence` and emit `resync` (default true). */
	resyncOnGap?: boolean;
};

export {GatewayConnectError, type ConnectFailureKind} from './connect-failure.js';

type Pending = {
	resolve(payload: unknown): void;
	reject(error: Error): void;
	timer?: NodeJS.Timeout;
	expectFinal: boolean;
	onAccepted?: (payload: unknown) => void;
	method: string;
};

export type RequestOptions = {timeoutMs?: number; expectFinal?: boolean; onAccepted?: (payload: unknown) => void};

export type ClientEvents = {
	state: [state: ClientState, info: {attempt: number; retryInMs?: number; error?: Error}];
	hello: [hello: HelloOk];
	event: [frame: EventFrame];
	gap: [info: {expected: number; received: number}];
	resync: [info: {health?: unknown; presence?: unknown}];
	shutdown: [payload: ShutdownPayload];
	close: [info: {code: number; reason: string}];
};

export class GatewayClient extends EventEmitter<ClientEvents> {
	state: ClientState = 'idle';
	hello?: HelloOk;
	lastError?: Error;
	private ws?: ClientWebSocket;
	private readonly pending = new Map<string, Pending>();
	private nextId = 1;
	private lastSeq = 0;
	private attempt = 0;
	private closedByUser = false;
	private reconnectTimer?: NodeJS.Timeout;
	/** Until when a restart the gateway announced (`shutdown` with `restartExpectedMs`) is awaited: retry fast. */
	private restartAwaitedUntil = 0;
	private silenceTimer?: NodeJS.Timeout;
	private keepaliveTimer?: NodeJS.Timeout;
	private awaitingPong = false;
	private readonly instanceId = randomUUID();

	constructor(readonly options: GatewayClientOptions) {
		super();
	}

	get url(): string {
		return this.options.url;
	}

	/** Connect once (and, with `reconnect`, keep reconnecting after later drops). Rejects if this first attempt fails. */
	async connect(): Promise<HelloOk> {
		this.closedByUser = false;
		return this.attemptConnect();
	}

	/** Start connecting and keep trying in the background (console mode); errors surface as `state` events. */
	start(): void {
		this.closedByUser = false;
		this.attemptConnect().catch(() => {
			// Reported through `state`; the reconnect schedule (if any) is already running.
		});
	}

	private setState(state: ClientState, info: {retryInMs?: number; error?: Error} = {}): void {
		this.state = state;
		this.emit('state', state, {attempt: this.attempt, ...info});
	}

	/** One attempt, step by step: open the socket, await the challenge, send connect, await hello-ok (or classify why not). */
	private attemptConnect(): Promise<HelloOk> {
		clearTimeout(this.reconnectTimer);
		this.attempt++;
		this.setState(this.attempt > 1 ? 'reconnecting' : 'connecting');
		return new Promise<HelloOk>((resolve, reject) => {
			const attempt: Attempt = {ws: this.openSocket(), connectId: this.newId(), settled: false, resolve, reject};
			this.watchAttempt(attempt);
		});
	}

	private openSocket(): ClientWebSocket {
		const ws = new ClientWebSocket(this.url, {
			handshakeTimeout: this.connectTimeoutMs,
			perMessageDeflate: false,
			maxPayload: limits.maxPayload,
		});
		this.ws = ws;
		return ws;
	}

	/** Time allowed for the upgrade, and again from socket open to hello-ok. */
	private get connectTimeoutMs(): number {
		return this.options.connectTimeoutMs ?? defaultConnectTimeoutMs;
	}

	/** Every way the socket can end the attempt becomes a classified failure; frames go to the handshake until hello-ok. */
	private watchAttempt(attempt: Attempt): void {
		const {ws} = attempt;
		ws.on('open', () => {
			attempt.timer = setTimeout(() => {
				this.failAttempt(attempt, handshakeTimedOut(this.url, this.connectTimeoutMs));
			}, this.connectTimeoutMs);
		});
		ws.on('error', (error: NodeJS.ErrnoException) => {
			this.failAttempt(attempt, unreachable(this.url, error.code ?? error.message));
		});
		ws.on('unexpected-response', (_request: unknown, response: UpgradeResponse) => {
			this.failAttempt(attempt, upgradeRefused(this.url, response.statusCode ?? 0, response.statusMessage));
		});
		ws.on('close', (code: number, reasonBuffer: Buffer) => {
			this.failAttempt(attempt, closedBeforeHello(this.url, code, reasonBuffer.toString()));
		});
		ws.on('message', (data: Buffer) => {
			const frame = parseFrame(data);
			if (!frame) {
				return;
			}

			if (attempt.settled) {
				this.onFrame(frame);
			} else {
				this.onHandshakeFrame(attempt, frame);
			}
		});
	}

	/** Before hello-ok two frames matter: the challenge (answered with connect) and the answer to connect. */
	private onHandshakeFrame(attempt: Attempt, frame: Record<string, unknown>): void {
		if (frame.type === 'event' && frame.event === eventNames.challenge) {
			this.sendConnect(attempt.ws, attempt.connectId);
			return;
		}

		if (frame.type === 'res' && frame.id === attempt.connectId) {
			this.onConnectAnswer(attempt, frame as ResponseFrame);
		}
	}

	private onConnectAnswer(attempt: Attempt, res: ResponseFrame): void {
		if (!(res.ok && isRecord(res.payload) && res.payload.type === 'hello-ok')) {
			this.failAttempt(attempt, refusedConnect(this.url, res.error));
			return;
		}

		attempt.settled = true;
		clearTimeout(attempt.timer);
		this.onHello(attempt.ws, res.payload as unknown as HelloOk);
		attempt.resolve(this.hello!);
	}

	/** The attempt failed (first failure wins): drop its socket quietly, reject, and schedule what comes next. */
	private failAttempt(attempt: Attempt, error: GatewayConnectError): void {
		if (attempt.settled) {
			return;
		}

		attempt.settled = true;
		clearTimeout(attempt.timer);
		this.lastError = error;
		const {ws} = attempt;
		ws.removeAllListeners('close');
		ws.on('close', () => {});
		ws.on('error', () => {});
		ws.terminate();
		this.ws = undefined;
		attempt.reject(error);
		this.afterDrop(error);
	}

	private sendConnect(ws: ClientWebSocket, id: string): void {
		ws.send(JSON.stringify({type: 'req', id, method: 'connect', params: this.connectParams()}));
	}

	/** The `connect` request's params: protocol range, who this client is, its role and scopes, and its secret if any. */
	private connectParams(): Record<string, unknown> {
		const auth: Record<string, string> = {};
		if (this.options.token) {
			auth.token = this.options.token;
		}

		if (this.options.password) {
			auth.password = this.options.password;
		}

		return {
			minProtocol: this.options.minProtocol ?? PROTOCOL_VERSION,
			maxProtocol: this.options.maxProtocol ?? PROTOCOL_VERSION,
			client: {
				id: this.options.clientId ?? 'cli',
				version: this.options.clientVersion ?? '0.1.0',
				platform: process.platform,
				mode: this.options.clientMode ?? 'cli',
				instanceId: this.instanceId,
				...(this.options.displayName ? {displayName: this.options.displayName} : {}),
			},
			caps: this.options.caps ?? [],
			role: this.options.role ?? 'operator',
			scopes: this.options.scopes ?? ['operator.read'],
			...(Object.keys(auth).length > 0 ? {auth} : {}),
		};
	}

	private onHello(ws: ClientWebSocket, hello: HelloOk): void {
		this.hello = hello;
		this.lastSeq = 0;
		this.attempt = 0;
		this.restartAwaitedUntil = 0;
		this.lastError = undefined;
		ws.on('close', (code: number, reason: Buffer) => {
			this.onClose(code, reason.toString());
		});
		ws.on('pong', () => {
			this.awaitingPong = false;
		});
		this.armSilenceTimer();
		if (this.options.keepaliveMs) {
			this.keepaliveTimer = setInterval(() => {
				if (this.awaitingPong) {
					this.ws?.terminate();
					return;
				}

				this.awaitingPong = true;
				try {
					this.ws?.ping();
				} catch {}
			}, this.options.keepaliveMs);
			this.keepaliveTimer.unref();
		}

		this.setState('connected');
		this.emit('hello', hello);
	}

	private armSilenceTimer(): void {
		clearTimeout(this.silenceTimer);
		const timeout = this.options.silenceTimeoutMs ?? 2 * (this.hello?.policy.tickIntervalMs ?? limits.tickIntervalMs);
		this.silenceTimer = setTimeout(() => {
			this.ws?.close(closeCodes.clientTimeout, 'tick timeout');
			// A stalled peer never completes the close handshake.
			setTimeout(() => this.ws?.terminate(), 1000).unref();
		}, timeout);
		this.silenceTimer.unref();
	}

	private onFrame(frame: Record<string, unknown>): void {
		this.armSilenceTimer();
		if (frame.type === 'res' && typeof frame.id === 'string') {
			const pending = this.pending.get(frame.id);
			if (!pending) {
				return;
			}

			const res = frame as ResponseFrame;
			if (res.ok && pending.expectFinal && isRecord(res.payload) && res.payload.status === 'accepted') {
				pending.onAccepted?.(res.payload);
				return;
			}

			this.pending.delete(frame.id);
			clearTimeout(pending.timer);
			if (res.ok) {
				pending.resolve(res.payload);
			} else {
				pending.reject(new GatewayError(res.error ?? {code: 'UNAVAILABLE', message: `${pending.method} failed`}));
			}

			return;
		}

		if (frame.type === 'event' && typeof frame.event === 'string') {
			const event = frame as EventFrame;
			if (typeof event.seq === 'number') {
				if (this.lastSeq > 0 && event.seq > this.lastSeq + 1) {
					this.emit('gap', {expected: this.lastSeq + 1, received: event.seq});
					if (this.options.resyncOnGap !== false) {
						void this.resync();
					}
				}

				this.lastSeq = event.seq;
			}

			if (event.event === eventNames.shutdown) {
				const payload = (event.payload ?? {reason: 'gateway stopping'}) as ShutdownPayload;
				if (typeof payload.restartExpectedMs === 'number' && Number.isFinite(payload.restartExpectedMs)) {
					// Its own estimate is optimistic on a loaded machine (1.5 s said, ~5 s seen on 2 cores): allow a minute more.
					this.restartAwaitedUntil = Date.now() + Math.max(0, payload.restartExpectedMs) + awaitedRestartGraceMs;
				}

				this.emit('shutdown', payload);
			}

			this.emit('event', event);
		}
	}

	private async resync(): Promise<void> {
		// Only what the gateway lists in hello-ok: nothing is sent blind (an unlisted read resyncs as unknown).
		const [health, presence] = await Promise.allSettled([
			serves(this, 'health') ? this.request('health') : undefined,
			serves(this, 'system-presence') ? this.request('system-presence') : undefined,
		]);
		this.emit('resync', {
			health: health.status === 'fulfilled' ? health.value : undefined,
			presence: presence.status === 'fulfilled' ? presence.value : undefined,
		});
	}

	private onClose(code: number, reason: string): void {
		clearTimeout(this.silenceTimer);
		clearInterval(this.keepaliveTimer);
		this.awaitingPong = false;
		this.ws = undefined;
		const error = new GatewayConnectError(`gateway closed (${code}): ${reason || 'no reason'}`, 'closed', this.url, {code, reason});
		for (const [id, pending] of this.pending) {
			clearTimeout(pending.timer);
			pending.reject(error);
			this.pending.delete(id);
		}

		this.emit('close', {code, reason});
		this.afterDrop(error);
	}

	/** After a failed attempt or a dropped link: schedule the next attempt, or settle in a final state. */
	private afterDrop(error: GatewayConnectError): void {
		if (this.closedByUser) {
			this.setState('closed');
			return;
		}

		if (error.kind === 'auth' || error.kind === 'protocol') {
			this.setState(error.kind === 'auth' ? 'auth-failed' : 'closed', {error});
			return;
		}

		if (!this.options.reconnect) {
			this.setState('closed', {error});
			return;
		}

		const policy = typeof this.options.reconnect === 'object' ? this.options.reconnect : {};
		const retryInMs = reconnectDelay({
			attempt: this.attempt,
			policy,
			retryAfterMs: error.retryAfterMs,
			restartAwaited: Date.now() < this.restartAwaitedUntil,
		});
		this.setState('reconnecting', {retryInMs, error});
		this.reconnectTimer = setTimeout(() => {
			this.start();
		}, retryInMs);
	}

	private newId(): string {
		return `${this.nextId++}:${randomUUID()}`;
	}

	/**
	 * Send one request; resolves with the payload of its (final) `res`, rejects with a GatewayError. A method of the
	 * method map is typed by it (the types say what this package's gateway sends: a reader facing a real OpenClaw
	 * gateway keeps its guards); any other name resolves with `unknown` for the caller to narrow.
	 */
	request<M extends MethodName>(method: M, ...args: MethodArgs<M, RequestOptions>): Promise<MethodResult<M>>;
	request<S extends string>(method: S extends MethodName ? never : S, params?: unknown, options?: RequestOptions): Promise<unknown>;
	async request(method: string, params?: unknown, options: RequestOptions = {}): Promise<unknown> {
		const ws = this.ws;
		if (!ws || this.state !== 'connected') {
			throw new GatewayConnectError(`not connected to ${this.url}`, 'closed', this.url);
		}

		const id = this.newId();
		return new Promise<unknown>((resolve, reject) => {
			const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000;
			const pending: Pending = {
				resolve,
				reject,
				expectFinal: options.expectFinal === true,
				onAccepted: options.onAccepted,
				method,
			};
			if (timeoutMs > 0) {
				pending.timer = setTimeout(() => {
					this.pending.delete(id);
					reject(new GatewayError({code: 'TIMEOUT', message: `${method} timed out after ${timeoutMs} ms (${this.url})`}));
				}, timeoutMs);
			}

			this.pending.set(id, pending);
			const frame: Record<string, unknown> = {type: 'req', id, method};
			if (params !== undefined) {
				frame.params = params;
			}

			ws.send(JSON.stringify(frame));
		});
	}

	/** Close for good (no reconnect). */
	async close(): Promise<void> {
		this.closedByUser = true;
		clearTimeout(this.reconnectTimer);
		clearTimeout(this.silenceTimer);
		clearInterval(this.keepaliveTimer);
		const ws = this.ws;
		if (!ws) {
			this.setState('closed');
			return;
		}

		// Still in the opening handshake (e.g. a peer that accepted TCP but never answers): there is no close handshake
		// to wait for, and the failing attempt drops every 'close' listener, so a wait here would never end.
		if (ws.readyState === ClientWebSocket.CONNECTING) {
			ws.terminate();
			return;
		}

		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				ws.terminate();
				resolve();
			}, 1000);
			timer.unref();
			ws.once('close', () => {
				clearTimeout(timer);
				resolve();
			});
			ws.close(closeCodes.normal);
		});
	}
}

/** One connection attempt until it settles: with hello-ok, or with the first failure. */
type Attempt = {
	ws: ClientWebSocket;
	connectId: string;
	settled: boolean;
	/** From socket open: the gateway has this long to send the challenge and answer connect. */
	timer?: NodeJS.Timeout;
	resolve(hello: HelloOk): void;
	reject(error: Error): void;
};

const defaultConnectTimeoutMs = 10_000;

/** A received text frame as a JSON object, or undefined for anything else (ignored, as the protocol allows). */
function parseFrame(data: Buffer): Record<string, unknown> | undefined {
	try {
		const frame: unknown = JSON.parse(data.toString());
		return isRecord(frame) ? frame : undefined;
	} catch {
		return undefined;
	}
}
