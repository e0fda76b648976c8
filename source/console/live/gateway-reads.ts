// The reads the console polls, each turned into the reducer actions it implies (errors included), so one poll's
// answers are applied together: health (timed: the RPC probe), status, channels.status, config.get.
import type {GatewayClient} from '../../client/index.js';
import {isRecord} from '../../protocol/index.js';
import type {ConsoleAction} from '../state/index.js';

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export async function probeHealth(client: GatewayClient): Promise<ConsoleAction[]> {
	const started = performance.now();
	try {
		const health = await client.request('health', {}, {timeoutMs: 10_000});
		const latencyMs = Math.round((performance.now() - started) * 10) / 10;
		const actions: ConsoleAction[] = [{type: 'runtime/probe', probe: {ok: true, latencyMs, at: Date.now()}}];
		if (isRecord(health) && isRecord(health.configReload)) {
			actions.push({type: 'reload/health', payload: health.configReload, at: Date.now()});
		}

		return actions;
	} catch (error) {
		return [{type: 'runtime/probe', probe: {ok: false, error: errorText(error), at: Date.now()}}];
	}
}

export async function readStatus(client: GatewayClient): Promise<ConsoleAction[]> {
	try {
		const status = await client.request('status', {});
		if (!isRecord(status)) {
			return [];
		}

		const gateway = isRecord(status.gateway) ? status.gateway : {};
		return [
			{
				type: 'runtime/status',
				status: {
					pid: typeof status.pid === 'number' ? status.pid : undefined,
					version: typeof status.version === 'string' ? status.version : undefined,
					uptimeMs: typeof status.uptimeMs === 'number' ? status.uptimeMs : undefined,
					bind: typeof gateway.bind === 'string' ? gateway.bind : undefined,
					host: typeof gateway.host === 'string' ? gateway.host : undefined,
					port: typeof gateway.port === 'number' ? gateway.port : undefined,
					reloadMode: typeof gateway.reloadMode === 'string' ? gateway.reloadMode : undefined,
				},
				at: Date.now(),
			},
		];
	} catch (error) {
		return [{type: 'runtime/statusError', error: errorText(error)}];
	}
}

export async function readChannels(client: GatewayClient, probe: boolean, probeTimeoutMs = 8000): Promise<ConsoleAction[]> {
	try {
		const payload = await client.request('channels.status', probe ? {probe: true, timeoutMs: probeTimeoutMs} : {}, {timeoutMs: 15_000});
		return [{type: 'channels/status', payload, at: Date.now()}];
	} catch (error) {
		return [{type: 'channels/error', error: errorText(error), at: Date.now()}];
	}
}

export async function readConfig(client: GatewayClient): Promise<ConsoleAction[]> {
	try {
		return [{type: 'reload/config', payload: await client.request('config.get', {})}];
	} catch (error) {
		return [{type: 'reload/writeFailed', error: `config.get failed: ${errorText(error)}`, conflict: false}];
	}
}
