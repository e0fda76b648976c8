// `agent` and `chat.send` naming a session by `sessionId`, routed as OpenClaw 2026.9.6 routes them: an id alone
// finds the session that has it or opens `agent:<agent>:explicit:<id>`; a key always wins and the turn's session
// takes the id (`agent`) or keeps its own (`chat.send` on an existing session). In-process gateway, two agents.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {agentSessionTarget, checkSessionId} from '../gateway/sessions/session-id.js';
import {authedSocket, type RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';
import {loadedConfig} from './helpers/loaded-config.js';

const writer = {scopes: ['operator.read', 'operator.write']};

let gw: TestGateway;
let socket: RawSocket;

before(async () => {
	gw = await startTestGateway({config: loadedConfig({agents: {list: [{id: 'main'}, {id: 'ops'}]}})});
	socket = await authedSocket(gw.url, writer);
});

after(async () => {
	socket?.close();
	await gw?.stop();
});

let runs = 0;

/** `agent` to its final answer; returns the accepted frame (it names the session) or the refusal. */
async function agent(params: Record<string, unknown>): Promise<any> {
	const id = `sid-${++runs}`;
	socket.send({type: 'req', id, method: 'agent', params: {idempotencyKey: `sid-run-${runs}`, ...params}});
	const first = await socket.response(id, 10_000);
	if (first.ok) {
		const final = await socket.frame((frame) => frame.type === 'res' && frame.id === id && frame !== first, 10_000);
		assert.equal(final.payload?.status, 'ok', JSON.stringify(final));
	}

	return first;
}

async function rows(): Promise<Map<string, any>> {
	const list = await socket.call('sessions.list', {});
	assert.equal(list.ok, true, JSON.stringify(list));
	return new Map(list.payload.sessions.map((row: any) => [row.key, row]));
}

async function userTexts(sessionKey: string): Promise<string[]> {
	const history = await socket.call('chat.history', {sessionKey});
	return history.payload.messages.filter((message: any) => message.role === 'user').map((message: any) => message.content[0].text);
}

describe('agent with sessionId', () => {
	test('the same id twice lands in one session, agent:main:explicit:<id>, listed under that id and stored on disk', async () => {
		const first = await agent({message: 'first with id', sessionId: 'thread-a'});
		assert.equal(first.payload.sessionKey, 'agent:main:explicit:thread-a');
		const second = await agent({message: 'second with id', sessionId: 'thread-a'});
		assert.equal(second.payload.sessionKey, 'agent:main:explicit:thread-a');

		const row = (await rows()).get('agent:main:explicit:thread-a');
		assert.equal(row?.sessionId, 'thread-a');
		assert.equal(row?.messageCount, 4);
		assert.deepEqual(await userTexts('agent:main:explicit:thread-a'), ['first with id', 'second with id']);

		const dir = path.join(gw.stateDir, 'agents', 'main', 'sessions');
		const index = JSON.parse(await readFile(path.join(dir, 'sessions.json'), 'utf8'));
		assert.equal(index.sessions['agent:main:explicit:thread-a'].sessionId, 'thread-a');
		assert.match(await readFile(path.join(dir, 'thread-a.jsonl'), 'utf8'), /second with id/);
	});

	test('another id is another session; an id a session already has finds it, in any agent unless one is named', async () => {
		await agent({message: 'other thread', sessionId: 'thread-b'});
		assert.deepEqual(await userTexts('agent:main:explicit:thread-b'), ['other thread']);
		assert.deepEqual(await userTexts('agent:main:explicit:thread-a'), ['first with id', 'second with id']);

		await agent({message: 'ops work', agentId: 'ops', sessionKey: 'work'});
		const opsId = (await rows()).get('agent:ops:work')?.sessionId;
		assert.ok(opsId);
		const found = await agent({message: 'ops work again, by id', sessionId: opsId});
		assert.equal(found.payload.sessionKey, 'agent:ops:work');
		assert.equal(found.payload.agentId, 'ops');
		assert.deepEqual(await userTexts('agent:ops:work'), ['ops work', 'ops work again, by id']);

		// Named agent: only its own store is searched, so the id opens a session there.
		const scoped = await agent({message: 'main, same id', agentId: 'main', sessionId: opsId});
		assert.equal(scoped.payload.sessionKey, `agent:main:explicit:${opsId}`);
	});

	test('with a sessionKey the key wins: a new session takes the id, an existing one moves to it (fresh transcript)', async () => {
		const created = await agent({message: 'keyed new', sessionKey: 'keyed', sessionId: 'keyed-id-1'});
		assert.equal(created.payload.sessionKey, 'agent:main:keyed');
		await agent({message: 'keyed again', sessionKey: 'keyed', sessionId: 'keyed-id-1'});
		assert.equal((await rows()).get('agent:main:keyed')?.sessionId, 'keyed-id-1');
		assert.deepEqual(await userTexts('agent:main:keyed'), ['keyed new', 'keyed again']);

		await agent({message: 'keyed, other id', sessionKey: 'keyed', sessionId: 'keyed-id-2'});
		const row = (await rows()).get('agent:main:keyed');
		assert.equal(row?.sessionId, 'keyed-id-2');
		assert.deepEqual(await userTexts('agent:main:keyed'), ['keyed, other id']);
	});

	test('an agent-scoped `to` names the session when neither key nor id is given', async () => {
		const routed = await agent({message: 'to a key', to: 'agent:main:from-to'});
		assert.equal(routed.payload.sessionKey, 'agent:main:from-to');
	});

	test('refuses an id that is no safe file name, and an id another session has', async () => {
		const unsafe = await agent({message: 'x', sessionId: '../escape'});
		assert.equal(unsafe.ok, false);
		assert.equal(unsafe.error.code, 'INVALID_REQUEST');
		assert.match(unsafe.error.message, /invalid sessionId/);

		const taken = await agent({message: 'x', sessionKey: 'thief', sessionId: 'thread-a'});
		assert.equal(taken.ok, false);
		assert.match(taken.error.message, /already belongs to session agent:main:explicit:thread-a/);
		assert.equal((await rows()).has('agent:main:thief'), false);
	});
});

describe('chat.send with sessionId', () => {
	async function chat(params: Record<string, unknown>): Promise<void> {
		const runId = `sid-chat-${++runs}`;
		const sent = await socket.call('chat.send', {idempotencyKey: runId, ...params});
		assert.equal(sent.payload?.status, 'started', JSON.stringify(sent));
		await socket.frame((frame) => frame.type === 'event' && frame.event === 'chat' && frame.payload.runId === runId && frame.payload.state === 'final', 10_000);
	}

	test('a new session gets the id; an existing one keeps its own', async () => {
		await chat({sessionKey: 'chatty', sessionId: 'chat-id-1', message: 'hello chat'});
		assert.equal((await rows()).get('agent:main:chatty')?.sessionId, 'chat-id-1');
		await chat({sessionKey: 'chatty', sessionId: 'chat-id-2', message: 'still here'});
		assert.equal((await rows()).get('agent:main:chatty')?.sessionId, 'chat-id-1');
		assert.deepEqual(await userTexts('agent:main:chatty'), ['hello chat', 'still here']);
	});
});

describe('session routing (pure)', () => {
	test('an id found in several stores goes to the newest session; a named agent only sees its own', () => {
		const matches = [
			{agentId: 'main', key: 'agent:main:explicit:x', updatedAt: 1},
			{agentId: 'ops', key: 'agent:ops:work', updatedAt: 2},
		];
		assert.equal(agentSessionTarget({agentId: 'main', agentIdGiven: false, sessionId: 'x'}, matches).sessionKey, 'agent:ops:work');
		assert.equal(agentSessionTarget({agentId: 'main', agentIdGiven: true, sessionId: 'x'}, matches).sessionKey, 'agent:main:explicit:x');
		assert.equal(agentSessionTarget({agentId: 'main', agentIdGiven: false, sessionId: 'x', to: 'agent:ops:elsewhere'}, []).sessionKey, 'agent:main:explicit:x');
	});

	test('an id is 1 to 128 letters, digits, . _ - starting with a letter or digit; blank means none', () => {
		assert.equal(checkSessionId('  ok-1.x_y  '), 'ok-1.x_y');
		assert.equal(checkSessionId('   '), undefined);
		assert.equal(checkSessionId('a'.repeat(128)), 'a'.repeat(128));
		for (const bad of ['a'.repeat(129), '.hidden', 'a/b', 'a b', 'e\u0301']) {
			assert.throws(() => checkSessionId(bad), /invalid sessionId/, bad);
		}
	});
});
