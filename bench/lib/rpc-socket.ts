// A minimal protocol 4 client for benchmarks: connect, pipelined requests by id, event hooks. Kept apart from
// GatewayClient so the figures measure the gateway, not the client's reconnect and bookkeeping machinery.
import WebSocket from 'ws';

export type RpcSocket = {
	ws: WebSocket;
	call(method: string, params?: unknown): Promise<any>;
	onEvent(listener: (event: string, payload: any) => void): void;
	closed: Promise<number>;
	close(): void;
};

export async function openRpcSocket(
	url: string,
	options: {token: string; scopes?: string[]; clientId?: string; timeoutMs?: number},
): Promise<RpcSocket> {
	const ws = new WebSocket(url, {perMessageDeflate: false});
	const pending = new Map<string, {resolve: (frame: any) => void; reject: (error: Error) => void}>();
	const listeners: Array<(event: string, payload: any) => void> = [];
	let nextId = 0;
	const closed = new Promise<number>((resolve) => {
		ws.once('close', (code) => {
			for (const waiter of pending.values()) {
				waiter.reject(new Error(`closed ${code}`));
			}

			pending.clear();
			resolve(code);
		});
	});
	ws.on('error', () => {});
	ws.on('message', (data) => {
		const frame = JSON.parse(data.toString());
		if (frame.type === 'res') {
			const waiter = pending.get(frame.id);
			if (waiter) {
				pending.delete(frame.id);
				waiter.resolve(frame);
			}
		} else if (frame.type === 'event') {
			for (const listener of listeners) {
				listener(frame.event, frame.payload);
			}
		}
	});

	const callTimeoutMs = options.timeoutMs ?? 10_000;
	const send = (method: string, params: unknown) =>
		new Promise<any>((resolve, reject) => {
			if (ws.readyState !== WebSocket.OPEN) {
				reject(new Error('socket is not open'));
				return;
			}

			const id = String(++nextId);
			const timer = setTimeout(() => {
				pending.delete(id);
				reject(new Error(`${method} timed out`));
			}, callTimeoutMs);
			pending.set(id, {
				resolve(frame) {
					clearTimeout(timer);
					resolve(frame);
				},
				reject(error) {
					clearTimeout(timer);
					reject(error);
				},
			});
			ws.send(JSON.stringify({type: 'req', id, method, params}));
		});

	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('connect timeout')), options.timeoutMs ?? 10_000);
		ws.once('open', () => {
			clearTimeout(timer);
			resolve();
		});
		ws.once('unexpected-response', (_request, response) => {
			clearTimeout(timer);
			reject(new Error(`HTTP ${response.statusCode}`));
		});
		ws.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
	const hello = await send('connect', {
		minProtocol: 4,
		maxProtocol: 4,
		client: {id: options.clientId ?? 'cli', version: '1.0.0', platform: process.platform, mode: 'cli'},
		role: 'operator',
		scopes: options.scopes ?? ['operator.read'],
		auth: {token: options.token},
	});
	if (!hello.ok) {
		ws.terminate();
		throw new Error(`connect refused: ${hello.error?.message}`);
	}

	return {
		ws,
		async call(method, params = {}) {
			const frame = await send(method, params);
			return frame;
		},
		onEvent(listener) {
			listeners.push(listener);
		},
		closed,
		close() {
			ws.close();
		},
	};
}

