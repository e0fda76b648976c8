// For bench/tricks.ts: load a WebSocket client (ours, or the `ws` package's) and open one connection until the
// gateway's first frame (connect.challenge): the cost a CLI command pays for its client before any RPC.
const [kind, url, module] = process.argv.slice(2);
const {WebSocket} = kind === 'ws' ? await import('ws') : {WebSocket: (await import(module)).ClientWebSocket};
const socket = new WebSocket(url, {perMessageDeflate: false});
await new Promise((resolve, reject) => {
	socket.on('message', resolve);
	socket.on('error', reject);
});
socket.terminate();
