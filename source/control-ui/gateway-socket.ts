// The page's link to the gateway: the browser's WebSocket speaking the protocol every client speaks (connect
// challenge, a signed device proof with the shared token or the device's own, req/res by id, events), reconnecting
// with backoff. It reports its state as the console's connection actions, so one reducer tells both renderers what
// the link is doing.
import {events, PROTOCOL_VERSION, type EventFrame, type HelloOk} from '../protocol/index.js';
import type {MethodArgs, MethodName, MethodResult} from '../protocol/methods/index.js';
import {matchSignature} from '../protocol/signatures.js';
import type {DeviceIdentity} from './device-identity.js';
import {signPayload} from './device-identity.js';

export const controlUiClient = {id: 'openclaw-control-ui', mode: 'ui', version: '1', platform: 'web'} as const;
const requestedScopes = ['operator.admin', 'operator.read', 'operator.write', 'operator.pairing'];

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'auth-failed' | 'closed';

/** What vouches for the page: the shared gateway token, or the token the gateway issued to this paired device. */
export type Secret = {kind: 'token' | 'device-token'; value: string};

export type LinkInfo = {attempt: number; retryInMs?: number; error?: string; errorCode?: string; requestId?: string};

/** The connect params' `auth`: the reference's shape, a device token only as `deviceToken` (never beside a shared one). */
export function authFor(secret: Secret): {token: string} | {deviceToken: string} {
	return secret.kind === 'token' ? {token: secret.value} : {deviceToken: secret.value};
}

export type GatewaySocketOptions = {
	url: string;
	/** Asked at each connect: the page may have been issued a device token, or had one refused, since the last. */
	secret(): Secret;
	identity: DeviceIdentity;
	onState(state: LinkState, info: LinkInfo): void;
	onHello(hello: HelloOk): void;
	onEvent(frame: EventFrame): void;
};

/** Read in the console's failure signature table: the refusals only the operator can fix, by another secret. */
const secretRefusals = new Set(['auth-token', 'auth-password', 'unauthorized', 'auth-rate-limited']);

export function refusesSecret(refused: {error: string; errorCode?: string}): boolean {
	const known = matchSignature(refused.error, refused.errorCode);
	return known !== undefined && secretRefusals.has(known.id);
}

type Pending = {resolve(value: unknown): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout>};

export class GatewaySocket {
	hello?: HelloOk;
	private socket?: WebSocket;
	private readonly pending = new Map<string, Pending>();
	private nextId = 1;
	private attempt = 0;
	private stopped = false;
	private retryTimer?: ReturnType<typeof setTimeout>;

	constructor(private readonly options: GatewaySocketOptions) {}

	start(): void {
		this.open();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.retryTimer);
		this.socket?.close(1000);
	}

	/** Typed by the method map for its methods (as GatewayClient.request); any other name resolves with `unknown`. */
	request<M extends MethodName>(method: M, ...args: MethodArgs<M, {timeoutMs?: number}>): Promise<MethodResult<M>>;
	request<S extends string>(method: S extends MethodName ? never : S, params?: unknown, options?: {timeoutMs?: number}): Promise<unknown>;
	async request(method: string, params: unknown = {}, options: {timeoutMs?: number} = {}): Promise<unknown> {
		const socket = this.socket;
		if (!socket || socket.readyState !== WebSocket.OPEN || !this.hello) {
			throw new Error('not connected');
		}

		return this.send(socket, method, params, options.timeoutMs ?? 15_000);
	}

	private send<T>(socket: WebSocket, method: string, params: unknown, timeoutMs: number): Promise<T> {
		const id = `ui-${this.nextId++}`;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(id);
				reject(new Error(`${method} timed out after ${timeoutMs / 1000} s`));
			}, timeoutMs);
			this.pending.set(id, {resolve: resolve as (value: unknown) => void, reject, timer});
			socket.send(JSON.stringify({type: 'req', id, method, params}));
		});
	}

	private open(): void {
		this.options.onState(this.attempt === 0 ? 'connecting' : 'reconnecting', {attempt: this.attempt});
		const socket = new WebSocket(this.options.url);
		this.socket = socket;
		let refused: {error: string; errorCode?: string; requestId?: string} | undefined;
		socket.addEventListener('message', (message) => {
			let frame: any;
			try {
				frame = JSON.parse(String(message.data));
			} catch {
				return;
			}

			if (frame?.type === 'event' && frame.event === events.challenge) {
				void this.connect(socket, String(frame.payload?.nonce ?? '')).catch((error: Error) => {
					const {code, requestId} = error as Error & {code?: string; requestId?: string};
					refused = {error: error.message, errorCode: code, requestId};
					socket.close(1000);
				});
			} else if (frame?.type === 'event') {
				this.options.onEvent(frame as EventFrame);
			} else if (frame?.type === 'res') {
				const waiting = this.pending.get(frame.id);
				if (waiting) {
					this.pending.delete(frame.id);
					clearTimeout(waiting.timer);
					if (frame.ok) {
						waiting.resolve(frame.payload);
					} else {
						const details = frame.error?.details;
						// A pairing refusal names the request an operator approves: the page shows it.
						waiting.reject(Object.assign(new Error(String(frame.error?.message ?? 'request failed')), {code: details?.code ?? frame.error?.code, requestId: details?.requestId}));
					}
				}
			}
		});
		socket.addEventListener('close', (close) => {
			for (const [id, waiting] of this.pending) {
				clearTimeout(waiting.timer);
				waiting.reject(new Error('not connected'));
				this.pending.delete(id);
			}

			this.hello = undefined;
			if (this.stopped) {
				this.options.onState('closed', {attempt: this.attempt});
				return;
			}

			if (refused && refusesSecret(refused)) {
				// A wrong secret (or a lockout for guessing) will not get better by asking again: the page asks the operator.
				this.stopped = true;
				this.options.onState('auth-failed', {attempt: this.attempt, ...refused});
				return;
			}

			this.attempt++;
			const retryInMs = Math.min(5000, 500 * 2 ** Math.min(this.attempt - 1, 4));
			this.options.onState('reconnecting', {
				attempt: this.attempt,
				retryInMs,
				error: refused?.error ?? (close.reason || `connection closed (${close.code})`),
				errorCode: refused?.errorCode,
				requestId: refused?.requestId,
			});
			this.retryTimer = setTimeout(() => this.open(), retryInMs);
		});
	}

	private async connect(socket: WebSocket, nonce: string): Promise<void> {
		const {identity} = this.options;
		const secret = this.options.secret();
		const signedAt = Date.now();
		const role = 'operator';
		// The v3 payload the gateway verifies (gateway/device.ts): the secret, shared or the device's, is signed too.
		const payload = ['v3', identity.id, controlUiClient.id, controlUiClient.mode, role, requestedScopes.join(','), String(signedAt), secret.value, nonce, controlUiClient.platform, ''].join('|');
		const signature = await signPayload(identity, payload);
		const hello = await this.send<HelloOk>(
			socket,
			'connect',
			{
				minProtocol: PROTOCOL_VERSION,
				maxProtocol: PROTOCOL_VERSION,
				client: {...controlUiClient},
				role,
				scopes: requestedScopes,
				auth: authFor(secret),
				device: {id: identity.id, publicKey: identity.publicKey, signature, signedAt, nonce},
				userAgent: navigator.userAgent,
			},
			10_000,
		);
		this.hello = hello;
		this.attempt = 0;
		this.options.onHello(hello);
		this.options.onState('connected', {attempt: 0});
	}
}
