// The client end of one WebSocket (RFC 6455), over node:net (ws://) or node:tls (wss://), with the part of the `ws`
// package's client API that GatewayClient uses: the same events ('open', 'message', 'pong', 'close', 'error',
// 'unexpected-response'), send/ping/close/terminate and readyState.
//
// Why not the `ws` client: its module loads http, https, tls and zlib up front and its first connect goes through
// the http client. That is about 45 ms of every `openclaw gateway status` (a command whose budget is 150 ms, Node
// itself taking 80 of them); this file costs a few ms. The gateway keeps `ws` for its server side. What this client
// does not do, because a gateway client never needs it: permessage-deflate (it is never offered, so never used),
// subprotocols, redirects, proxies, binary sends, and streaming sends.
import {EventEmitter} from 'node:events';
import {randomBytes} from 'node:crypto';
import net from 'node:net';
import type {TLSSocket} from 'node:tls';
import {ByteQueue} from './byte-queue.js';
import {isValidCloseCode, opcodes} from './frame-rules.js';
import {maxHeadBytes, parseHead, upgradeProblem, upgradeRequest} from './handshake.js';
import {FrameError, Receiver} from './receiver.js';
import {encodeCloseFrame, encodeFrame} from './sender.js';

/** After our close frame, how long the peer has to answer before the socket is destroyed (ws waits 30 s). */
const closeTimeoutMs = 30_000;

export type ClientWebSocketOptions = {
	/** Time from the TCP connect to the server's 101 answer (default: none). */
	handshakeTimeout?: number;
	/** Largest message accepted (after reassembly); a larger one closes the socket with 1009. Default 100 MiB. */
	maxPayload?: number;
	/** Extra request headers for the upgrade. */
	headers?: Record<string, string>;
	/** wss:// only: trusted CAs instead of Node's defaults (self-signed gateways, tests). */
	ca?: string | Buffer | Array<string | Buffer>;
	/** Accepted for compatibility with `ws`; compression is never offered. */
	perMessageDeflate?: false;
};

export class ClientWebSocket extends EventEmitter {
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;

	readyState: number = ClientWebSocket.CONNECTING;
	readonly url: string;
	private socket: net.Socket | TLSSocket | undefined;
	private readonly key = randomBytes(16).toString('base64');
	/** Bytes received and not yet parsed (the HTTP head first, then frames). */
	private readonly received = new ByteQueue();
	private readonly receiver: Receiver;
	private upgraded = false;
	private closeFrameSent = false;
	private closeFrameReceived = false;
	private closeCode = 1006;
	private closeReason: Buffer = Buffer.alloc(0);
	private handshakeTimer: NodeJS.Timeout | undefined;
	private closeTimer: NodeJS.Timeout | undefined;
	private closeEmitted = false;

	constructor(address: string, options: ClientWebSocketOptions = {}) {
		super();
		const url = new URL(address);
		if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
			throw new SyntaxError(`The URL's protocol must be one of "ws:" or "wss:" (got ${JSON.stringify(url.protocol)})`);
		}

		if (url.hash) {
			throw new SyntaxError('The URL contains a fragment identifier');
		}

		this.url = address;
		this.receiver = new Receiver(this.received, options.maxPayload ?? 100 * 1024 * 1024, {
			message: (data, isBinary) => {
				this.onMessage(data, isBinary);
			},
			close: (code, reason) => {
				this.onCloseFrame(code, reason);
			},
			ping: (payload) => {
				this.onPing(payload);
			},
			pong: (payload) => {
				this.emit('pong', Buffer.from(payload));
			},
		});
		const secure = url.protocol === 'wss:';
		const port = Number(url.port || (secure ? 443 : 80));
		// URL keeps IPv6 hosts in brackets; sockets want them bare.
		const host = url.hostname.replace(/^\[(.*)]$/, '$1');
		const request = upgradeRequest(url, this.key, options.headers);
		if (options.handshakeTimeout !== undefined && options.handshakeTimeout > 0) {
			this.handshakeTimer = setTimeout(() => {
				this.abort(new Error('Opening handshake has timed out'));
			}, options.handshakeTimeout);
		}

