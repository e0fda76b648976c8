// Where OpenClaw's own gateway writes its log (so doctor can read it): logging.file, rolling by date when it is
// shaped like OpenClaw's default name, else /tmp/openclaw/openclaw[-<profile>]-<date>.log with OpenClaw's profile
// encoding, or its per-user fallback under the temp dir.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {openClawLogFiles, openClawProfileSegment} from '../source/protocol/logs/openclaw-log-file.js';

const now = new Date(2026, 8, 6, 10, 0);
const base = {env: {OPENCLAW_HOME: '/home/op'}, now, tmpdir: '/var/tmp', uid: 1000};

test('the default: /tmp/openclaw, today then yesterday, then the per-user fallback', () => {
	assert.deepEqual(openClawLogFiles(base), [
		'/tmp/openclaw/openclaw-2026-09-06.log',
		'/tmp/openclaw/openclaw-2026-09-05.log',
		'/var/tmp/openclaw-1000/openclaw-2026-09-06.log',
		'/var/tmp/openclaw-1000/openclaw-2026-09-05.log',
	]);
	assert.equal(openClawLogFiles({...base, profile: 'default'})[0], '/tmp/openclaw/openclaw-2026-09-06.log');
});

test("a profile's file carries OpenClaw's encoding of its name", () => {
	assert.equal(openClawLogFiles({...base, profile: 'work'})[0], '/tmp/openclaw/openclaw-work-2026-09-06.log');
	assert.equal(openClawProfileSegment('my-Work_2'), 'my---1work-02');
	assert.equal(openClawProfileSegment(undefined), undefined);
});

test('logging.file: as written (~ expanded), or rolling by date when it has the default shape', () => {
	assert.deepEqual(openClawLogFiles({...base, configured: '~/logs/gw.log'}), ['/home/op/logs/gw.log']);
	assert.deepEqual(openClawLogFiles({...base, configured: '/srv/log/openclaw-work-2020-01-01.log'}), ['/srv/log/openclaw-work-2026-09-06.log', '/srv/log/openclaw-work-2026-09-05.log']);
	assert.deepEqual(openClawLogFiles({...base, configured: '/srv/log/openclaw-YYYY-MM-DD.log'})[0], '/srv/log/openclaw-2026-09-06.log');
});
