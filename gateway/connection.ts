// One WebSocket client, from challenge to close: the protocol 4 handshake, then req/res dispatch and events with
// a per-connection `seq`. Admission rules and their exact texts follow OpenClaw (see the protocol reference §1.3).
import {randomUUID} from 'node:crypto';
import type {WebSocket} from 'ws';
import {
	closeCodes,
	errorCodes,
	GatewayError,
	isRecord,
	limits,
	scopes as scopeNames,
	scopeSatisfied,
	truncateCloseReason,
	unscopedEvents,
	type ConnectParams,
	type ErrorShape,
	type EventFrame,
	type ResponseFrame,
	type Role,
	type StateVersion,
} from '../source/protocol/index.js';
import {authenticate, checkDevice, checkRequest, deviceTokenFor, grantFor, pairDevice} from './admission.js';
import type {AuthMethod} from './auth.js';
import type {Ingress} from './auth-identity.js';
import type {AuthAttemptSource} from './auth-rate-limit.js';
import {describeParamsError} from './connect-params.js';
import {connectRefusal, type ConnectFailure} from './connect-refusal.js';
import type {CallerInfo, MethodContext, MethodSpec} from './methods/types.js';
import type {ConnectionHost} from './server.js';

/** `authenticating`: connect arrived and is being decided (credentials may wait on tailscaled). */
type State = 'handshake' | 'authenticating' | 'ready' | 'closed';

const unauthorizedFloodLimit = 10;
/** OpenClaw queues 15 frames behind a connect being decided; the 16th closes the socket. */
const maxQueuedHandshakeFrames = 15;

export class Connection {
	readonly connId = randomUUID();
	readonly nonce = randomUUID();
	private state: State = 'handshake';
	private seq = 0;
	private handshakeTimer?: NodeJS.Timeout;
	private consecutiveUnauthorized = 0;
	private readonly handshakeQueue: Array<[Buffer, boolean]> = [];
	private readonly abort = new AbortController();
	private readonly inFlight = new Set<Promise<unknown>>();
	/** Requests accepted for running and not yet finally answered (ids may repeat, so one ticket each). */
	private readonly unanswered = new Set<{id: string; answered: boolean}>();
	lastPongAt = Date.now();
	/** When the last frame arrived after hello: shutdown drains until clients go quiet. */
	lastFrameAt = 0;
	awaitingPong = false;
	caller?: CallerInfo;

	constructor(
		readonly ws: WebSocket,
		readonly ip: string,
		private readonly host: ConnectionHost,
		/** Who opened this socket, as the failed-auth budget and the scope rules see it (a web page? through a proxy?). */
		private readonly attemptSource: AuthAttemptSource,
		/** The upgrade's peer and headers: a proxy in front of us may vouch for the user (auth-identity.ts). */
		private readonly ingress: Ingress,
		private readonly scopeCap?: string[],
	) {
		ws.on('message', (data, isBinary) => {
			this.onMessage(data as Buffer, isBinary);
		});
		ws.on('pong', () => {
			this.awaitingPong = false;
			this.lastPongAt = Date.now();
			this.host.presence.touch(this.connId);
		});
		ws.on('close', () => {
			this.onClose();
		});
		ws.on('error', () => {
			// 'close' follows; oversize frames and resets land here and are reported by their close code.
		});
		this.sendRaw({
			type: 'event',
			event: 'connect.challenge',
			// OpenClaw lists here the connect-time extras it accepts (its `model-catalog-snapshot`: a catalog pushed to
			// the Control UI on connect). This gateway accepts none of them; the field says so rather than being absent.
			payload: {nonce: this.nonce, ts: Date.now(), capabilities: []},
		});
		this.handshakeTimer = setTimeout(() => {
			this.host.logger.debug('handshake timeout', {connId: this.connId, ip});
			this.close(closeCodes.normal, '');
		}, this.host.handshakeTimeoutMs);
		this.handshakeTimer.unref();
	}

	get authenticated(): boolean {
		return this.state === 'ready';
	}

	get isOpen(): boolean {
		return this.state !== 'closed';
	}

