// The frame parser of a client WebSocket (RFC 6455 5): reads frames off the received bytes, enforces the rules a
// server's frames must keep (no mask, no RSV bits, control frames whole and short, continuation only inside a
// message, UTF-8 text, valid close codes, the payload limit) and hands on whole messages and control frames.
// A broken rule is thrown as a FrameError carrying the close code it earns; the client fails the connection with it.
import {isUtf8} from 'node:buffer';
import type {ByteQueue} from './byte-queue.js';
import {isValidCloseCode, opcodes} from './frame-rules.js';

/** A protocol violation by the peer: closes with `code` and is reported as an 'error'. */
export class FrameError extends Error {
	constructor(
		message: string,
		readonly closeCode: number,
	) {
		super(message);
		this.name = 'FrameError';
	}
}

/** What the receiver found; called in the order the frames came. */
export type ReceiverHandlers = {
	message(data: Buffer, isBinary: boolean): void;
	/** A close frame: its code (1005 when it carried none) and its reason (undefined when it carried no code). */
	close(code: number, reason: Buffer | undefined): void;
	ping(payload: Buffer): void;
	pong(payload: Buffer): void;
};

export class Receiver {
	/** Fragments of a message still being reassembled, and its opcode (0: none under way). */
	private fragments: Buffer[] = [];
	private fragmentsBytes = 0;
	private fragmentOpcode = 0;

	constructor(
		private readonly received: ByteQueue,
		/** Largest message accepted (after reassembly); a larger one is a FrameError with 1009. */
		private readonly maxPayload: number,
		private readonly handlers: ReceiverHandlers,
	) {}

	/** Consume every whole frame in the queue, for as long as `canRead()` holds (the socket may go meanwhile). */
	parse(canRead: () => boolean): void {
		while (this.received.length >= 2 && canRead()) {
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

		this.handlers.message(message, isBinary);
	}

	private onControlFrame(opcode: number, payload: Buffer): void {
		switch (opcode) {
			case opcodes.close: {
				if (payload.length === 1) {
					throw new FrameError('close frame with a 1-byte payload', 1002);
				}

				if (payload.length === 0) {
					this.handlers.close(1005, undefined);
					return;
				}

				const code = payload.readUInt16BE(0);
				if (!isValidCloseCode(code)) {
					throw new FrameError(`invalid close code ${code}`, 1002);
				}

				this.handlers.close(code, Buffer.from(payload.subarray(2)));
				return;
			}

			case opcodes.ping: {
				this.handlers.ping(payload);
				return;
			}

			case opcodes.pong: {
				this.handlers.pong(payload);
				return;
			}

			// The opcode is any 4-bit number the peer sent, not a closed union: the reserved ones land here.
			default: {
				throw new FrameError(`invalid opcode ${opcode}`, 1002);
			}
		}
	}
}
