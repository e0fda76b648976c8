export {GatewayClient, GatewayConnectError, type GatewayClientOptions, type ClientState, type RequestOptions} from './gateway-client.js';
export {backoffDelay, defaultBackoff, type BackoffPolicy} from './backoff.js';