	/** Requests still being answered; shutdown waits for them (bounded) so nothing acknowledged is dropped. */
	pending(): Promise<unknown>[] {
		return [...this.inFlight];
	}

	/** At close: answer what is still running with an error, so no accepted request ends in silence. */
	failPending(message: string): void {
		for (const ticket of this.unanswered) {
			ticket.answered = true;
			this.respond(ticket.id, false, {code: errorCodes.unavailable, message, retryable: true});
		}

		this.unanswered.clear();
	}

	close(code: number, reason: string): void {
		if (this.state === 'closed') {
			return;
		}

		try {
			this.ws.close(code, truncateCloseReason(reason));
		} catch {
			this.ws.terminate();
		}

		const grace = setTimeout(() => {
			this.ws.terminate();
		}, limits.closeGraceMs);
		grace.unref();
	}

	canReceive(event: string, scope: string | null | undefined): boolean {
		if (!this.caller) {
			return false;
		}

		const required = scope === undefined ? (unscopedEvents.has(event) ? null : scopeNames.read) : scope;
		return required === null || scopeSatisfied(this.caller.scopes, required);
	}

	/** Send an event with this connection's next `seq`. Returns false when the client is too slow to take it. */
	sendEvent(
		event: string,
		payload: unknown,
		options: {stateVersion?: StateVersion; dropIfSlow?: boolean; payloadJson?: string} = {},
	): boolean {
		if (this.state !== 'ready') {
			return false;
		}

		const seq = ++this.seq;
		if (this.ws.bufferedAmount > this.host.maxBufferedBytes) {
			if (options.dropIfSlow) {
				return false;
			}

			this.host.logger.warn('closing slow consumer', {connId: this.connId, buffered: this.ws.bufferedAmount});
			this.close(closeCodes.policyViolation, 'slow consumer');
			return false;
		}

		if (options.payloadJson !== undefined) {
			// A broadcast serializes its payload once; only seq differs per connection.
			if (this.ws.readyState === this.ws.OPEN) {
				const version = options.stateVersion ? `,"stateVersion":${JSON.stringify(options.stateVersion)}` : '';
				this.ws.send(`{"type":"event","event":${JSON.stringify(event)},"payload":${options.payloadJson},"seq":${seq}${version}}`);
			}

			return true;
		}

		const frame: EventFrame = {type: 'event', event, payload, seq};
		if (options.stateVersion) {
			frame.stateVersion = options.stateVersion;
		}

		this.sendRaw(frame);
		return true;
	}

	ping(): void {
		if (this.state !== 'ready') {
			return;
		}

		if (this.awaitingPong) {
			this.host.logger.info('dropping peer that missed a pong', {connId: this.connId, ip: this.ip});
			this.ws.terminate();
			return;
		}

		this.awaitingPong = true;
		try {
			this.ws.ping();
		} catch {
			this.ws.terminate();
		}
	}

	private sendRaw(frame: EventFrame | ResponseFrame): void {
		if (this.ws.readyState !== this.ws.OPEN) {
			return;
		}

		this.ws.send(JSON.stringify(frame));
	}

	private respond(id: string, ok: boolean, payloadOrError: unknown): void {
		const frame: ResponseFrame = ok
			? {type: 'res', id, ok: true, payload: payloadOrError}
			: {type: 'res', id, ok: false, error: payloadOrError as ErrorShape};
		if (this.ws.bufferedAmount > this.host.maxBufferedBytes) {
			this.close(closeCodes.policyViolation, 'slow consumer');
			return;
		}

		this.sendRaw(frame);
	}

	private reject(id: string, error: GatewayError, closeCode: number, reason = error.message): void {
		this.respond(id, false, error.toShape());
		this.close(closeCode, reason);
	}

