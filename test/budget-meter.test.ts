// BudgetMeter: when a budget counts as exhausted for `health`, since when, and what it refused in that episode.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {BudgetMeter, budgetQuietMs} from '../gateway/budget-meter.js';

describe('BudgetMeter', () => {
	test('not exhausted until something is refused or a lockout begins', () => {
		const meter = new BudgetMeter(() => 5);
		assert.deepEqual(meter.report(0, 'x'), {exhausted: false, since: null, refused: 0, refusedTotal: 0, lastRefusedAt: null, clients: 0, limit: 'x'});
	});

	test('refusals close together are one episode; a quiet period ends it and the next refusal starts another', () => {
		let now = 1000;
		const meter = new BudgetMeter(() => now);
		assert.equal(meter.refuse(), true, 'the first refusal begins an episode');
		now += 10;
		assert.equal(meter.refuse(), false);
		assert.deepEqual(meter.report(1, 'x'), {exhausted: true, since: 1000, refused: 2, refusedTotal: 2, lastRefusedAt: 1010, clients: 1, limit: 'x'});
		now += budgetQuietMs;
		assert.equal(meter.report(0, 'x').exhausted, false);
		assert.equal(meter.refuse(), true);
		assert.deepEqual(meter.report(1, 'x'), {exhausted: true, since: now, refused: 1, refusedTotal: 3, lastRefusedAt: now, clients: 1, limit: 'x'});
	});

	test('a lockout keeps the episode open until it ends, even with nothing refused', () => {
		let now = 1000;
		const meter = new BudgetMeter(() => now);
		meter.exhaust(now + 5 * budgetQuietMs);
		now += 3 * budgetQuietMs;
		assert.equal(meter.refuse(), false, 'still the same episode');
		assert.equal(meter.report(1, 'x').since, 1000);
		now += 3 * budgetQuietMs;
		assert.equal(meter.report(0, 'x').exhausted, false);
	});
});
