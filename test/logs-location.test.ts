// Where logging.file may point: a file named in the log directory fixed at start-up, and nowhere else.
import assert from 'node:assert/strict';
import {mkdirSync, symlinkSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {chooseLogFile, logLocationIssues, resolveLogDir} from '../source/protocol/logs/location.js';
import {tempDir} from './helpers/gateway.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

const logDir = '/srv/state/logs';

test('the log directory: OPENCLAW_LOG_DIR if set, else <stateDir>/logs', () => {
	assert.equal(resolveLogDir('/srv/state', {}), logDir);
	assert.equal(resolveLogDir('/srv/state', {OPENCLAW_LOG_DIR: '/var/log/openclaw'}), '/var/log/openclaw');
	assert.equal(resolveLogDir('/srv/state', {OPENCLAW_LOG_DIR: '  '}), logDir);
});

test('unset, a bare name, or an absolute path in the directory: a file in the log directory', () => {
	assert.deepEqual(chooseLogFile(logDir, undefined), {ok: true, file: `${logDir}/gateway.log`});
	assert.deepEqual(chooseLogFile(logDir, 'mine.log'), {ok: true, file: `${logDir}/mine.log`});
	assert.deepEqual(chooseLogFile(logDir, `${logDir}/openclaw-2026-01-01.log`), {ok: true, file: `${logDir}/openclaw-2026-01-01.log`});
	assert.deepEqual(chooseLogFile(logDir, `${logDir}/sub/../x.log`), {ok: true, file: `${logDir}/x.log`});
});

test('anywhere else is refused, naming the key, the directory and how to move it', () => {
	for (const value of ['/home/u/.bashrc', '../openclaw.json', '../../.ssh/id_ed25519', `${logDir}/../gateway.log`, 'sub/x.log', '~/.bashrc', '/tmp/openclaw/openclaw.log']) {
		const choice = chooseLogFile(logDir, value);
		assert.equal(choice.ok, false, value);
		assert.match((choice as {error: string}).error, /^logging\.file: .* is outside the log directory; use a file name ending in \.log .* in the log directory \/srv\/state\/logs .*OPENCLAW_LOG_DIR/, value);
	}
});

test('a name in the directory that is not a log file name (token, config, offset record, archive) is refused', () => {
	for (const value of ['gateway.token', 'openclaw.json', 'gateway.log.offset', 'gateway.log.owned', 'gateway.log.123', '.hidden.log', 'a b.log']) {
		const choice = chooseLogFile(logDir, value);
		assert.equal(choice.ok, false, value);
		assert.match((choice as {error: string}).error, /^logging\.file: .* is not a log file name/, value);
	}

	assert.deepEqual(logLocationIssues({logging: {file: 'gateway.token'}}, logDir).length, 1);
	assert.deepEqual(logLocationIssues({logging: {level: 'info'}}, logDir), []);
});

test('a path through a symlink to the log directory is the log directory; the file is named through the directory itself', async () => {
	const {dir, cleanup} = await tempDir('openclaw-location-');
	cleanups.push(cleanup);
	const real = path.join(dir, 'logs');
	mkdirSync(real);
	symlinkSync(real, path.join(dir, 'alias'));
	assert.deepEqual(chooseLogFile(real, path.join(dir, 'alias', 'a.log')), {ok: true, file: path.join(real, 'a.log')});
	assert.equal(chooseLogFile(real, path.join(dir, 'a.log')).ok, false);
});
