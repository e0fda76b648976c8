// Frames a client sends (RFC 6455 5.2): one frame per message, FIN set, payload masked with a fresh random key as a
// client must. Pure: the caller writes the bytes.
import {randomFillSync} from 'node:crypto';
import {opcodes} from './frame-rules.js';

/** One whole frame of `opcode` carrying `payload`, masked. */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
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

	return frame;
}

/** A close frame: empty without a code, else the code and the reason's UTF-8 bytes. */
export function encodeCloseFrame(code: number | undefined, reason: string): Buffer {
	let payload = Buffer.alloc(0);
	if (code !== undefined) {
		const reasonBytes = Buffer.from(reason);
		payload = Buffer.alloc(2 + reasonBytes.length);
		payload.writeUInt16BE(code, 0);
		reasonBytes.copy(payload, 2);
	}

	return encodeFrame(opcodes.close, payload);
}
