// OpenResponses request parsing: agent targets, input items, headers, and the 400s that name the fix.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {agentFromModel, parseResponsesRequest} from '../gateway/http-routes/responses-request.js';

describe('agentFromModel', () => {
	test('accepts the agent target spellings and refuses backend model names', () => {
		assert.equal(agentFromModel(undefined), undefined);
		assert.equal(agentFromModel('openclaw'), undefined);
		assert.equal(agentFromModel('openclaw/default'), undefined);
		assert.equal(agentFromModel('openclaw/ops'), 'ops');
		assert.equal(agentFromModel('openclaw:ops'), 'ops');
		assert.equal(agentFromModel('agent:ops'), 'ops');
		assert.throws(() => agentFromModel('gpt-4o'), /x-openclaw-model/);
	});
});

describe('parseResponsesRequest', () => {
	test('a string input is the user message', () => {
		const parsed = parseResponsesRequest({input: 'hi', stream: true});
		assert.deepEqual(parsed, {
			agentId: undefined,
			model: 'openclaw',
			modelOverride: undefined,
			sessionKey: undefined,
			message: 'hi',
			history: [],
			systemPrompt: undefined,
			stream: true,
		});
	});

	test('items: system/developer join the instructions, earlier turns become history, others are skipped', () => {
		const parsed = parseResponsesRequest({
			instructions: 'rule one',
			input: [
				{role: 'developer', content: 'rule two'},
				{type: 'message', role: 'user', content: [{type: 'input_text', text: 'a'}, {type: 'input_image', image_url: 'x'}]},
				{type: 'function_call_output', call_id: 'c', output: '{}'},
				{role: 'assistant', content: 'b'},
				{role: 'user', content: 'c'},
			],
			user: 'u-1',
		});
		assert.equal(parsed.systemPrompt, 'rule one\n\nrule two');
		assert.deepEqual(parsed.history, [{role: 'user', content: 'a'}, {role: 'assistant', content: 'b'}]);
		assert.equal(parsed.message, 'c');
		assert.equal(parsed.sessionKey, 'openresponses-user:u-1');
	});

	test('headers pick the agent, backend model and session; reserved session prefixes are refused', () => {
		const parsed = parseResponsesRequest(
			{input: 'x', model: 'openclaw'},
			{'x-openclaw-agent-id': 'ops', 'x-openclaw-model': 'local/llama', 'x-openclaw-session-key': 'my-session'},
		);
		assert.equal(parsed.agentId, 'ops');
		assert.equal(parsed.modelOverride, 'local/llama');
		assert.equal(parsed.sessionKey, 'my-session');
		assert.throws(() => parseResponsesRequest({input: 'x'}, {'x-openclaw-session-key': 'cron:job'}), /reserved/);
	});

	test('refuses missing input, non-user last turn, bad roles and bad types', () => {
		assert.throws(() => parseResponsesRequest({}), /`input` is required/);
		assert.throws(() => parseResponsesRequest({input: '   '}), /non-empty user message/);
		assert.throws(() => parseResponsesRequest({input: [{role: 'assistant', content: 'x'}]}), /user message/);
		assert.throws(() => parseResponsesRequest({input: [{role: 'tool', content: 'x'}]}), /unsupported input message role/);
		assert.throws(() => parseResponsesRequest({input: 'x', model: 3}), /`model` must be a string/);
	});
});
