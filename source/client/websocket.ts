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
import {isUtf8} from 'node:buffer';
import {createHash, randomBytes, randomFillSync} from 'node:crypto';
import net from 'node:net';
import type {TLSSocket} from 'node:tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const maxHeadBytes = 16 * 1024;
/** After our close frame, how long the peer has to answer before the socket is destroyed (ws waits 30 s). */
const closeTimeoutMs = 30_000;

const opcodes = {continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa} as const;

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

/** What 'unexpected-response' carries: the status line and headers of a non-101 answer to the upgrade. */
export type UpgradeResponse = {statusCode: number; statusMessage: string; headers: Record<string, string>};

type Head = UpgradeResponse & {bodyStart: number};

/** A close code we may put in a close frame (RFC 6455 7.4). */
function isValidCloseCode(code: number): boolean {
	return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** Parse the HTTP head of the upgrade answer, or undefined while it is incomplete. */
function parseHead(buffer: Buffer): Head | undefined {
	const end = buffer.indexOf('\r\n\r\n');
	if (end === -1) {
		return undefined;
	}

	const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
	const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
	if (!match) {
		throw new Error(`Invalid HTTP status line in the upgrade answer: ${JSON.stringify(statusLine.slice(0, 80))}`);
	}

	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		if (colon > 0) {
			const name = line.slice(0, colon).trim().toLowerCase();
			const value = line.slice(colon + 1).trim();
			headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
		}
	}

	return {statusCode: Number(match[1]), statusMessage: match[2] ?? '', headers, bodyStart: end + 4};
}

/** Why an upgrade answered with 101 is still not a WebSocket we asked for, or undefined when it is. */
function upgradeProblem(head: Head, key: string): string | undefined {
	if (head.headers.upgrade?.toLowerCase() !== 'websocket') {
		return 'Invalid Upgrade header';
	}

	if (!head.headers.connection?.toLowerCase().split(/\s*,\s*/).includes('upgrade')) {
		return 'Invalid Connection header';
	}

	const expected = createHash('sha1').update(key + GUID).digest('base64');
	if (head.headers['sec-websocket-accept'] !== expected) {
		return 'Invalid Sec-WebSocket-Accept header';
	}

	if (head.headers['sec-websocket-protocol'] !== undefined) {
		return 'Server sent a subprotocol but none was requested';
	}

	if (head.headers['sec-websocket-extensions'] !== undefined) {
		return 'Server sent a Sec-WebSocket-Extensions header but no extension was requested';
	}

	return undefined;
}

/**
 * Received bytes as the chunks they came in: a message spread over many reads is copied once, when it is whole,
 * not once per read (a 25 MB answer arrives in hundreds of chunks).
 */
class ByteQueue {
	private chunks: Buffer[] = [];
	length = 0;

	push(chunk: Buffer): void {
		this.chunks.push(chunk);
		this.length += chunk.length;
	}

	/** The first `count` bytes (at most length) as one buffer, without consuming them. */
	peek(count: number): Buffer {
		if (this.chunks.length > 1 && this.chunks[0].length < count) {
			let joined = 0;
			let used = 0;
			while (joined < count && used < this.chunks.length) {
				joined += this.chunks[used++].length;
			}

			this.chunks.splice(0, used, Buffer.concat(this.chunks.slice(0, used)));
		}

		return (this.chunks[0] ?? Buffer.alloc(0)).subarray(0, count);
	}

	/** Remove and return the first `count` bytes (count <= length). */
	take(count: number): Buffer {
		const first = this.chunks[0];
		if (first && first.length >= count) {
			this.length -= count;
			if (first.length === count) {
				this.chunks.shift();
			} else {
				this.chunks[0] = first.subarray(count);
			}

			return first.subarray(0, count);
		}

		const out = Buffer.allocUnsafe(count);
		let filled = 0;
		while (filled < count) {
			const chunk = this.chunks[0];
			const used = Math.min(chunk.length, count - filled);
			chunk.copy(out, filled, 0, used);
			filled += used;
			if (used === chunk.length) {
				this.chunks.shift();
			} else {
				this.chunks[0] = chunk.subarray(used);
			}
		}

		this.length -= count;
		return out;
	}

	clear(): void {
		this.chunks = [];
		this.length = 0;
	}
}

/** A protocol violation by the peer: closes with `code` and is reported as an 'error'. */
class FrameError extends Error {
	constructor(
		message: string,
		readonly closeCode: number,
	) {
		super(message);
		this.name = 'FrameError';
	}
}

export class ClientWebSocket extends EventEmitter {
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;

