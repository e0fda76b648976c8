// The client WebSocket (source/client/websocket.ts) against the `ws` server and against raw TCP servers that send
// exactly the bytes a case needs: fragments, 16- and 64-bit lengths, pings, close codes, reads split at every byte,
// and the peer errors a client must refuse (bad accept key, masked or invalid frames, oversize messages, non-101).
// The TLS case uses a self-signed localhost certificate in test/fixtures (made with openssl, valid for 100 years).
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import type {Server as HttpServer} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createHash} from 'node:crypto';
import net, {type AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import {WebSocketServer, type WebSocket as ServerSocket} from 'ws';
import {ClientWebSocket, type UpgradeResponse} from '../source/client/websocket.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

async function wsServer(onConnection: (socket: ServerSocket) => void): Promise<{url: string; close: () => Promise<void>}> {
	const server = new WebSocketServer({host: '127.0.0.1', port: 0});
	server.on('connection', onConnection);
	await once(server, 'listening');
	const {port} = server.address() as AddressInfo;
	return {
		url: `ws://127.0.0.1:${port}`,
		close: async () => {
			for (const client of server.clients) {
				client.terminate();
			}

			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A TCP server that answers the upgrade itself (`head` gets the client's key) and then runs `after` on the socket. */
async function rawServer(
	head: (key: string) => string | undefined,
	after: (socket: net.Socket, key: string) => void = () => {},
): Promise<{url: string; close: () => Promise<void>; sockets: net.Socket[]}> {
	const sockets: net.Socket[] = [];
	const server = net.createServer((socket) => {
		sockets.push(socket);
		socket.on('error', () => {});
		let request = '';
		const onData = (chunk: Buffer) => {
			request += chunk.toString('latin1');
			if (!request.includes('\r\n\r\n')) {
				return;
			}

			socket.off('data', onData);
			const key = /sec-websocket-key: (.*)\r\n/i.exec(request)?.[1] ?? '';
			const answer = head(key);
			if (answer !== undefined) {
				socket.write(Buffer.from(answer, 'latin1'));
			}

			after(socket, key);
		};

		socket.on('data', onData);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as AddressInfo;
	return {
		url: `ws://127.0.0.1:${port}`,
		sockets,
		close: async () => {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

function accept(key: string): string {
	return createHash('sha1').update(key + GUID).digest('base64');
}

function switching(key: string, extra = ''): string {
	return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n${extra}\r\n`;
}

/** An unmasked server frame. */
function frame(opcode: number, payload: Buffer | string, fin = true): Buffer {
	const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
	let header: Buffer;
	if (body.length < 126) {
		header = Buffer.from([(fin ? 0x80 : 0) | opcode, body.length]);
	} else if (body.length < 65_536) {
		header = Buffer.alloc(4);
		header[0] = (fin ? 0x80 : 0) | opcode;
		header[1] = 126;
		header.writeUInt16BE(body.length, 2);
	} else {
		header = Buffer.alloc(10);
		header[0] = (fin ? 0x80 : 0) | opcode;
		header[1] = 127;
		header.writeBigUInt64BE(BigInt(body.length), 2);
	}

	return Buffer.concat([header, body]);
}

type Outcome = {messages: string[]; errors: string[]; close?: {code: number; reason: string}};

/** Collect what a client sees until it emits 'close' (bounded by `timeoutMs`). */
async function run(client: ClientWebSocket, onOpen: (client: ClientWebSocket) => void = () => {}, timeoutMs = 5000): Promise<Outcome> {
	const outcome: Outcome = {messages: [], errors: []};
	client.on('open', () => onOpen(client));
	client.on('message', (data: Buffer) => outcome.messages.push(data.toString()));
	client.on('error', (error: Error) => outcome.errors.push(error.message));
	const closed = new Promise<void>((resolve) => {
		client.on('close', (code: number, reason: Buffer) => {
			outcome.close = {code, reason: reason.toString()};
			resolve();
		});
	});
	const timer = setTimeout(() => client.terminate(), timeoutMs);
	await closed;
	clearTimeout(timer);
	return outcome;
}

describe('ClientWebSocket against the ws server', () => {
	it('echoes text both ways, including 16-bit and 64-bit payload lengths', async () => {
		const server = await wsServer((socket) => socket.on('message', (data) => socket.send(data.toString())));
		try {
			const sizes = [5, 300, 70_000, 300_000];
			const sent = sizes.map((size, index) => String(index).repeat(size));
			const client = new ClientWebSocket(server.url);
			let echoed = 0;
			client.on('message', () => {
				if (++echoed === sent.length) {
					client.close(1000);
				}
			});
			const outcome = await run(client, (open) => {
				for (const text of sent) {
					open.send(text);
				}
			});
			assert.deepEqual(
				outcome.messages.map((text) => text.length),
				sizes,
			);
			assert.deepEqual(outcome.messages, sent);
			assert.deepEqual(outcome.errors, []);
			assert.equal(outcome.close?.code, 1000);
			assert.equal(client.readyState, ClientWebSocket.CLOSED);
		} finally {
			await server.close();
		}
	});

	it('reassembles a fragmented message into one', async () => {
		const server = await wsServer((socket) => {
			socket.send('first ', {fin: false});
			socket.send('second ', {fin: false});
			socket.send('third', {fin: true});
			socket.close(1000, 'done');
		});
		try {
			const outcome = await run(new ClientWebSocket(server.url));
			assert.deepEqual(outcome.messages, ['first second third']);
			assert.deepEqual(outcome.close, {code: 1000, reason: 'done'});
		} finally {
			await server.close();
		}
	});

	it('answers the server ping with a pong carrying the same data, and reports pongs to its own pings', async () => {
		let serverPong: string | undefined;
		const server = await wsServer((socket) => {
			socket.on('pong', (data) => {
				serverPong = data.toString();
				socket.close(4000, 'seen');
			});
			socket.ping('are you there');
		});
		try {
			let clientPong = false;
			const client = new ClientWebSocket(server.url);
			client.on('pong', () => {
				clientPong = true;
			});
			const outcome = await run(client, (open) => open.ping());
			assert.equal(serverPong, 'are you there');
			assert.equal(clientPong, true);
			assert.deepEqual(outcome.close, {code: 4000, reason: 'seen'});
		} finally {
			await server.close();
		}
	});

	it('closes with the code it chose, and the server sees that code', async () => {
		let serverSaw: number | undefined;
		const server = await wsServer((socket) =>
			socket.on('close', (code) => {
				serverSaw = code;
			}),
		);
		try {
			const outcome = await run(new ClientWebSocket(server.url), (open) => open.close(4321, 'leaving'));
			assert.equal(outcome.close?.code, 4321);
			await new Promise((resolve) => setTimeout(resolve, 50));
			assert.equal(serverSaw, 4321);
		} finally {
			await server.close();
		}
	});

	it('refuses a message over maxPayload with 1009 and tells the server so', async () => {
		let serverSaw: number | undefined;
		const server = await wsServer((socket) => {
			socket.on('close', (code) => {
				serverSaw = code;
			});
			socket.send('x'.repeat(2048));
		});
		try {
			const outcome = await run(new ClientWebSocket(server.url, {maxPayload: 1024}));
			assert.deepEqual(outcome.messages, []);
			assert.match(outcome.errors.join(), /Max payload size exceeded/);
			assert.equal(outcome.close?.code, 1009);
			await new Promise((resolve) => setTimeout(resolve, 50));
			assert.equal(serverSaw, 1009);
		} finally {
			await server.close();
		}
	});

	it('cannot send before open, and drops sends after close', async () => {
		const server = await wsServer(() => {});
		try {
			const client = new ClientWebSocket(server.url);
			assert.throws(() => client.send('early'), /not open: readyState 0/);
			const outcome = await run(client, (open) => open.close());
			assert.equal(outcome.close?.code, 1005);
			client.send('late');
			assert.equal(client.readyState, ClientWebSocket.CLOSED);
		} finally {
			await server.close();
		}
	});
});

describe('ClientWebSocket against raw peers', () => {
	it('reads a 101 and frames that arrive one byte at a time, or all in one chunk with the head', async () => {
		const bytes = (key: string) => Buffer.concat([Buffer.from(switching(key)), frame(1, 'hello'), frame(1, 'x'.repeat(200)), frame(8, Buffer.from([0x03, 0xe8]))]);
		const slow = await rawServer(
			() => undefined,
			(socket, key) => {
				const data = bytes(key);
				let index = 0;
				const tick = setInterval(() => {
					if (index >= data.length || socket.destroyed) {
						clearInterval(tick);
						return;
					}

					socket.write(data.subarray(index, ++index));
				}, 1);
			},
		);
		const whole = await rawServer((key) => bytes(key).toString('latin1'));
		try {
			for (const server of [slow, whole]) {
				const outcome = await run(new ClientWebSocket(server.url), undefined, 10_000);
				assert.deepEqual(outcome.messages, ['hello', 'x'.repeat(200)]);
				assert.equal(outcome.close?.code, 1000);
				assert.deepEqual(outcome.errors, []);
			}
		} finally {
			await slow.close();
			await whole.close();
		}
	});

	it('reports a non-101 answer through unexpected-response, or as an error without a listener', async () => {
		const server = await rawServer(() => 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
		try {
			const client = new ClientWebSocket(server.url);
			let response: UpgradeResponse | undefined;
			client.on('unexpected-response', (_request: unknown, answer: UpgradeResponse) => {
				response = answer;
			});
			const outcome = await run(client);
			assert.equal(response?.statusCode, 401);
			assert.equal(response?.statusMessage, 'Unauthorized');
			assert.deepEqual(outcome.errors, []);
			assert.equal(outcome.close?.code, 1006);

			const plain = await run(new ClientWebSocket(server.url));
			assert.deepEqual(plain.errors, ['Unexpected server response: 401']);
		} finally {
			await server.close();
		}
	});

	it('refuses a wrong Sec-WebSocket-Accept, an unrequested extension, and a masked server frame', async () => {
		const wrongKey = await rawServer(() => switching('not-the-key'));
		const extension = await rawServer((key) => switching(key, 'Sec-WebSocket-Extensions: permessage-deflate\r\n'));
		const masked = await rawServer((key) => switching(key) + Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x41]).toString('latin1'));
		try {
			assert.deepEqual((await run(new ClientWebSocket(wrongKey.url))).errors, ['Invalid Sec-WebSocket-Accept header']);
			assert.match((await run(new ClientWebSocket(extension.url))).errors.join(), /no extension was requested/);
			const outcome = await run(new ClientWebSocket(masked.url));
			assert.match(outcome.errors.join(), /must not mask/);
			assert.equal(outcome.close?.code, 1002);
		} finally {
			await wrongKey.close();
			await extension.close();
			await masked.close();
		}
	});

	it('closes with 1007 on invalid UTF-8 and with 1002 on a continuation that continues nothing', async () => {
		const badText = await rawServer((key) => switching(key) + frame(1, Buffer.from([0xc3, 0x28])).toString('latin1'));
		const orphan = await rawServer((key) => switching(key) + frame(0, 'tail').toString('latin1'));
		try {
			const text = await run(new ClientWebSocket(badText.url));
			assert.equal(text.close?.code, 1007);
			assert.deepEqual(text.messages, []);
			const continuation = await run(new ClientWebSocket(orphan.url));
			assert.equal(continuation.close?.code, 1002);
			assert.match(continuation.errors.join(), /continuation frame/);
		} finally {
			await badText.close();
			await orphan.close();
		}
	});

	it('gives up when the upgrade is never answered (handshakeTimeout)', async () => {
		const silent = await rawServer(() => undefined);
		try {
			const started = Date.now();
			const outcome = await run(new ClientWebSocket(silent.url, {handshakeTimeout: 200}));
			assert.deepEqual(outcome.errors, ['Opening handshake has timed out']);
			assert.equal(outcome.close?.code, 1006);
			assert.ok(Date.now() - started < 3000);
		} finally {
			await silent.close();
		}
	});

	it('reports a refused connection with its errno, then close 1006', async () => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		const {port} = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const client = new ClientWebSocket(`ws://127.0.0.1:${port}`);
		let code: string | undefined;
		client.on('error', (error: NodeJS.ErrnoException) => {
			code = error.code;
		});
		const outcome = await run(client);
		assert.equal(code, 'ECONNREFUSED');
		assert.equal(outcome.close?.code, 1006);
	});

	it('rejects URLs that are not ws:// or wss://', () => {
		assert.throws(() => new ClientWebSocket('http://127.0.0.1:1'), SyntaxError);
		assert.throws(() => new ClientWebSocket('ws://127.0.0.1:1/#frag'), SyntaxError);
	});
});

describe('ClientWebSocket over TLS (wss://)', () => {
	const cert = readFileSync(new URL('fixtures/tls-localhost.crt', import.meta.url));
	const key = readFileSync(new URL('fixtures/tls-localhost.key', import.meta.url));

	async function tlsServer(): Promise<{port: number; server: HttpServer; wss: WebSocketServer}> {
		const server = createHttpsServer({cert, key});
		const wss = new WebSocketServer({server});
		wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`tls:${data.toString()}`)));
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		return {port: (server.address() as AddressInfo).port, server, wss};
	}

	it('talks through TLS when the certificate is trusted, and refuses an untrusted one', async () => {
		const {port, server, wss} = await tlsServer();
		try {
			const trusted = await run(new ClientWebSocket(`wss://localhost:${port}/`, {ca: cert}), (open) => {
				open.send('hi');
				open.on('message', () => open.close(1000));
			});
			assert.deepEqual(trusted.messages, ['tls:hi']);
			assert.deepEqual(trusted.errors, []);

			const untrusted = await run(new ClientWebSocket(`wss://localhost:${port}/`));
			assert.equal(untrusted.errors.length, 1);
			assert.match(untrusted.errors[0], /self[- ]signed|certificate/i);
			assert.equal(untrusted.close?.code, 1006);
		} finally {
			for (const client of wss.clients) {
				client.terminate();
			}

			wss.close();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
