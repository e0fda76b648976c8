// How a cron job's `delivery` is read (cron/delivery.ts), as OpenClaw 2026.9.6 reads the shape its CLI stores.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cronDeliveryRecord, cronDeliveryTarget} from '../gateway/cron/delivery.js';

test('a job that announces to a named target is delivered there; `last` gives way to a channel-prefixed to', () => {
	assert.deepEqual(cronDeliveryTarget({mode: 'announce', channel: 'Telegram', to: '4242'}), {channel: 'telegram', to: '4242'});
	assert.deepEqual(cronDeliveryTarget({mode: 'deliver', channel: 'last', to: 'slack:U42'}), {channel: 'slack', to: 'U42'});
	assert.deepEqual(cronDeliveryTarget({channel: 'discord', to: '7'}), {channel: 'discord', to: '7'}, 'no mode: announce');
});

test('no delivery, none, a webhook, or `last` with no target: nothing to send; a half target says what is missing', () => {
	for (const delivery of [undefined, {mode: 'none', channel: 'telegram', to: '1'}, {mode: 'webhook', to: 'https://example.invalid/hook'}, {mode: 'announce', channel: 'last'}]) {
		assert.equal(cronDeliveryTarget(delivery), undefined, JSON.stringify(delivery));
	}

	const missingTo = cronDeliveryTarget({mode: 'announce', channel: 'telegram'});
	assert.ok(missingTo && 'problem' in missingTo && missingTo.problem.reason === 'no_delivery_target');
});

test('the run log\'s delivery fields', () => {
	assert.deepEqual(cronDeliveryRecord('ok', {requested: true, attempted: true, status: 'sent', succeeded: true, resultCount: 1}), {deliveryStatus: 'delivered', delivered: true});
	assert.deepEqual(cronDeliveryRecord('ok', {requested: true, attempted: true, status: 'failed', succeeded: false, error: true, errorMessage: 'no'}), {deliveryStatus: 'not-delivered', delivered: false, deliveryError: 'no'});
	assert.deepEqual(cronDeliveryRecord('error', undefined), {deliveryStatus: 'unknown'});
});