	private onMessage(data: Buffer, isBinary: boolean): void {
		if (this.state === 'closed') {
			return;
		}

		if (this.state === 'handshake') {
			this.onHandshakeMessage(data, isBinary);
			return;
		}

		if (this.state === 'authenticating') {
			if (this.handshakeQueue.length >= maxQueuedHandshakeFrames) {
				this.close(closeCodes.policyViolation, 'too many pending handshake frames');
				return;
			}

			this.handshakeQueue.push([data, isBinary]);
			return;
		}

		this.lastFrameAt = Date.now();
		if (isBinary) {
			this.host.logger.debug('ignored binary frame after hello', {connId: this.connId});
			return;
		}

		let frame: unknown;
		try {
			frame = JSON.parse(data.toString('utf8'));
		} catch {
			this.host.logger.debug('parse error after hello (ignored)', {connId: this.connId});
			return;
		}

		this.onRequest(frame);
	}

	private onHandshakeMessage(data: Buffer, isBinary: boolean): void {
		if (isBinary) {
			this.close(closeCodes.normal, '');
			return;
		}

		let frame: unknown;
		try {
			frame = JSON.parse(data.toString('utf8'));
		} catch {
			this.host.logger.debug('parse/handle error before hello', {connId: this.connId, ip: this.ip});
			this.close(closeCodes.normal, '');
			return;
		}

		if (
			!isRecord(frame) ||
			frame.type !== 'req' ||
			typeof frame.id !== 'string' ||
			frame.id === '' ||
			typeof frame.method !== 'string' ||
			frame.method === ''
		) {
			this.close(closeCodes.policyViolation, 'invalid request frame');
			return;
		}

		const id = frame.id;
		if (frame.method !== 'connect') {
			this.reject(
				id,
				new GatewayError({code: errorCodes.invalidRequest, message: 'invalid handshake: first request must be connect'}),
				closeCodes.policyViolation,
			);
			return;
		}

		void this.connect(id, frame.params);
	}

	/**
	 * The handshake, one admission step after another (admission.ts); the first step that fails names the failure and
	 * connect-refusal.ts words the answer. Credentials may need tailscaled (a subprocess) and a new device token is
	 * saved before it is handed out, so this is async: frames that arrive meanwhile wait (handshakeQueue).
	 */
	private async connect(id: string, rawParams: unknown): Promise<void> {
		const refuse = (step: {failure: ConnectFailure; why?: string}) => {
			const refusal = connectRefusal(step.failure);
			// Rate-limited refusals are not logged one by one (a guesser would flood the log); health.budgets counts them.
			if (step.failure.kind === 'auth' || step.failure.kind === 'pairing') {
				// The secret itself is never logged: only which check failed, why, and from where. The message is the one
				// the client got ("unauthorized: gateway token mismatch ..."): the runbook's words, which doctor looks for.
				this.host.logger.warn(`connect rejected: ${refusal.error.message}`, {
					connId: this.connId,
					ip: this.ip,
					client: isRecord(rawParams) && isRecord(rawParams.client) ? rawParams.client.id : undefined,
					browser: this.attemptSource.browser,
					reason: refusal.error.details?.authReason,
					code: refusal.error.details?.code,
					...(step.why ? {why: step.why} : {}),
				});
			}

			this.reject(id, refusal.error, refusal.closeCode, refusal.closeReason);
		};

		if (this.host.admissionClosed) {
			refuse({failure: {kind: 'restarting'}});
			return;
		}

		const request = checkRequest(rawParams);
		if (!request.ok) {
			refuse(request);
			return;
		}

		const {params, role} = request.value;
		this.state = 'authenticating';
		const auth = await authenticate(
			{
				settings: this.host.auth,
				ingress: this.ingress,
				source: this.attemptSource,
				limiter: this.host.rateLimiter,
				devices: this.host.devices,
				whois: this.host.tailscaleWhois,
			},
			params,
			role,
		);
		if (this.state !== 'authenticating') {
			return; // Closed while tailscaled was asked.
		}

		if (!auth.ok) {
			refuse(auth);
			return;
		}

		const device = checkDevice(params, role, this.nonce);
		if (!device.ok) {
			refuse(device);
			return;
		}

		const local = this.attemptSource.loopback;
		const paired = pairDevice(params, role, {local, ip: this.ip, autoApproveLocal: this.host.autoApproveLocal()}, this.host.devices, this.host.runtime);
		if (!paired.ok) {
			refuse(paired);
			return;
		}

		const {method, user} = auth.value;
		const scopes = grantFor(params, method, {local, browser: this.attemptSource.browser, cap: this.scopeCap}, this.host.devices);
		const issued = await deviceTokenFor(params, role, method, this.host.devices);
		if (this.state !== 'authenticating') {
			return; // Closed while the token was saved; it stays valid for the device's next connect.
		}

		this.admit(id, params, role, scopes, method, issued);
		if (user) {
			this.host.logger.info('connect by verified identity', {connId: this.connId, method, user, ip: this.ip});
		}
	}

