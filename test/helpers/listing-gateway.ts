// A minimal protocol-4 gateway on loopback that lists only `served` in its hello-ok (features.methods), answers
// those from `answers`, refuses anything else as OpenClaw does an unknown method, and records every method asked:
// for tests that a client follows what a gateway says about itself and never sends a request it did not list.
import type {AddressInfo} from 'node:net';
import {WebSocketServer} from 'ws';

export type ListingGateway = {url: string; requested: string[]; close(): Promise<void>};

export async function listingGateway(served: string[], answers: Record<string, unknown>, options: {uptimeMs?: number} = {}): Promise<ListingGateway> {
	const requested: string[] = [];
	const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
	wss.on('connection', (ws) => {
		ws.send(JSON.stringify({type: 'event', event: 'connect.challenge', payload: {nonce: 'n', ts: Date.now()}}));
		ws.on('message', (data) => {
			const frame = JSON.parse(String(data)) as {id: string; method: string};
			requested.push(frame.method);
			const answer = (payload: unknown) => ws.send(JSON.stringify({type: 'res', id: frame.id, ok: true, payload}));
			if (frame.method === 'connect') {
				answer({
					type: 'hello-ok',
					protocol: 4,
					server: {version: '2026.1.1-minimal', connId: 'c1'},
					features: {methods: served, events: ['tick']},
					snapshot: {presence: [], health: {}, stateVersion: {presence: 0, health: 0}, uptimeMs: options.uptimeMs ?? 1},
					auth: {role: 'operator', scopes: ['operator.read']},
					policy: {maxPayload: 1_000_000, maxBufferedBytes: 1_000_000, tickIntervalMs: 30_000},
				});
			} else if (served.includes(frame.method) && frame.method in answers) {
				answer(answers[frame.method]);
			} else {
				ws.send(JSON.stringify({type: 'res', id: frame.id, ok: false, error: {code: 'INVALID_REQUEST', message: `unknown method: ${frame.method}`}}));
			}
		});
	});
	await new Promise((resolve) => wss.once('listening', resolve));
	return {
		url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
		requested,
		close: async () =>
			new Promise((done) => {
				for (const client of wss.clients) {
					client.terminate();
				}

				wss.close(() => done());
			}),
	};
}
