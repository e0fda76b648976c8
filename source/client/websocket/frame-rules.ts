// What RFC 6455 says about frames that both the receiver and the sender need: the opcodes and the close codes an
// endpoint may put in a close frame.

export const opcodes = {continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa} as const;

/** A close code we may put in a close frame (RFC 6455 7.4). */
export function isValidCloseCode(code: number): boolean {
	return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