	private admit(
		id: string,
		params: ConnectParams,
		role: Role,
		scopes: string[],
		method: AuthMethod,
		issued: {deviceToken: string; issuedAtMs: number} | undefined,
	): void {
		clearTimeout(this.handshakeTimer);
		this.state = 'ready';
		this.caller = {
			connId: this.connId,
			client: params.client,
			role,
			scopes,
			ip: this.ip,
			caps: params.caps ?? [],
			...(params.device ? {deviceId: params.device.id} : {}),
		};
		// Raise the frame limit from the pre-auth 64 KiB to the policy's maxPayload (as OpenClaw's receiver handoff).
		const receiver = (this.ws as unknown as {_receiver?: {_maxPayload: number}})._receiver;
		if (receiver) {
			receiver._maxPayload = this.host.maxPayload;
		}

		this.respond(id, true, this.host.helloOk(this, method, issued));
		this.host.onAuthenticated(this);
		// Frames the client sent while its connect was being decided, in order (as OpenClaw replays them).
		const queued = this.handshakeQueue.splice(0);
		for (const [data, isBinary] of queued) {
			this.onMessage(data, isBinary);
		}
	}

	private onRequest(frame: unknown): void {
		if (!isRecord(frame) || typeof frame.id !== 'string' || frame.id === '') {
			this.respond(isRecord(frame) && typeof frame.id === 'string' && frame.id ? frame.id : 'invalid', false, {
				code: errorCodes.invalidRequest,
				message: "invalid request frame: must have required property 'id'",
			});
			return;
		}

		const id = frame.id;
		if (frame.type !== 'req' || typeof frame.method !== 'string' || frame.method === '') {
			this.respond(id, false, {
				code: errorCodes.invalidRequest,
				message:
					frame.type === 'req'
						? "invalid request frame: must have required property 'method'"
						: 'invalid request frame: must be a request (type "req")',
			});
			return;
		}

		const caller = this.caller!;
		if (frame.method === 'connect') {
			this.respond(id, false, {code: errorCodes.invalidRequest, message: 'connect is only valid as the first request'});
			return;
		}

		if (this.host.admissionClosed) {
			// Stopping: a request that arrives now could not finish; say so instead of dropping it.
			this.respond(id, false, {code: errorCodes.unavailable, message: 'gateway is shutting down; retry after reconnecting', retryable: true});
			return;
		}

		const spec: MethodSpec | undefined = this.host.methods.get(frame.method);
		const requiredScope = spec ? spec.scope : scopeNames.admin;
		if (requiredScope !== null && !scopeSatisfied(caller.scopes, requiredScope)) {
			this.respond(id, false, {
				code: errorCodes.forbidden,
				message: `missing scope: ${requiredScope}`,
				details: {code: 'MISSING_SCOPE', missingScope: requiredScope, requiredScopes: [requiredScope]},
			});
			this.consecutiveUnauthorized++;
			if (this.consecutiveUnauthorized > unauthorizedFloodLimit) {
				this.close(closeCodes.policyViolation, 'repeated unauthorized calls');
			}

			return;
		}

		this.consecutiveUnauthorized = 0;
		if (!spec) {
			this.respond(id, false, {code: errorCodes.invalidRequest, message: `unknown method: ${frame.method}`});
			return;
		}

		let params: unknown = frame.params ?? {};
		if (spec.params && isEmptyObject(params) && emptyValidatesEmpty(spec.params)) {
			// Same answer zod would give (a new `{}`), without its ~1 KiB of garbage per call: most polls send no params.
			params = {};
		} else if (spec.params) {
			const parsed = spec.params.safeParse(params);
			if (!parsed.success) {
				this.respond(id, false, {code: errorCodes.invalidRequest, message: describeParamsError(spec.name, parsed.error)});
				return;
			}

			params = parsed.data;
		}

		const ticket = {id, answered: false};
		const started = performance.now();
		let outcome: unknown;
		try {
			outcome = spec.handler(params, this.methodContext(id, caller));
		} catch (error) {
			this.answerFailure(spec, ticket, error, started);
			return;
		}

		// A synchronous answer (a handler that is not async, as `health`'s, the poll every client makes) goes out now,
		// in the turn its request came in: no promise, no microtask, nothing for shutdown to wait on.
		if (!isThenable(outcome)) {
			this.answer(spec, ticket, outcome, started);
			return;
		}

		this.unanswered.add(ticket);
		const run = Promise.resolve(outcome).then(
			(result) => this.answer(spec, ticket, result, started),
			(error: unknown) => this.answerFailure(spec, ticket, error, started),
		);
		this.inFlight.add(run);
		void run.finally(() => {
			this.inFlight.delete(run);
			this.unanswered.delete(ticket);
		});
	}

