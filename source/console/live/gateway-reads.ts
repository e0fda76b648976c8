// The reads the console polls, each turned into the reducer actions it implies (errors included), so one poll's
// answers are applied together: health (timed: the RPC probe), status, channels.status, config.get.
import {statusRuntimeFacts} from '../../client/status-facts.js';
import {isRecord, type HelloOk} from '../../protocol/index.js';
import type {RequestFunction} from '../../protocol/methods/index.js';
import type {ConsoleAction} from '../state/index.js';
import {notServed, sendsEvent, serves} from '../../client/served-methods.js';
import {allowedValues} from '../state/reload.js';

/**
 * What the reads need of a link: GatewayClient in the console, the page's GatewaySocket in the Control UI (the
 * browser bundle must not load the Node client).
 */
export type GatewayReader = {
	readonly hello?: HelloOk;
	request: RequestFunction<{timeoutMs?: number}>;
};

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export async function probeHealth(client: GatewayReader): Promise<ConsoleAction[]> {
	const started = performance.now();
	try {
		const health = await client.request('health', {}, {timeoutMs: 10_000});
		const latencyMs = Math.round((performance.now() - started) * 10) / 10;
		const actions: ConsoleAction[] = [{type: 'runtime/probe', probe: {ok: true, latencyMs, at: Date.now()}}];
		// Guarded whatever the map says: a foreign gateway's health may carry no reload state (or another shape).
		if (isRecord(health) && isRecord(health.configReload)) {
			actions.push({type: 'reload/health', payload: health.configReload, at: Date.now()});
		}

		// The sessions summary comes from `status` where it is served (OpenClaw's `health` may be a minute old).
		if (!serves(client, 'status')) {
			actions.push(...sessionsSummary(health));
		}

		return actions;
	} catch (error) {
		return [{type: 'runtime/probe', probe: {ok: false, error: errorText(error), at: Date.now()}}];
	}
}

export async function readStatus(client: GatewayReader): Promise<ConsoleAction[]> {
	if (!serves(client, 'status')) {
		return []; // the Runtime pane keeps what hello-ok and config.get say
	}

	try {
		const status = await client.request('status', {});
		if (!isRecord(status)) {
			return [];
		}

		return [
			{type: 'runtime/status', status: statusRuntimeFacts(status), at: Date.now()},
			...sessionsSummary(status),
		];
	} catch (error) {
		return [{type: 'runtime/statusError', error: errorText(error)}];
	}
}

export async function readChannels(client: GatewayReader, probe: boolean, probeTimeoutMs = 8000): Promise<ConsoleAction[]> {
	if (!serves(client, 'channels.status')) {
		return [{type: 'channels/error', error: notServed('channels.status'), at: Date.now()}];
	}

	try {
		const payload = await client.request('channels.status', probe ? {probe: true, timeoutMs: probeTimeoutMs} : {}, {timeoutMs: 15_000});
		return [{type: 'channels/status', payload, at: Date.now()}];
	} catch (error) {
		return [{type: 'channels/error', error: errorText(error), at: Date.now()}];
	}
}

/** Where the config says the gateway listens: the running config when the gateway reports it (OpenClaw's runtimeConfig), else the file. */
function configuredListen(payload: unknown): ConsoleAction | undefined {
	if (!isRecord(payload)) {
		return undefined;
	}

	const config = isRecord(payload.runtimeConfig) ? payload.runtimeConfig : isRecord(payload.config) ? payload.config : {};
	const gateway = isRecord(config.gateway) ? config.gateway : {};
	return {
		type: 'runtime/configured',
		configured: {bind: typeof gateway.bind === 'string' ? gateway.bind : undefined, port: typeof gateway.port === 'number' ? gateway.port : undefined},
	};
}

export async function readConfig(client: GatewayReader): Promise<ConsoleAction[]> {
	if (!serves(client, 'config.get')) {
		return [];
	}

	try {
		const payload = await client.request('config.get', {});
		const listen = configuredListen(payload);
		return [{type: 'reload/config', payload}, ...(listen ? [listen] : [])];
	} catch (error) {
		return [{type: 'reload/writeFailed', error: `config.get failed: ${errorText(error)}`, conflict: false}];
	}
}

/**
 * What `m` may do on this gateway, from what it says about itself: whether it serves config.patch, and the values its
 * schema allows for gateway.reload.mode (OpenClaw 2026.9.6 allows only off and hybrid). Asked once per connection.
 */
export async function readReloadCapabilities(client: GatewayReader): Promise<ConsoleAction[]> {
	const writable = serves(client, 'config.patch');
	if (!serves(client, 'config.schema.lookup')) {
		return [{type: 'reload/capabilities', writable}];
	}

	try {
		const lookup = await client.request('config.schema.lookup', {path: 'gateway.reload.mode'});
		return [{type: 'reload/capabilities', allowedModes: allowedValues(isRecord(lookup) ? lookup.schema : undefined), writable}];
	} catch {
		return [{type: 'reload/capabilities', writable}];
	}
}

/** The `sessions` summary a `status` or `health` answer carries (OpenClaw's and ours: count, recent), if it has one. */
export function sessionsSummary(payload: unknown): ConsoleAction[] {
	return isRecord(payload) && isRecord(payload.sessions) ? [{type: 'sessions/summary', summary: payload.sessions, at: Date.now()}] : [];
}

/**
 * Ask for `sessions.changed` on this link (a subscription ends with the connection: asked again on each). Only where
 * the gateway serves sessions.subscribe and lists the event; says whether the console is now subscribed.
 */
export async function subscribeSessions(client: GatewayReader): Promise<boolean> {
	if (!serves(client, 'sessions.subscribe') || !sendsEvent(client, 'sessions.changed')) {
		return false;
	}

	try {
		await client.request('sessions.subscribe', {});
		return true;
	} catch {
		return false; // the poll still brings the summary
	}
}

/** The sessions summary alone, read again after a `sessions.changed`: from `status`, else `health`, as the poll reads it. */
export async function readSessions(client: GatewayReader): Promise<ConsoleAction[]> {
	const method = serves(client, 'status') ? 'status' : serves(client, 'health') ? 'health' : undefined;
	if (!method) {
		return [];
	}

	try {
		return sessionsSummary(await client.request(method, {}));
	} catch {
		return []; // the next poll says what is wrong with the link
	}
}
