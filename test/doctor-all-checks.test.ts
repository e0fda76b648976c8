// doctor --all's checks on profile facts, without a host: the fix for each shared value is a command the operator
// can run as written, whichever way the sharing came about.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {checkConfigPaths, checkStateDirs, type ProfileFacts} from '../source/commands/doctor-all-checks.js';

function facts(name: string, stateDir: string, options: {real?: string; command?: string} = {}): ProfileFacts {
	const real = options.real ?? stateDir;
	return {
		name,
		command: options.command ?? `openclaw --profile ${name}`,
		stateDir,
		stateDirReal: real,
		configPath: `${stateDir}/openclaw.json`,
		configPathReal: `${real}/openclaw.json`,
		configExists: true,
		port: 18_789,
		portSource: `${stateDir}/openclaw.json`,
		workspaces: [{agentId: 'main', dir: `${stateDir}/workspace`, source: 'state-dir', real: `${real}/workspace`}],
	};
}

describe('doctor --all: a shared state dir', () => {
	test('spelled the same by both (no link to remove): the env-selected one moves, with the exact command', () => {
		const [check] = checkStateDirs([facts('a', '/srv/oc'), facts('b', '/srv/oc', {command: 'OPENCLAW_STATE_DIR=/srv/oc openclaw'})]);
		assert.equal(check.verdict, 'fail');
		assert.deepEqual(check.profiles, ['a', 'b']);
		assert.equal(check.fix, 'give profile b its own state dir: OPENCLAW_STATE_DIR=/srv/oc-b openclaw setup, then run profile b with OPENCLAW_STATE_DIR=/srv/oc-b');
	});

	test('a linked state dir: remove the link, then setup', () => {
		const [check] = checkStateDirs([facts('a', '/home/op/.openclaw-a'), facts('b', '/home/op/.openclaw-b', {real: '/home/op/.openclaw-a'})]);
		assert.equal(check.fix, 'give profile b its own state dir: rm /home/op/.openclaw-b (a link to /home/op/.openclaw-a), then openclaw --profile b setup');
	});

	test("the config they then share says so, with the state dir's command rather than OPENCLAW_CONFIG_PATH", () => {
		const [check] = checkConfigPaths([facts('a', '/home/op/.openclaw-a'), facts('b', '/home/op/.openclaw-b', {real: '/home/op/.openclaw-a'})]);
		assert.equal(check.id, 'config-path');
		assert.equal(check.verdict, 'fail');
		assert.deepEqual(check.profiles, ['a', 'b']);
		assert.equal(check.value, '/home/op/.openclaw-a/openclaw.json');
		assert.equal(check.fix, 'it is the config of their shared state dir: give profile b its own state dir: rm /home/op/.openclaw-b (a link to /home/op/.openclaw-a), then openclaw --profile b setup');
	});
});