	private methodContext(id: string, caller: CallerInfo): MethodContext {
		return {
			gateway: this.host.runtime,
			caller,
			requestId: id,
			signal: this.abort.signal,
			accept: (payload) => {
				this.respond(id, true, payload);
			},
		};
	}

	private answer(spec: MethodSpec, ticket: {id: string; answered: boolean}, result: unknown, started: number): void {
		if (!ticket.answered) {
			// null is an answer (`last-heartbeat` with none); only a handler that returns nothing answers {}.
			this.respond(ticket.id, true, result === undefined ? {} : result);
		}

		this.noteSlowCall(spec, started);
	}

	private answerFailure(spec: MethodSpec, ticket: {id: string; answered: boolean}, error: unknown, started: number): void {
		this.noteSlowCall(spec, started);
		if (ticket.answered) {
			return; // already answered by failPending at shutdown
		}

		if (error instanceof GatewayError) {
			this.respond(ticket.id, false, error.toShape());
		} else {
			const message = error instanceof Error ? error.message : String(error);
			this.host.logger.error('method failed', {method: spec.name, connId: this.connId, error: message});
			this.respond(ticket.id, false, {code: errorCodes.unavailable, message});
		}
	}

	private noteSlowCall(spec: MethodSpec, started: number): void {
		const elapsed = performance.now() - started;
		if (elapsed > 1000) {
			this.host.logger.info('slow call', {method: spec.name, ms: Math.round(elapsed)});
		}
	}

	private onClose(): void {
		const wasReady = this.state === 'ready';
		this.state = 'closed';
		clearTimeout(this.handshakeTimer);
		this.abort.abort();
		this.host.onClosed(this, wasReady);
	}
}

function isEmptyObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
		return false;
	}

	for (const _key in value) {
		return false;
	}

	return true;
}

const emptyVerdicts = new WeakMap<object, boolean>();

/**
 * Whether zod (v3) turns `{}` into `{}` under this schema without running anything of ours: a `ZodObject` whose every
 * field is `ZodOptional` (an absent optional key is skipped before its inner schema runs). Defaults, refinements,
 * transforms or any other shape (another zod major has no `_def.typeName`) get false: those are always parsed.
 */
export function emptyValidatesEmpty(schema: object): boolean {
	let verdict = emptyVerdicts.get(schema);
	if (verdict === undefined) {
		const def = (schema as {_def?: {typeName?: unknown; shape?: unknown}})._def;
		const shape = def?.typeName === 'ZodObject' && typeof def.shape === 'function' ? (def.shape as () => unknown)() : undefined;
		verdict =
			typeof shape === 'object' &&
			shape !== null &&
			Object.values(shape).every((field) => (field as {_def?: {typeName?: unknown}} | undefined)?._def?.typeName === 'ZodOptional');
		emptyVerdicts.set(schema, verdict);
	}

	return verdict;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
	return typeof value === 'object' && value !== null && typeof (value as {then?: unknown}).then === 'function';
}
