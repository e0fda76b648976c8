// Where OpenClaw's own gateway writes its log (so doctor can read it): logging.file, rolling by date when it is
// shaped like OpenClaw's default name, else /tmp/openclaw/openclaw[-<profile>]-<date>.log with OpenClaw's profile
// encoding, or its per-user fallback under the temp dir. doctor reads whichever of ours and OpenClaw's was written last.
import assert from 'node:assert/strict';
import {mkdir, mkdtemp, rm, utimes, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {doctorLog} from '../source/commands/logs-local.js';
import type {GatewayTarget} from '../source/config/target-rules.js';
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

test('a state dir chosen by OPENCLAW_STATE_DIR: only a configured logging.file is its own (the default file is every such instance\'s)', () => {
	assert.deepEqual(openClawLogFiles({...base, stateDirFromEnv: true}), []);
	assert.deepEqual(openClawLogFiles({...base, stateDirFromEnv: true, configured: '/srv/log/gw.log'}), ['/srv/log/gw.log']);
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

test("doctor reads OpenClaw's log when it was written after ours, and ours when it is the newer", async () => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-doctor-log-'));
	try {
		const stateDir = path.join(dir, 'state');
		const theirs = path.join(dir, 'openclaw-logs', 'gw.log');
		const ours = path.join(stateDir, 'logs', 'gateway.log');
		await mkdir(path.dirname(theirs), {recursive: true});
		await mkdir(path.dirname(ours), {recursive: true});
		const refused = JSON.stringify({0: '{"subsystem":"gateway/ws"}', 1: 'unauthorized conn=1 reason=token_mismatch guidance=unauthorized: gateway token mismatch', message: 'unauthorized conn=1'});
		await writeFile(theirs, `${'x'.repeat(100)}\n{"message":"gateway ready"}\n${refused}\n`);
		await writeFile(ours, '');
		const target = {url: 'ws://127.0.0.1:1', urlSource: 'local', paths: {stateDir, configPath: path.join(stateDir, 'openclaw.json')}, config: {config: {logging: {file: theirs}}}} as unknown as GatewayTarget;
		const limits = {limit: 10, maxBytes: 80 + refused.length};

		await utimes(ours, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
		const newest = await doctorLog(target, {}, limits);
		assert.equal(newest?.writer, 'openclaw');
		assert.equal(newest?.file, theirs);
		assert.deepEqual(newest?.lines, ['{"message":"gateway ready"}', refused], 'whole lines only: the cut first one is dropped');

		await utimes(theirs, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
		assert.deepEqual(await doctorLog(target, {}, limits).then((log) => [log?.writer, log?.file]), ['ours', ours]);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});
