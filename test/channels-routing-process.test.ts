// Routing in the real gateway process (the bundled dist/): a Telegram conversation through the loopback fake goes on
// across a full stop and start of the process, in the same session, with nothing answered twice.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, freePort} from './helpers/gateway.js';
import {waitForProcess as waitFor} from './helpers/routing.js';

let apis: FakeChannelApis;
let instance: Instance;
let gateway: GatewayProcess | undefined;

before(async () => {
	apis = await startFakeChannelApis();
	const port = await freePort();
	const token = `token-${Date.now()}`;
	instance = await makeInstance({
		port,
		token,
		config: {
			gateway: {mode: 'local', port, auth: {mode: 'token', token}},
			channels: {telegram: {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, dmPolicy: 'allowlist', allowFrom: [4242]}},
		},
	});
});

after(async () => {
	await gateway?.stop();
	await apis?.close();
	await instance?.cleanup();
});

test('a Telegram conversation survives a gateway restart: same session, every message answered once', {timeout: 90_000}, async () => {
	gateway = await startGatewayProcess(instance);
	apis.telegram.pushMessage(4242, 'first message');
	await waitFor('the first reply', () => apis.telegram.sent.find((message) => message.text === 'first message'));
	await gateway.stop();

	apis.telegram.pushMessage(4242, 'sent while the gateway was down');
	gateway = await startGatewayProcess(instance);
	await waitFor('the second reply', () => apis.telegram.sent.find((message) => message.text === 'sent while the gateway was down'));
	await new Promise((resolve) => setTimeout(resolve, 500));
	assert.deepEqual(
		apis.telegram.sent.map((message) => message.text),
		['first message', 'sent while the gateway was down'],
	);

	const socket = await authedSocket(`ws://127.0.0.1:${instance.port}`, {scopes: ['operator.admin'], auth: {token: instance.token}});
	try {
		const history = await socket.call('chat.history', {sessionKey: 'agent:main:telegram:direct:4242'});
		assert.equal(history.ok, true, JSON.stringify(history.error));
		assert.equal(history.payload.messages.length, 4);
		const list = await socket.call('sessions.list', {});
		assert.ok(list.payload.sessions.some((row: any) => row.key === 'agent:main:telegram:direct:4242'));
	} finally {
		socket.close();
	}
});
