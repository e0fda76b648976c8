// Pure parts of agent runs: the SSE parser, echo deltas, the idempotency cache, model selection.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {splitDeltas} from '../gateway/agents/echo.js';
import {TtlCache} from '../gateway/agents/idempotency.js';
import {resolveModel, selectedModelRef} from '../gateway/agents/models.js';
import {SseParser} from '../gateway/agents/sse.js';

describe('SseParser', () => {
	test('joins events split across chunks at any byte', () => {
		const text = 'event: a\ndata: {"x":1}\n\n: comment\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';
		for (let cut = 1; cut < text.length; cut++) {
			const parser = new SseParser();
			const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
			assert.deepEqual(events, [{event: 'a', data: '{"x":1}'}, {data: 'line1\nline2'}, {data: '[DONE]'}], `cut at ${cut}`);
		}
	});

	test('accepts CRLF and CR line ends, and flushes a last event without its blank line', () => {
		const parser = new SseParser();
		// A trailing lone CR may be half of a CRLF: that event completes when the next byte shows it is not.
		assert.deepEqual(parser.push('data: a\r\n\r\ndata: b\r\r'), [{data: 'a'}]);
		assert.deepEqual(parser.push('data: tail'), [{data: 'b'}]);
		assert.deepEqual(parser.end(), [{data: 'tail'}]);
	});
});

describe('echo model deltas', () => {
	test('split at word boundaries into at most four pieces that re-join exactly', () => {
		for (const text of ['one', 'one two', 'a b c d e f g h i', '  spaced   out  ', '']) {
			const parts = splitDeltas(text);
			assert.equal(parts.join(''), text);
			assert.ok(parts.length <= 4);
		}

		assert.equal(splitDeltas('a b c d e f g h').length, 4);
	});
});

describe('TtlCache', () => {
	test('forgets keys after the TTL and keeps at most maxKeys (oldest go first)', () => {
		let now = 0;
		const cache = new TtlCache<number>(1000, 3, () => now);
		cache.set('a', 1);
		cache.set('b', 2);
		now = 500;
		cache.set('c', 3);
		cache.set('d', 4);
		assert.equal(cache.get('a'), undefined);
		assert.equal(cache.get('b'), 2);
		assert.equal(cache.size, 3);
		now = 1001;
		assert.equal(cache.get('b'), undefined);
		assert.equal(cache.get('c'), 3);
	});
});

describe('model selection', () => {
	test('override > agents.defaults.model (string or {primary}) > echo', () => {
		assert.equal(selectedModelRef({}), 'echo');
		assert.equal(selectedModelRef({agents: {defaults: {model: 'openai/gpt-x'}}}), 'openai/gpt-x');
		assert.equal(selectedModelRef({agents: {defaults: {model: {primary: 'local/llama'}}}}), 'local/llama');
		assert.equal(selectedModelRef({agents: {defaults: {model: 'openai/gpt-x'}}}, 'echo'), 'echo');
	});

	test('resolves echo and providers, and names the fix when a model cannot run', () => {
		const config = {models: {providers: {local: {baseUrl: 'http://127.0.0.1:1/v1', model: 'llama'}, nourl: {model: 'm'}}}};
		assert.equal(resolveModel(config, 'echo').ref, 'echo');
		assert.equal(resolveModel(config, 'local').ref, 'local/llama');
		assert.equal(resolveModel(config, 'local/qwen').ref, 'local/qwen');
		assert.throws(() => resolveModel(config, 'openai/gpt'), /unknown model provider "openai".*models\.providers\.openai/);
		assert.throws(() => resolveModel(config, 'nourl/m'), /models\.providers\.nourl\.baseUrl is not set/);
		assert.throws(() => resolveModel({models: {providers: {bare: {baseUrl: 'http://x'}}}}, 'bare'), /names no model/);
	});
});
