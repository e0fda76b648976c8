// The reload pipeline in-process (a GatewayServer from the test helpers, which builds the same services as the
// real process): file edits reach the running server, and what must not be applied is not.
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {authedSocket, startTestGateway, type RawSocket, type TestGateway} from './helpers/gateway.js';

let gw: TestGateway;
let socket: RawSocket;
let configPath: string;
before(async () => {
	gw = await startTestGateway();
	configPath = path.join(gw.stateDir, 'openclaw.json');
	socket = await authedSocket(gw.url, {scopes: ['operator.admin']});
});
after(async () => {
	socket.close();
	await gw.stop();
});

async function nextReload(write: () => Promise<void>): Promise<any> {
	const from = socket.frames.length;
	await write();
	const frame = await socket.frame((candidate) => socket.frames.indexOf(candidate) >= from && candidate.event === 'config.reload', 10_000);
	return frame.payload;
}

test('a config file created after start is picked up; hot parts reach the server (rate limit), restart parts wait in hot mode', async () => {
	const event = await nextReload(async () =>
		writeFile(configPath, `{gateway: {reload: {mode: 'hot'}, port: 1234, auth: {rateLimit: {maxAttempts: 2}}}}`),
	);
	assert.equal(event.result, 'pending');
	assert.deepEqual(event.pendingPaths, ['gateway.port']);
	assert.equal(gw.server.rateLimiter.settings.maxAttempts, 2, 'the hot change reached the running server');
	assert.equal(gw.server.config().config.gateway?.port, undefined, 'the pending change did not');
	assert.equal(gw.server.config().config.gateway?.reload?.mode, 'hot');
});

test('an empty file (an editor mid-write) is an error, not an empty config; the last good config stays', async () => {
	const event = await nextReload(async () => writeFile(configPath, ''));
	assert.equal(event.result, 'error');
	assert.match(event.error, /is empty; keeping the last good config/);
	assert.equal(gw.server.rateLimiter.settings.maxAttempts, 2);
	const health = (await socket.call('health')).payload.configReload;
	assert.match(health.configError, /is empty/);
	const back = await nextReload(async () =>
		writeFile(configPath, `{gateway: {reload: {mode: 'hot'}, port: 1234, auth: {rateLimit: {maxAttempts: 5}}}}`),
	);
	assert.equal(back.result, 'pending');
	assert.deepEqual(back.changedPaths, ['gateway.auth.rateLimit.maxAttempts', 'gateway.port']);
	assert.equal(gw.server.rateLimiter.settings.maxAttempts, 5);
	assert.equal((await socket.call('health')).payload.configReload.configError, undefined);
});

test('a comment-only edit changes nothing; pending changes stay pending', async () => {
	const event = await nextReload(async () =>
		writeFile(configPath, `// tidy\n{gateway: {reload: {mode: 'hot'}, port: 1234, auth: {rateLimit: {maxAttempts: 5}}}}`),
	);
	assert.equal(event.result, 'pending');
	assert.deepEqual(event.changedPaths, []);
	assert.deepEqual(event.pendingPaths, ['gateway.port']);
	assert.equal(gw.server.rateLimiter.settings.maxAttempts, 5);
});
