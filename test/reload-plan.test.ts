// The hot-reload plan: diffing configs into paths, classifying paths, and what each mode does.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {classifyPath, diffConfigPaths, maxListedPaths, planReload, reloadModeOf, takePaths} from '../gateway/reload/plan.js';

describe('classifyPath', () => {
	test('port, bind, auth secrets and mode, TLS and gateway.mode need a restart', () => {
		for (const path of ['gateway.port', 'gateway.bind', 'gateway.customBindHost', 'gateway.auth.mode', 'gateway.auth.token', 'gateway.auth.password', 'gateway.tls.certPath', 'gateway.mode']) {
			assert.equal(classifyPath(path), 'restart', path);
		}
	});

	test('channels, logging, agents, models, hooks, rate limits, control UI and HTTP endpoints are hot', () => {
		for (const path of ['channels.telegram.botToken', 'logging.level', 'agents.defaults.model', 'models.providers.openai.apiKey', 'hooks.token', 'gateway.auth.rateLimit.maxAttempts', 'gateway.controlUi.allowedOrigins', 'gateway.http.endpoints.responses.enabled']) {
			assert.equal(classifyPath(path), 'hot', path);
		}
	});

	test('reload settings, remote client settings and meta are no-ops', () => {
		for (const path of ['gateway.reload.mode', 'gateway.remote.url', 'meta.lastTouchedAt']) {
			assert.equal(classifyPath(path), 'none', path);
		}
	});

	test('the longest prefix wins and unknown paths need a restart', () => {
		assert.equal(classifyPath('gateway.auth.rateLimit'), 'hot');
		assert.equal(classifyPath('gateway.auth.allowTailscale'), 'restart');
		assert.equal(classifyPath('gateway.somethingNew'), 'restart');
		assert.equal(classifyPath('plugins.foo'), 'restart');
		assert.equal(classifyPath('channelsX'), 'restart', 'a prefix matches whole path segments only');
	});
});

describe('diffConfigPaths', () => {
	test('lists changed, added and removed leaves; arrays are one leaf', () => {
		const before = {gateway: {port: 1, auth: {token: 'a'}}, logging: {level: 'info'}, list: [1, 2]};
		const after = {gateway: {port: 2, auth: {token: 'a'}}, channels: {telegram: {botToken: 'x', enabled: true}}, list: [1, 3]};
		assert.deepEqual(diffConfigPaths(before, after), ['channels.telegram.botToken', 'channels.telegram.enabled', 'gateway.port', 'list', 'logging.level']);
	});

	test('equal configs have no changes; a leaf turned into an empty object is a change', () => {
		assert.deepEqual(diffConfigPaths({a: {b: [1, {c: 2}]}}, {a: {b: [1, {c: 2}]}}), []);
		assert.deepEqual(diffConfigPaths({a: 1}, {a: {}}), ['a']);
	});
});

describe('planReload', () => {
	const hotOnly = ['logging.level', 'gateway.reload.mode'];
	const mixed = ['logging.level', 'gateway.port'];

	test('hybrid applies hot changes in place and restarts for restart-class ones', () => {
		assert.deepEqual(planReload(hotOnly, 'hybrid'), {
			mode: 'hybrid',
			action: 'apply',
			changedPaths: hotOnly,
			applyPaths: ['gateway.reload.mode', 'logging.level'],
			pendingPaths: [],
			hotPaths: ['logging.level'],
			restartPaths: [],
		});
		assert.equal(planReload(mixed, 'hybrid').action, 'restart');
	});

	test('hot applies hot changes and leaves restart-class ones pending', () => {
		const plan = planReload(mixed, 'hot');
		assert.equal(plan.action, 'apply');
		assert.deepEqual(plan.applyPaths, ['logging.level']);
		assert.deepEqual(plan.pendingPaths, ['gateway.port']);
	});

	test('restart never patches a running generation: any change that matters restarts', () => {
		assert.equal(planReload(['logging.level'], 'restart').action, 'restart');
		assert.equal(planReload(['gateway.port'], 'restart').action, 'restart');
		assert.equal(planReload(['gateway.reload.mode'], 'restart').action, 'apply');
	});

	test('off applies only no-op paths (the mode itself) and leaves the rest pending', () => {
		const plan = planReload(['gateway.reload.mode', 'logging.level', 'gateway.port'], 'off');
		assert.deepEqual(plan.applyPaths, ['gateway.reload.mode']);
		assert.deepEqual(plan.pendingPaths, ['logging.level', 'gateway.port']);
		assert.equal(planReload(['logging.level'], 'off').action, 'none');
	});
});

test('reloadModeOf defaults to hybrid', () => {
	assert.equal(reloadModeOf({}), 'hybrid');
	assert.equal(reloadModeOf({gateway: {reload: {mode: 'off'}}}), 'off');
	assert.equal(reloadModeOf({gateway: {reload: {mode: 'bogus'}}}), 'hybrid');
});

test('takePaths copies and deletes the given paths only, without mutating', () => {
	const base = {gateway: {port: 1, reload: {mode: 'hot'}}, logging: {level: 'info'}};
	const source = {gateway: {port: 2, reload: {mode: 'off'}}, channels: {slack: {enabled: true}}};
	const out = takePaths(base, source, ['gateway.reload.mode', 'logging.level', 'channels.slack.enabled']);
	assert.deepEqual(out, {gateway: {port: 1, reload: {mode: 'off'}}, logging: {}, channels: {slack: {enabled: true}}});
	assert.equal(base.gateway.reload.mode, 'hot');
});

describe('prototype keys in reload paths', () => {
	test('takePaths never writes through __proto__ into other objects; getPath and diff read own keys only', () => {
		const source = JSON.parse('{"__proto__": {"polluted": 1}, "a": {"b": 2}}');
		const out = takePaths({}, source, ['__proto__.polluted', 'a.b', 'toString']) as Record<string, any>;
		assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
		assert.equal(Object.getPrototypeOf(out), Object.prototype);
		assert.equal(out.a.b, 2);
		assert.equal(Object.hasOwn(out, 'toString'), false);
		assert.deepEqual(diffConfigPaths({}, {constructor: 1}), ['constructor']);
		assert.deepEqual(diffConfigPaths({}, {}), []);
	});
});

describe('changed-path lists stay small', () => {
	test(`past ${maxListedPaths} changed leaves, paths are listed by section, however long the keys`, () => {
		const deep: Record<string, unknown> = {};
		let node = deep;
		for (let level = 0; level < 30; level++) {
			const next: Record<string, unknown> = {};
			node['k'.repeat(200) + level] = next;
			node = next;
		}

		for (let index = 0; index < 50_000; index++) {
			node[`x${index}`] = index;
		}

		const paths = diffConfigPaths({channels: {}, gateway: {}}, {channels: deep, gateway: {port: 1}});
		assert.ok(paths.length <= maxListedPaths, `${paths.length} paths`);
		assert.ok(paths.every((path) => path.length < 500), 'section paths, not 6 KB leaf paths');
		assert.ok(paths.includes('gateway.port'));
		assert.ok(paths.some((path) => path.startsWith('channels.k')));
		assert.equal(diffConfigPaths({a: {b: 1}}, {a: {b: 2}}).join(), 'a.b', 'few changes are still listed leaf by leaf');
	});
});
