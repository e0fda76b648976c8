// The method map (source/protocol/methods/) against what the gateway serves: every registered method has an entry
// and every entry is served, at runtime. At compile time (`npm run typecheck` checks this file): a params schema that
// drifts from the map, a handler answering another shape, and a client request with params the map refuses all fail
// to compile, while a name outside the map stays callable and answers `unknown`.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {z} from 'zod';
import {defineMethod} from '../gateway/methods/types.js';
import type {GatewayClient} from '../source/client/index.js';
import {isMethodName, methodNames, type HealthResult} from '../source/protocol/methods/index.js';
import {startTestGateway} from './helpers/gateway.js';

test('the gateway serves exactly the methods of the map', async () => {
	const gw = await startTestGateway();
	try {
		const served = [...gw.server.methods.keys()].sort();
		assert.deepEqual(served, [...methodNames].sort());
		assert.equal(new Set(methodNames).size, methodNames.length);
	} finally {
		await gw.stop();
	}
});

test('isMethodName knows the map and nothing else', () => {
	assert.equal(isMethodName('health'), true);
	assert.equal(isMethodName('sessions.patch'), false);
	assert.equal(isMethodName('toString'), false);
});

test('defineMethod holds the params schema and the handler to the map (compile time)', () => {
	const specs = [
		defineMethod({name: 'health', scope: null, params: z.object({probe: z.boolean().optional()}).passthrough(), handler: async (_params, {gateway}) => gateway.health()}),
		defineMethod({
			name: 'health',
			scope: null,
			// @ts-expect-error a param of another type than the map's
			params: z.object({probe: z.string().optional()}).strict(),
			handler: async (_params, {gateway}) => gateway.health(),
		}),
		defineMethod({
			name: 'agent.abort',
			scope: null,
			// @ts-expect-error an optional key the map does not name
			params: z.object({runId: z.string(), force: z.boolean().optional()}).strict(),
			handler: (params) => ({ok: true as const, aborted: false, runId: params.runId}),
		}),
		defineMethod({
			name: 'chat.abort',
			scope: null,
			// @ts-expect-error a key of the map the schema does not accept
			params: z.object({sessionKey: z.string()}).strict(),
			handler: () => ({ok: true as const, aborted: false, runIds: []}),
		}),
		defineMethod({
			name: 'agent.abort',
			scope: null,
			params: z.object({runId: z.string()}).strict(),
			// @ts-expect-error a result the map does not accept
			handler: (params) => ({ok: true as const, aborted: 'no', runId: params.runId}),
		}),
		defineMethod({
			name: 'agent.abort',
			scope: null,
			params: z.object({runId: z.string()}).strict(),
			handler(params, ctx) {
				// @ts-expect-error a method that answers once has no first answer to send
				ctx.accept({runId: params.runId});
				return {ok: true as const, aborted: false, runId: params.runId};
			},
		}),
		defineMethod({
			// @ts-expect-error a name outside the map
			name: 'health.deep',
			scope: null,
			params: z.object({}).strict(),
			handler: () => null,
		}),
	];
	assert.equal(specs.length, 7);
});

/** Never run: what the client's typed `request` accepts and answers. */
export async function requestTypes(client: GatewayClient): Promise<void> {
	const health: HealthResult = await client.request('health');
	void health.ok;
	// @ts-expect-error a params type the map refuses
	await client.request('health', {probe: 'yes'});
	// @ts-expect-error chat.send's params are required
	await client.request('chat.send');
	const foreign = await client.request('sessions.patch', {key: 'main'});
	// @ts-expect-error a method outside the map answers unknown, to narrow
	void foreign.ok;
	const method: string = 'anything';
	const any: unknown = await client.request(method, {});
	void any;
}
