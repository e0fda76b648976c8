// The opening handshake of a client WebSocket (RFC 6455 4.1): the HTTP upgrade request, and the checks on the
// answer (status line, Upgrade and Connection headers, Sec-WebSocket-Accept). No subprotocol and no extension is
// ever requested, so an answer that picks one is refused.
import {createHash} from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Larger than any real upgrade answer: a peer sending more is not speaking HTTP to us. */
export const maxHeadBytes = 16 * 1024;

/** What 'unexpected-response' carries: the status line and headers of a non-101 answer to the upgrade. */
export type UpgradeResponse = {statusCode: number; statusMessage: string; headers: Record<string, string>};

/** The parsed upgrade answer, and where the frames after it start. */
export type UpgradeHead = UpgradeResponse & {bodyStart: number};

/** The GET that asks the server at `url` to switch to WebSocket, with `key` as Sec-WebSocket-Key. */
export function upgradeRequest(url: URL, key: string, headers: Record<string, string> = {}): string {
	return [
		`GET ${url.pathname || '/'}${url.search} HTTP/1.1`,
		`Host: ${url.host}`,
		'Upgrade: websocket',
		'Connection: Upgrade',
		`Sec-WebSocket-Key: ${key}`,
		'Sec-WebSocket-Version: 13',
		...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
		'',
		'',
	].join('\r\n');
}

/** Parse the HTTP head of the upgrade answer, or undefined while it is incomplete. */
export function parseHead(buffer: Buffer): UpgradeHead | undefined {
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
export function upgradeProblem(head: UpgradeHead, key: string): string | undefined {
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
