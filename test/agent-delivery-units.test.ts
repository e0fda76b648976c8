// How an `agent` request's channel fields are read (channels/agent-delivery.ts), as OpenClaw 2026.9.6 reads them:
// which peer's session a turn lands in, where `deliver` sends the answer, what a delivery that cannot be planned says.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {chatSendDeliveryTarget, isBestEffort, notConfiguredMessage, planAgentDelivery} from '../gateway/channels/agent-delivery.js';
import {replyText} from '../gateway/channels/reply-text.js';
import type {RunOutcome} from '../gateway/agents/run.js';

describe('planAgentDelivery', () => {
	test('channel + a peer to, no session named: the turn is the peer\'s; the target may carry the channel or user: prefix', () => {
		for (const to of ['4242', 'telegram:4242', 'TELEGRAM:user:4242', ' dm:4242 ']) {
			assert.deepEqual(planAgentDelivery({channel: 'Telegram', to}), {recipient: {channel: 'telegram', peerId: '4242'}}, to);
		}
	});

	test('a named session, an agent session key as to, or a channel this gateway has not: no peer session', () => {
		assert.deepEqual(planAgentDelivery({channel: 'telegram', to: '4242', sessionKey: 'work'}), {});
		assert.deepEqual(planAgentDelivery({channel: 'telegram', to: '4242', sessionId: 'abc'}), {});
		assert.deepEqual(planAgentDelivery({channel: 'telegram', to: 'agent:main:work'}), {});
		assert.deepEqual(planAgentDelivery({channel: 'whatsapp', to: '+15550001'}), {});
	});

	test('deliver: replyChannel/replyTo win over channel/to', () => {
		assert.deepEqual(planAgentDelivery({deliver: true, channel: 'telegram', to: '4242', replyChannel: 'slack', replyTo: 'U42'}).delivery, {channel: 'slack', to: 'U42'});
		assert.deepEqual(planAgentDelivery({deliver: true, channel: 'slack', to: 'U42', sessionKey: 'main'}).delivery, {channel: 'slack', to: 'U42'});
	});

	test('deliver without a channel, with an unknown one, or without a target: the problem, in OpenClaw\'s reason words', () => {
		const problem = (params: Parameters<typeof planAgentDelivery>[0]) => {
			const delivery = planAgentDelivery({deliver: true, ...params}).delivery;
			return delivery && 'problem' in delivery ? delivery.problem : undefined;
		};

		assert.equal(problem({to: '4242'})?.reason, 'channel_resolved_to_internal');
		assert.match(problem({channel: 'last', to: '4242'})!.message, /^delivery channel is required: pass --channel/);
		assert.equal(problem({channel: 'pigeon', to: '4242'})?.reason, 'unknown_channel');
		assert.match(problem({channel: 'pigeon', to: '4242'})!.message, /unsupported delivery channel "pigeon": pass --channel telegram, discord, slack or webhook/);
		assert.equal(problem({channel: 'telegram'})?.reason, 'no_delivery_target');
		assert.match(problem({channel: 'telegram'})!.message, /^delivery target is required for telegram: pass --to/);
	});

	test('an account other than default is refused with the fix', () => {
		assert.throws(() => planAgentDelivery({channel: 'telegram', to: '4242', accountId: 'work'}), /unknown channel account "work".*"default"/);
		assert.doesNotThrow(() => planAgentDelivery({channel: 'telegram', to: '4242', accountId: 'Default'}));
	});
});

test('best effort: as asked, else only for the agent\'s main session', () => {
	assert.equal(isBestEffort(undefined, 'agent:main:main', 'main'), true);
	assert.equal(isBestEffort(undefined, 'agent:main:telegram:direct:4242', 'main'), false);
	assert.equal(isBestEffort(false, 'agent:main:main', 'main'), false);
	assert.equal(isBestEffort(true, 'agent:main:telegram:direct:4242', 'main'), true);
});

test('a channel with no bot token says so as OpenClaw does, with our setting as the fix', () => {
	assert.equal(notConfiguredMessage('Telegram', 'channels.telegram.botToken'), 'Telegram bot token missing for account "default" (set channels.telegram.botToken)');
	assert.equal(notConfiguredMessage('Webhook', 'channels.webhook.url'), 'Webhook is not configured for account "default" (set channels.webhook.url)');
});

test('replyText: nothing for a failed or silent run; a stopped run\'s part is marked as cut', () => {
	const outcome = (status: RunOutcome['status'], text: string, aborted = false): RunOutcome => ({
		runId: 'r',
		status,
		summary: 'completed',
		result: {payloads: [{text}], meta: {durationMs: 1, model: 'echo', stopReason: aborted ? 'shutdown' : 'stop', aborted}},
	});
	assert.equal(replyText(outcome('ok', ' hi ')), 'hi');
	assert.equal(replyText(outcome('error', 'hi')), undefined);
	assert.equal(replyText(outcome('ok', '  ')), undefined);
	assert.equal(replyText(outcome('ok', 'part', true)), 'part\n\n(cut short: the gateway was stopping)');
	assert.equal(replyText(outcome('ok', 'x'.repeat(5000)))!.length, 4000);
});

describe('chatSendDeliveryTarget (chat.send with deliver)', () => {
	const route = (sessionKey: string, extra: Record<string, unknown> = {}) => chatSendDeliveryTarget({deliver: true, sessionKey, fromWebchat: false, ...extra});

	test('a session of one conversation on a channel is routed to its peer, with or without an account part', () => {
		assert.deepEqual(route('agent:main:telegram:direct:4242'), {channel: 'telegram', to: '4242'});
		assert.deepEqual(route('agent:main:telegram:default:direct:4242'), {channel: 'telegram', to: '4242'});
		assert.deepEqual(route('agent:ops:discord:group:777'), {channel: 'discord', to: '777'});
		// The key keeps Slack's ids lower-cased; Slack takes them in upper case only.
		assert.deepEqual(route('agent:main:slack:direct:u42'), {channel: 'slack', to: 'U42'});
	});

	test('no deliver, a webchat caller, or a session that names no channel conversation: no route', () => {
		assert.equal(chatSendDeliveryTarget({sessionKey: 'agent:main:telegram:direct:4242', fromWebchat: false}), undefined);
		assert.equal(route('agent:main:telegram:direct:4242', {fromWebchat: true}), undefined);
		for (const key of ['agent:main:main', 'agent:main:direct:4242', 'agent:main:cron:job-1', 'agent:main:whatsapp:direct:1', 'agent:main:telegram:4242']) {
			assert.equal(route(key), undefined, key);
		}
	});

	test('an explicit originating route wins, even for a webchat caller; one to webchat keeps the answer here', () => {
		assert.deepEqual(route('agent:main:main', {originatingChannel: 'telegram', originatingTo: 'telegram:99', fromWebchat: true}), {channel: 'telegram', to: '99'});
		assert.equal(route('agent:main:telegram:direct:4242', {originatingChannel: 'webchat', originatingTo: 'agent:main:main'}), undefined);
	});
});