		if (secure) {
			// tls only for wss://: most gateways are reached over loopback or an SSH tunnel, and tls takes time to load.
			void import('node:tls').then(
				(tls) => {
					if (this.readyState === ClientWebSocket.CONNECTING && !this.closeEmitted) {
						const servername = net.isIP(host) ? undefined : host;
						this.attach(tls.connect({host, port, servername, ca: options.ca, ALPNProtocols: ['http/1.1']}), request);
					}
				},
				(error: Error) => {
					this.abort(error);
				},
			);
		} else {
			this.attach(net.connect({host, port}), request);
		}
	}

	/** Send one text message. Throws before the socket is open (as ws does); after close it is dropped. */
	send(text: string): void {
		if (this.readyState === ClientWebSocket.CONNECTING) {
			throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
		}

		if (this.readyState !== ClientWebSocket.OPEN) {
			return;
		}

		this.writeFrame(opcodes.text, Buffer.from(text));
	}

	ping(data: Buffer = Buffer.alloc(0)): void {
		if (this.readyState === ClientWebSocket.CONNECTING) {
			throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
		}

		if (this.readyState === ClientWebSocket.OPEN) {
			this.writeFrame(opcodes.ping, data.subarray(0, 125));
		}
	}

	/** Start the closing handshake (or, still connecting, give up on the connection). */
	close(code?: number, reason = ''): void {
		if (this.readyState === ClientWebSocket.CLOSED) {
			return;
		}

		if (this.readyState === ClientWebSocket.CONNECTING) {
			this.abort(new Error('WebSocket was closed before the connection was established'));
			return;
		}

		if (code !== undefined && !isValidCloseCode(code)) {
			throw new TypeError(`First argument must be a valid error code number (got ${code})`);
		}

		if (Buffer.byteLength(reason) > 123) {
			throw new RangeError('The close reason must not be over 123 bytes');
		}

		if (this.closeFrameSent) {
			return;
		}

		this.readyState = ClientWebSocket.CLOSING;
		this.sendCloseFrame(code, reason);
		if (this.closeFrameReceived) {
			this.socket?.end();
		} else {
			this.closeTimer = setTimeout(() => this.socket?.destroy(), closeTimeoutMs);
			this.closeTimer.unref();
		}
	}

	/** Drop the connection at once, without a closing handshake. */
	terminate(): void {
		if (this.readyState === ClientWebSocket.CLOSED) {
			return;
		}

		if (this.readyState === ClientWebSocket.CONNECTING) {
			this.abort(new Error('WebSocket was closed before the connection was established'));
			return;
		}

		this.readyState = ClientWebSocket.CLOSING;
		this.socket?.destroy();
	}

	private attach(socket: net.Socket, request: string): void {
		this.socket = socket;
		socket.setNoDelay(true);
		// Queued by the socket until it is connected (and, for TLS, secure).
		socket.write(request);
		socket.on('data', (chunk: Buffer) => {
			this.onData(chunk);
		});
		socket.on('error', (error: Error) => {
			// After our close handshake began, a reset is how some peers finish it: not news to the caller.
			if (this.readyState === ClientWebSocket.CONNECTING || !this.closeFrameSent) {
				this.emitError(error);
			}

			socket.destroy();
		});
		socket.on('close', () => {
			this.finish();
		});
	}

	private onData(chunk: Buffer): void {
		this.received.push(chunk);
		try {
			if (!this.upgraded && !this.readHead()) {
				return;
			}

			this.readFrames();
		} catch (error) {
			if (error instanceof FrameError) {
				this.failConnection(error);
			} else {
				this.abort(error as Error);
			}
		}
	}

	/** Consume the upgrade answer. True once the socket is open and frames may follow. */
	private readHead(): boolean {
		const head = parseHead(this.received.peek(this.received.length));
		if (!head) {
			if (this.received.length > maxHeadBytes) {
				throw new Error(`The upgrade answer's HTTP head is over ${maxHeadBytes} bytes`);
			}

			return false;
		}

		clearTimeout(this.handshakeTimer);
		if (head.statusCode !== 101) {
			const {bodyStart: _, ...response} = head;
			this.readyState = ClientWebSocket.CLOSING;
			if (this.listenerCount('unexpected-response') > 0) {
				this.emit('unexpected-response', undefined, response);
				this.socket?.destroy();
			} else {
				this.abort(new Error(`Unexpected server response: ${head.statusCode}`));
			}

			return false;
		}

		const problem = upgradeProblem(head, this.key);
		if (problem) {
			throw new Error(problem);
		}

		this.upgraded = true;
		this.received.take(head.bodyStart);
		this.readyState = ClientWebSocket.OPEN;
		this.emit('open');
		// 'open' listeners may have closed us.
		return this.readyState === ClientWebSocket.OPEN || this.readyState === ClientWebSocket.CLOSING;
	}

	private readFrames(): void {
		this.receiver.parse(() => this.socket !== undefined && !this.socket.destroyed);
	}

	private onMessage(data: Buffer, isBinary: boolean): void {
		if (this.readyState === ClientWebSocket.OPEN) {
			this.emit('message', data, isBinary);
		}
	}

	/** The peer's close frame: remember its code and reason, answer it unless ours went first, and end our side. */
	private onCloseFrame(code: number, reason: Buffer | undefined): void {
		this.closeFrameReceived = true;
		this.closeCode = code;
		if (reason) {
			this.closeReason = reason;
		}

		if (!this.closeFrameSent) {
			this.readyState = ClientWebSocket.CLOSING;
			this.sendCloseFrame(this.closeCode === 1005 ? undefined : this.closeCode, '');
		}

		this.socket?.end();
	}

	private onPing(payload: Buffer): void {
		if (this.readyState === ClientWebSocket.OPEN) {
			this.writeFrame(opcodes.pong, payload);
		}
	}

	private sendCloseFrame(code: number | undefined, reason: string): void {
		this.closeFrameSent = true;
		this.write(encodeCloseFrame(code, reason));
	}

	private writeFrame(opcode: number, payload: Buffer): void {
		this.write(encodeFrame(opcode, payload));
	}

	/** Bytes for the peer, dropped once our side of the socket is shut. */
	private write(bytes: Buffer): void {
		const socket = this.socket;
		if (socket && !socket.destroyed && socket.writable) {
			socket.write(bytes);
		}
	}

	/** The peer broke the protocol: report it, send the close code it earned, and drop the connection. */
	private failConnection(error: FrameError): void {
		this.closeCode = error.closeCode;
		if (!this.closeFrameSent && this.readyState === ClientWebSocket.OPEN) {
			this.sendCloseFrame(error.closeCode, '');
		}

		this.readyState = ClientWebSocket.CLOSING;
		this.received.clear();
		this.emitError(error);
		this.socket?.destroy();
	}

	/** Give up on the connection with an error (handshake failures, local aborts): 'error', then 'close' 1006. */
	private abort(error: Error): void {
		clearTimeout(this.handshakeTimer);
		if (this.readyState === ClientWebSocket.CLOSED) {
			return;
		}

		this.readyState = ClientWebSocket.CLOSING;
		this.emitError(error);
		if (this.socket) {
			this.socket.destroy();
		} else {
			this.finish();
		}
	}

	private emitError(error: Error): void {
		if (!this.closeEmitted) {
			this.emit('error', error);
		}
	}

	/** The socket is gone: emit 'close' once, with the code and reason the peer sent (1006 if none). */
	private finish(): void {
		clearTimeout(this.handshakeTimer);
		clearTimeout(this.closeTimer);
		if (this.closeEmitted) {
			return;
		}

		this.closeEmitted = true;
		this.readyState = ClientWebSocket.CLOSED;
		this.emit('close', this.closeCode, this.closeReason);
	}
}
