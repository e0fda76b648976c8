// The client end of one WebSocket (RFC 6455), split the way the `ws` package splits its own: the opening handshake
// (websocket/handshake.ts), the frame parser (websocket/receiver.ts), the frame writer (websocket/sender.ts) and
// the class that ties them to a socket (websocket/client.ts, which says why this is not the `ws` client). This file
// is the entry importers use.
export {ClientWebSocket, type ClientWebSocketOptions} from './websocket/client.js';
export type {UpgradeResponse} from './websocket/handshake.js';
