// Hook mapping templates and the wake queue.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {lookup, renderTemplate} from '../gateway/http-routes/hook-templates.js';
import {WakeQueue} from '../gateway/http-routes/wake-queue.js';

describe('hook templates', () => {
	const context = {
		payload: {messages: [{from: 'Ada', tags: ['a', 'b']}], count: 2, nested: {ok: true}},
		headers: {'x-event': 'push'},
		query: new URLSearchParams('ref=main'),
		path: 'mail',
	};

	test('lookup walks dotted paths and indexes', () => {
		assert.equal(lookup(context.payload, 'messages[0].from'), 'Ada');
		assert.equal(lookup(context.payload, 'messages.0.tags[1]'), 'b');
		assert.equal(lookup(context.payload, 'messages[3].from'), undefined);
		assert.equal(lookup(context.payload, 'count.deeper'), undefined);
		for (const inherited of ['constructor', '__proto__', 'toString', 'messages[0].constructor.name', 'messages.map']) {
			assert.equal(lookup(context.payload, inherited), undefined, inherited);
		}
	});

	test('renders payload fields, headers, query, objects as JSON, missing values as empty', () => {
		assert.equal(
			renderTemplate('{{ messages[0].from }}|{{headers.X-Event}}|{{query.ref}}|{{nested}}|{{missing}}|{{path}}|{{payload.count}}', context),
			'Ada|push|main|{"ok":true}||mail|2',
		);
	});
});

describe('WakeQueue', () => {
	test('queues, coalesces a repeat of the newest pending text, drains in order, stays bounded', () => {
		const queue = new WakeQueue(3);
		assert.equal(queue.enqueue('s', 'a'), 'queued');
		assert.equal(queue.enqueue('s', 'a'), 'coalesced');
		assert.equal(queue.enqueue('s', 'b'), 'queued');
		assert.equal(queue.enqueue('s', 'a'), 'queued');
		assert.equal(queue.enqueue('s', 'c'), 'queued');
		assert.equal(queue.size('s'), 3);
		assert.deepEqual(queue.drain('s'), ['b', 'a', 'c']);
		assert.equal(queue.size('s'), 0);
		assert.equal(queue.enqueue('other', 'a'), 'queued');
	});

	test('forgets the longest-untouched session beyond maxSessions', () => {
		const queue = new WakeQueue(5, 2);
		queue.enqueue('one', 'x');
		queue.enqueue('two', 'x');
		queue.enqueue('one', 'y');
		queue.enqueue('three', 'x');
		assert.equal(queue.size('two'), 0);
		assert.equal(queue.size('one'), 2);
		assert.equal(queue.size('three'), 1);
	});
});
