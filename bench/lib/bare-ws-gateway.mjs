// For bench/gateway.ts: the floor under the health RPC. A bare `ws` server in its own process that speaks just
// enough of protocol 4 (challenge, connect -> a minimal hello-ok) and answers `health` with the same payload the
// gateway gave (a JSON file named by argv[2], serialized afresh for each answer as the gateway does), so the client
// times the same frames. Prints its port, then serves until killed.
import {readFileSync} from 'node:fs';
import {WebSocketServer} from 'ws';

const healthPayload = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], 'utf8')) : {ok: true};

const wss = new WebSocketServer({host: '127.0.0.1', port: 0, perMessageDeflate: false});
wss.on('connection', (ws) => {
	ws.send(JSON.stringify({type: 'event', event: 'connect.challenge', payload: {nonce: 'n', ts: Date.now()}}));
	ws.on('message', (data) => {
		const frame = JSON.parse(String(data));
		const payload =
			frame.method === 'connect'
				? {type: 'hello-ok', protocol: 4, server: {version: 'bare', connId: 'c'}, features: {methods: ['health'], events: []}, snapshot: {presence: [], health: {}, stateVersion: {presence: 0, health: 0}, uptimeMs: 0}, auth: {role: 'operator', scopes: []}, policy: {maxPayload: 1e6, maxBufferedBytes: 1e6, tickIntervalMs: 30_000}}
				: healthPayload;
		ws.send(JSON.stringify({type: 'res', id: frame.id, ok: true, payload}));
	});
});
wss.on('listening', () => process.stdout.write(`${wss.address().port}\n`));
