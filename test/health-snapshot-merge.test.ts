// GatewayServer.healthSnapshot builds the `health` answer as one object literal instead of Object.assign-ing the
// services' parts over a base snapshot. These tests hold it to the merge it replaced: same fields, same values, same
// key order (OpenClaw clients read the JSON), for the real services' parts and for parts that override base fields.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startTestGateway, type TestGateway} from './helpers/gateway.js';

type Parts = Array<Record<string, unknown>>;
type Snapshotter = {healthSnapshot(parts: Parts, started: number): Record<string, unknown>; stateDir: string; options: {services: Array<{health?: (o: object) => unknown}>}};

/** The merge as it was: a base snapshot, each part assigned over it, a service's budgets joined to ours. */
function referenceSnapshot(gateway: Snapshotter & {budgets(): Record<string, unknown>; eventLoopStats(): unknown; startedAt: number}, parts: Parts, started: number): Record<string, unknown> {
	let sessions: unknown;
	for (const part of parts) {
		if (part != null && Object.hasOwn(part, 'sessions')) {
			sessions = part.sessions;
		}
	}

	const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
	const summary = isRecord(sessions) ? sessions : {path: `${gateway.stateDir}/agents/main/sessions/sessions.json`, count: 0, recent: []};
	const snapshot: Record<string, unknown> = {
		ok: true,
		ts: Date.now(),
		durationMs: Math.round(performance.now() - started),
		channels: {},
		channelOrder: [],
		channelLabels: {},
		heartbeatSeconds: 0,
		defaultAgentId: 'main',
		agents: [{agentId: 'main', isDefault: true, heartbeat: {enabled: false, every: 'disabled', everyMs: null, prompt: '', target: '', ackMaxChars: 0}, sessions: summary}],
		sessions: summary,
		configReload: {hotReloadStatus: 'active'},
		eventLoop: gateway.eventLoopStats(),
		uptimeMs: Date.now() - gateway.startedAt,
		budgets: gateway.budgets(),
	};
	const ownBudgets = snapshot.budgets;
	for (const part of parts) {
		Object.assign(snapshot, part);
	}

	snapshot.budgets = snapshot.budgets === ownBudgets ? ownBudgets : {...(ownBudgets as object), ...(isRecord(snapshot.budgets) ? snapshot.budgets : {})};
	return snapshot;
}

/** The JSON with the clock-dependent values fixed, key order kept. */
const normalized = (value: unknown) =>
	JSON.stringify(value, (key, field: unknown) => (['ts', 'durationMs', 'uptimeMs', 'eventLoop', 'age'].includes(key) ? 0 : field));

describe('health snapshot merge', () => {
	let gateway: TestGateway;
	let server: Snapshotter & Parameters<typeof referenceSnapshot>[0];
	before(async () => {
		gateway = await startTestGateway();
		server = gateway.server as unknown as typeof server;
	});
	after(async () => gateway.stop());

	const check = (parts: Parts) => {
		const started = performance.now();
		const expected = normalized(referenceSnapshot(server, parts, started));
		assert.equal(normalized(server.healthSnapshot(parts, started)), expected);
	};

	test("the real services' parts give the merge's answer, field for field and in order", async () => {
		const parts = server.options.services.map((service) => (service.health?.({}) ?? {}) as Record<string, unknown>);
		assert.ok(parts.some((part) => 'budgets' in part) && parts.some((part) => 'sessions' in part) && parts.some((part) => 'channels' in part));
		check(parts);
		const answer = (await gateway.server.health()) as Record<string, unknown>;
		assert.deepEqual(Object.keys(answer), Object.keys(JSON.parse(normalized(referenceSnapshot(server, parts, performance.now())))));
	});

	test('parts overriding base fields, adding their own, repeating and undefined give the merge\'s answer', () => {
		check([]);
		check([{extra: 1, ok: false}, {channels: {x: {configured: true}}, channelOrder: ['x'], heartbeatSeconds: 5}, {extra: 2, later: 'l', defaultAgentId: 'other'}]);
		check([{sessions: 'not a record'}, {budgets: {hookAuth: {exhausted: false}}}, {budgets: {other: {exhausted: true}}, configReload: {hotReloadStatus: 'disabled'}}]);
		check([{budgets: undefined, channelLabels: null}, null as unknown as Record<string, unknown>, {sessions: {path: 'p', count: 3, recent: []}, agentRuns: {active: 0}}]);
	});
});
