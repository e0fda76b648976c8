// The process-wide logging set-up: level precedence and hot reload of logging.* and of the secrets to mask.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, test} from 'node:test';
import {applyLoggingConfig, createGatewayLogging} from '../gateway/logs/runtime.js';
import {tempDir} from './helpers/gateway.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async (cleanup) => cleanup()));
});

async function stateDir(): Promise<string> {
	const {dir, cleanup} = await tempDir('openclaw-logging-');
	cleanups.push(cleanup);
	return dir;
}

test('level: --verbose > OPENCLAW_LOG_LEVEL > logging.level > info; a hot reload keeps the overrides', async () => {
	const dir = await stateDir();
	const plain = createGatewayLogging({stateDir: dir, config: {logging: {level: 'warn'}}});
	assert.equal(plain.logger.level, 'warn');
	applyLoggingConfig(plain, {logging: {level: 'debug'}});
	assert.equal(plain.logger.level, 'debug');
	const env = createGatewayLogging({stateDir: dir, config: {logging: {level: 'warn'}}, envLevel: 'TRACE'});
	assert.equal(env.logger.level, 'trace');
	applyLoggingConfig(env, {logging: {level: 'error'}});
	assert.equal(env.logger.level, 'trace');
	assert.equal(createGatewayLogging({stateDir: dir, config: {}, envLevel: 'loud'}).logger.level, 'info', 'an invalid value is ignored');
	for (const logging of [plain, env]) {
		logging.writer.close();
	}
});

test('lines are JSON with time, level, subsystem, message, fields and _meta; config secrets are masked, also after a reload', async () => {
	const dir = await stateDir();
	const logging = createGatewayLogging({stateDir: dir, config: {channels: {telegram: {botToken: 'first-bot-secret'}}}});
	const log = logging.logger.child('gateway/test');
	log.info('using first-bot-secret', {port: 1});
	applyLoggingConfig(logging, {channels: {telegram: {botToken: 'second-bot-secret'}}});
	log.warn('using second-bot-secret');
	log.debug('not written at info');
	const lines = readFileSync(logging.writer.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
	assert.equal(lines.length, 2);
	assert.deepEqual(Object.keys(lines[0]), ['time', 'level', 'subsystem', 'message', 'fields', '_meta']);
	assert.equal(lines[0].message, 'using ***');
	assert.equal(lines[0].subsystem, 'gateway/test');
	assert.deepEqual(lines[0]._meta, {logLevelName: 'INFO', name: '{"subsystem":"gateway/test"}'});
	assert.equal(lines[1].message, 'using ***');
	applyLoggingConfig(logging, {channels: {telegram: {botToken: 'second-bot-secret'}}, logging: {maxFileBytes: 100}});
	log.info('x'.repeat(150));
	assert.equal(logging.writer.status().rotations, 1, 'logging.maxFileBytes applied without a restart');
	logging.writer.close();
});
