// A seeded slice of bench/fuzz.ts (100,000 inputs there; 3,000 here): generated frames before and after auth, HTTP
// requests on every route, forged, replayed and signed requests on the channel webhook routes, config writes and
// logs.tail parameters against a real gateway process. The invariants are the bench's: the gateway never exits or
// logs an unhandled error, a bystander keeps getting health answers, RSS stays bounded, the config file stays valid
// JSON5, every log line is whole JSON, no forged or replayed channel request reaches an agent and no log line holds a
// channel secret or a refused body. FUZZ_SEED=S replays a run.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {channelAuths, channelRoutes} from '../bench/lib/fuzz-channels.js';
import {runFuzz} from '../bench/lib/fuzz-run.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

test(`3,000 generated inputs against a real gateway break no invariant (FUZZ_SEED=${seed})`, {timeout: 120_000}, async () => {
	const report = await runFuzz({seed, count: 3000, timeBudgetMs: 90_000, maxRssMiB: 400});
	const counterexamples = report.violations.map((violation) => `#${violation.index}: ${violation.what}\n  last inputs: ${JSON.stringify(violation.recent).slice(0, 2000)}`);
	assert.deepEqual(counterexamples, [], `FUZZ_SEED=${seed}`);
	assert.equal(report.inputs, 3000, 'every input was sent within the time budget');
	assert.ok(report.bystander.answers > 0, 'the bystander got answers');
	assert.ok(report.logLines > 0, 'log lines were checked');
	assert.ok(Object.keys(report.byKind).length >= 6, `all kinds of input were sent: ${JSON.stringify(report.byKind)}`);
	// The slice covers every channel route with every kind of signing, and signed messages reached agents (made
	// sessions): without that, "no session for a forged request" would hold for want of a route, not by refusal.
	const sentKinds = Object.keys(report.channels.sent);
	for (const route of channelRoutes) {
		for (const auth of channelAuths) {
			assert.ok(sentKinds.includes(`${route} ${auth}`), `no ${auth} request on the ${route} route: ${JSON.stringify(report.channels.sent)}`);
		}
	}

	assert.ok(report.channels.signedSessions > 0, 'signed channel messages made sessions');
	assert.equal(report.channels.refused, report.channels.forged, 'every forged channel request was refused');
});