	readyState: number = ClientWebSocket.CONNECTING;
	readonly url: string;
	private socket: net.Socket | TLSSocket | undefined;
	private readonly key = randomBytes(16).toString('base64');
	private readonly maxPayload: number;
	/** Bytes received and not yet parsed (the HTTP head first, then frames). */
	private readonly received = new ByteQueue();
	private upgraded = false;
	/** Fragments of a message still being reassembled, and its opcode. */
	private fragments: Buffer[] = [];
	private fragmentsBytes = 0;
	private fragmentOpcode = 0;
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
		this.maxPayload = options.maxPayload ?? 100 * 1024 * 1024;
		const secure = url.protocol === 'wss:';
		const port = Number(url.port || (secure ? 443 : 80));
		// URL keeps IPv6 hosts in brackets; sockets want them bare.
		const host = url.hostname.replace(/^\[(.*)]$/, '$1');
		const request = [
			`GET ${url.pathname || '/'}${url.search} HTTP/1.1`,
			`Host: ${url.host}`,
			'Upgrade: websocket',
			'Connection: Upgrade',
			`Sec-WebSocket-Key: ${this.key}`,
			'Sec-WebSocket-Version: 13',
			...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
			'',
			'',
		].join('\r\n');
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
		while (this.received.length >= 2 && this.socket && !this.socket.destroyed) {
			const start = this.received.peek(Math.min(this.received.length, 10));
			const first = start[0];
			const second = start[1];
			const fin = (first & 0x80) !== 0;
			const opcode = first & 0x0f;
			if ((first & 0x70) !== 0) {
				throw new FrameError('RSV1, RSV2 and RSV3 must be clear', 1002);
			}

			if ((second & 0x80) !== 0) {
				throw new FrameError('a server must not mask the frames it sends', 1002);
			}

			let length = second & 0x7f;
			let offset = 2;
			if (length === 126) {
				if (start.length < 4) {
					return;
				}

				length = start.readUInt16BE(2);
				offset = 4;
			} else if (length === 127) {
				if (start.length < 10) {
					return;
				}

				const big = start.readBigUInt64BE(2);
				if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
					throw new FrameError('frame length over 2^53 - 1', 1009);
				}

				length = Number(big);
				offset = 10;
			}

			const control = opcode >= 0x8;
			if (control && (!fin || length > 125)) {
				throw new FrameError(fin ? 'control frame payload over 125 bytes' : 'fragmented control frame', 1002);
			}

			if (!control && length + this.fragmentsBytes > this.maxPayload) {
				throw new FrameError('Max payload size exceeded', 1009);
			}

			if (this.received.length < offset + length) {
				return;
			}

			this.received.take(offset);
			const payload = this.received.take(length);
			if (control) {
				this.onControlFrame(opcode, payload);
			} else {
				this.onDataFrame(opcode, fin, payload);
			}
		}
	}

	private onDataFrame(opcode: number, fin: boolean, payload: Buffer): void {
		if (opcode === opcodes.continuation) {
			if (this.fragmentOpcode === 0) {
				throw new FrameError('continuation frame without a message to continue', 1002);
			}
		} else if (opcode === opcodes.text || opcode === opcodes.binary) {
			if (this.fragmentOpcode !== 0) {
				throw new FrameError('new message before the previous one was finished', 1002);
			}

			this.fragmentOpcode = opcode;
		} else {
			throw new FrameError(`invalid opcode ${opcode}`, 1002);
		}

		if (!fin) {
			this.fragments.push(payload);
			this.fragmentsBytes += payload.length;
			return;
		}

		const message = this.fragments.length === 0 ? payload : Buffer.concat([...this.fragments, payload]);
		const isBinary = this.fragmentOpcode === opcodes.binary;
		this.fragments = [];
		this.fragmentsBytes = 0;
		this.fragmentOpcode = 0;
		if (!isBinary && !isUtf8(message)) {
			throw new FrameError('invalid UTF-8 in a text message', 1007);
		}

		if (this.readyState === ClientWebSocket.OPEN) {
			this.emit('message', message, isBinary);
		}
	}

	private onControlFrame(opcode: number, payload: Buffer): void {
		switch (opcode) {
			case opcodes.close: {
				if (payload.length === 1) {
					throw new FrameError('close frame with a 1-byte payload', 1002);
				}

				this.closeFrameReceived = true;
				if (payload.length >= 2) {
					const code = payload.readUInt16BE(0);
					if (!isValidCloseCode(code)) {
						throw new FrameError(`invalid close code ${code}`, 1002);
					}

					this.closeCode = code;
					this.closeReason = Buffer.from(payload.subarray(2));
				} else {
					this.closeCode = 1005;
				}

				if (!this.closeFrameSent) {
					this.readyState = ClientWebSocket.CLOSING;
					this.sendCloseFrame(this.closeCode === 1005 ? undefined : this.closeCode, '');
				}

				this.socket?.end();
				return;
			}

			case opcodes.ping: {
				if (this.readyState === ClientWebSocket.OPEN) {
					this.writeFrame(opcodes.pong, payload);
				}

				return;
			}

			case opcodes.pong: {
				this.emit('pong', Buffer.from(payload));
				return;
			}

			default: {
				throw new FrameError(`invalid opcode ${opcode}`, 1002);
			}
		}
	}

	private sendCloseFrame(code: number | undefined, reason: string): void {
		this.closeFrameSent = true;
		let payload = Buffer.alloc(0);
		if (code !== undefined) {
			const reasonBytes = Buffer.from(reason);
			payload = Buffer.alloc(2 + reasonBytes.length);
			payload.writeUInt16BE(code, 0);
			reasonBytes.copy(payload, 2);
		}

		this.writeFrame(opcodes.close, payload);
	}

	/** One frame, FIN set, masked as RFC 6455 requires of a client. */
	private writeFrame(opcode: number, payload: Buffer): void {
		const socket = this.socket;
		if (!socket || socket.destroyed || !socket.writable) {
			return;
		}

		const length = payload.length;
		const headerLength = length < 126 ? 6 : length < 65_536 ? 8 : 14;
		const frame = Buffer.allocUnsafe(headerLength + length);
		frame[0] = 0x80 | opcode;
		if (length < 126) {
			frame[1] = 0x80 | length;
		} else if (length < 65_536) {
			frame[1] = 0x80 | 126;
			frame.writeUInt16BE(length, 2);
		} else {
			frame[1] = 0x80 | 127;
			frame.writeBigUInt64BE(BigInt(length), 2);
		}

		const mask = frame.subarray(headerLength - 4, headerLength);
		randomFillSync(mask);
		for (let index = 0; index < length; index++) {
			frame[headerLength + index] = payload[index] ^ mask[index & 3];
		}

		socket.write(frame);
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
