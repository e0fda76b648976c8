// A real `openclaw gateway` process for the enclosing describe block, with its webhook channel pointed at a loopback
// stand-in whose answer the test sets (so a live channel probe passes or fails on cue). Used by the operator CLI
// tests that need a gateway with one channel.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './cli-process.js';
import {freePort} from './gateway.js';

export type WebhookGateway = {
	instance(): Instance;
	gateway(): GatewayProcess;
	/** The HTTP status the stand-in answers the channel's probe with. */
	setHookStatus(status: number): void;
	hookHits(): number;
};

export function gatewayWithWebhookPerSuite(token: string): WebhookGateway {
	let instance: Instance | undefined;
	let gateway: GatewayProcess | undefined;
	let hookStatus = 200;
	let hits = 0;
	const hook = http.createServer((_request, response) => {
		hits++;
		response.writeHead(hookStatus).end();
	});

	before(async () => {
		await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
		const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
		const port = await freePort();
		instance = await makeInstance({port, token, config: {gateway: {mode: 'local', port, auth: {mode: 'token', token}}, channels: {webhook: {url: hookUrl}}}});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
		hook.close();
	});

	return {
		instance: () => instance!,
		gateway: () => gateway!,
		setHookStatus(status) {
			hookStatus = status;
		},
		hookHits: () => hits,
	};
}
