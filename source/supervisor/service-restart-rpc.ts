// The gentle restart: ask the running gateway (`gateway.restart.request`, operator.admin) to restart in-process,
// then wait until it answers again. Clients see `shutdown` with a restart hint and reconnect.
import {GatewayClient} from '../client/gateway-client.js';
import {notServed, serves} from '../client/served-methods.js';
import type {GatewayCredentials} from './service.js';

/**
 * `comebackUrls`: where else it may come back. A gateway whose port change was pending listens on the new port after
 * the restart, not on the old one the request went to.
 */
export async function restartInProcess(
	credentials: GatewayCredentials,
	timeoutMs = 15_000,
	comebackUrls: readonly string[] = [],
): Promise<{ok: boolean; ms: number; pid?: number; error?: string}> {
	const started = Date.now();
	const options = {
		url: credentials.url,
		token: credentials.token,
		password: credentials.password,
		clientId: 'cli',
		clientMode: 'cli',
		scopes: ['operator.admin'],
		connectTimeoutMs: 3000,
		requestTimeoutMs: 5000,
	};
	const client = new GatewayClient(options);
	let pid: number | undefined;
	try {
		await client.connect();
		if (!serves(client, 'gateway.restart.request')) {
			throw new Error(notServed('gateway.restart.request'));
		}

		const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
		const answer = await client.request('gateway.restart.request', {reason: 'openclaw gateway restart'});
		// Checked whatever the map says: the gateway restarted may be another build (or a real OpenClaw).
		pid = typeof answer?.pid === 'number' ? answer.pid : undefined;
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
		clearTimeout(timer);
	} catch (error) {
		await client.close();
		return {ok: false, ms: Date.now() - started, error: (error as Error).message};
	}

	await client.close();
	// Back when a fresh connection gets hello-ok again.
	const urls = [...new Set([credentials.url, ...comebackUrls])];
	while (Date.now() - started < timeoutMs) {
		for (const url of urls) {
			const probe = new GatewayClient({...options, url, scopes: ['operator.read']});
			try {
				await probe.connect();
				await probe.close();
				return {ok: true, ms: Date.now() - started, pid};
			} catch {}
		}

		await new Promise((resolve) => setTimeout(resolve, 150));
	}

	return {ok: false, ms: Date.now() - started, error: `gateway did not come back within ${timeoutMs} ms`};
}
