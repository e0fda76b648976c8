// agent.wait's view of a run that delivers its answer to a channel peer: as in OpenClaw, the run is over only once
// the delivery is, and a delivery that fails (not best effort) fails the run. The delivery here is a promise the test
// settles, so the wait is caught while the run has ended and its answer is still on its way.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {AgentService} from '../gateway/agents/service.js';
import type {RunOutcome} from '../gateway/agents/run.js';
import {Logger} from '../gateway/logger.js';

test('waitForRun waits out the delivery of a finished run, then the run carries the delivery\'s error', async () => {
	const service = new AgentService(new Logger({level: 'error', sinks: []}));
	const {run} = service.runner.start({runId: 'r-delivering', message: 'hello', agentId: 'main', sessionKey: 'agent:main:main'});
	let failDelivery!: (error: Error) => void;
	run.trackDelivery(new Promise<RunOutcome>((_resolve, reject) => {
		failDelivery = reject;
	}));
	await run.done;

	const early = await service.waitForRun('r-delivering', 100);
	assert.equal(early, undefined, 'a run whose answer is still on its way has not ended for agent.wait');

	const waiting = service.waitForRun('r-delivering', 5000);
	failDelivery(new Error('Telegram said no'));
	const ended = await waiting;
	assert.equal(ended?.deliveryError, 'Telegram said no');
});
