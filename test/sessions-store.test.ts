// The session store on its own: turns recorded and read back, nothing lost on reopen, a torn write (index or
// transcript) never a lost session, and the bounds on sessions and messages.
import assert from 'node:assert/strict';
import {appendFile, readdir, readFile, rm, truncate, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, test} from 'node:test';
import {canonicalSessionKey, parseAgentSessionKey} from '../gateway/sessions/keys.js';
import {newest} from '../gateway/sessions/service.js';
import {SessionStore, type SessionEntry} from '../gateway/sessions/store.js';
import {messageText} from '../gateway/sessions/transcript.js';
import {tempDir} from './helpers/gateway.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
	({dir, cleanup} = await tempDir('openclaw-sessions-'));
});

afterEach(async () => {
	await cleanup();
});

async function turn(store: SessionStore, key: string, runId: string, text: string, reply = text) {
	await store.startTurn(key, {runId, text});
	return store.endTurn(key, {runId, text: reply, status: 'done', stopReason: 'stop', model: 'echo'});
}

describe('session keys', () => {
	test('short forms are scoped to the agent; agent keys stay as they are', () => {
		assert.equal(canonicalSessionKey(undefined, 'main'), 'agent:main:main');
		assert.equal(canonicalSessionKey('main', 'main'), 'agent:main:main');
		assert.equal(canonicalSessionKey('work', 'ops'), 'agent:ops:work');
		assert.equal(canonicalSessionKey('agent:ops:telegram:direct:42', 'main'), 'agent:ops:telegram:direct:42');
		assert.deepEqual(parseAgentSessionKey('agent:ops:main'), {agentId: 'ops', rest: 'main'});
	});
});

describe('newest (the recent sessions in health, without sorting them all)', () => {
	test('picks what the stable newest-first sort would put first, ties in insertion order', () => {
		// Every small case: times 0..3 over up to 7 sessions, every limit up to 8.
		for (let count = 0; count <= 7; count++) {
			for (let code = 0; code < 4 ** count; code++) {
				const entries = Array.from({length: count}, (_, index) => ({key: String(index), updatedAt: Math.floor(code / 4 ** index) % 4}) as SessionEntry);
				for (let limit = 0; limit <= 8; limit++) {
					const sorted = [...entries].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
					assert.deepEqual(newest(entries, limit), sorted);
				}
			}
		}
	});

	test('steps aside (undefined) when a time is not a number, so the caller sorts as before', () => {
		assert.equal(newest([{key: 'a', updatedAt: Number.NaN} as SessionEntry], 5), undefined);
	});
});

describe('SessionStore', () => {
	test('a turn that names a session id: a new session is created under it, an existing one moved to it; both survive a reopen', async () => {
		const store = await SessionStore.open(dir, 'main');
		await store.startTurn('agent:main:a', {runId: 'id-1', text: 'new under id-a', sessionId: {id: 'id-a', ifDifferent: 'rotate'}});
		await store.startTurn('agent:main:b', {runId: 'id-2', text: 'b first'});
		await store.startTurn('agent:main:b', {runId: 'id-3', text: 'b moved', sessionId: {id: 'id-b', ifDifferent: 'rotate'}});
		await store.startTurn('agent:main:b', {runId: 'id-4', text: 'b kept', sessionId: {id: 'id-other', ifDifferent: 'keep'}});
		await assert.rejects(store.startTurn('agent:main:c', {runId: 'id-5', text: 'c', sessionId: {id: 'id-a', ifDifferent: 'rotate'}}), /already belongs to session agent:main:a/);

		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.get('agent:main:a')?.sessionId, 'id-a');
		assert.equal(reopened.get('agent:main:b')?.sessionId, 'id-b');
		assert.equal(reopened.bySessionId('id-b')?.key, 'agent:main:b');
		assert.deepEqual((await reopened.messages('agent:main:b')).map(messageText), ['b moved', 'b kept']);
		assert.equal(reopened.get('agent:main:c'), undefined);
		assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort(), ['id-a.jsonl', 'id-b.jsonl']);
	});

	test('records turns (role, text, timestamps, runId) and reads them back after a reopen', async () => {
		const store = await SessionStore.open(dir, 'main');
		await turn(store, 'agent:main:main', 'run-1', 'first question', 'first answer');
		const entry = await turn(store, 'agent:main:main', 'run-2', 'second question', 'second answer');
		assert.equal(entry?.messageCount, 4);
		assert.equal(entry?.lastRunId, 'run-2');
		assert.equal(entry?.status, 'done');

		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.count, 1);
		const messages = await reopened.messages('agent:main:main');
		assert.deepEqual(messages.map((message) => [message.role, messageText(message)]), [
			['user', 'first question'],
			['assistant', 'first answer'],
			['user', 'second question'],
			['assistant', 'second answer'],
		]);
		assert.equal(messages[1].__openclaw.runId, 'run-1');
		assert.equal(messages[2].__openclaw.idempotencyKey, 'run-2:user');
		assert.deepEqual(messages.map((message) => message.__openclaw.seq), [1, 2, 3, 4]);
		assert.ok(messages.every((message) => typeof message.timestamp === 'number'));
		assert.equal(messages[1].model, 'echo');
	});

	test('a torn index file is rebuilt from the transcripts: no session lost', async () => {
		const store = await SessionStore.open(dir, 'main');
		await turn(store, 'agent:main:main', 'run-1', 'hello');
		await turn(store, 'agent:main:work', 'run-2', 'other');
		const index = path.join(dir, 'sessions.json');
		const text = await readFile(index, 'utf8');
		await writeFile(index, text.slice(0, Math.floor(text.length / 2)));

		const reopened = await SessionStore.open(dir, 'main');
		assert.deepEqual(reopened.list().map((entry) => entry.key).sort(), ['agent:main:main', 'agent:main:work']);
		assert.equal(reopened.get('agent:main:main')?.messageCount, 2);
		assert.equal(reopened.get('agent:main:work')?.lastRunId, 'run-2');
		JSON.parse(await readFile(index, 'utf8'));
	});

	test('a transcript line torn by a crash is skipped; the turns before it stay, later turns append cleanly', async () => {
		const store = await SessionStore.open(dir, 'main');
		const entry = await turn(store, 'agent:main:main', 'run-1', 'kept');
		const file = path.join(dir, `${entry!.sessionId}.jsonl`);
		await appendFile(file, '{"type":"message","message":{"role":"user","content":[{"type":"te');

		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.get('agent:main:main')?.messageCount, 2);
		await turn(reopened, 'agent:main:main', 'run-2', 'after the crash');
		const again = await SessionStore.open(dir, 'main');
		assert.deepEqual((await again.messages('agent:main:main')).map((message) => messageText(message)), ['kept', 'kept', 'after the crash', 'after the crash']);
	});

	test('a crash between the transcript write and the index write: the session comes back, marked interrupted', async () => {
		const store = await SessionStore.open(dir, 'main');
		await turn(store, 'agent:main:main', 'run-1', 'indexed');
		const index = path.join(dir, 'sessions.json');
		const before = await readFile(index, 'utf8');
		await store.startTurn('agent:main:new', {runId: 'run-2', text: 'only in the transcript'});
		await writeFile(index, before);

		const reopened = await SessionStore.open(dir, 'main');
		const recovered = reopened.get('agent:main:new');
		assert.ok(recovered, 'the session the index missed is recovered');
		assert.equal(recovered.messageCount, 1);
		assert.equal(recovered.status, 'killed');
		assert.equal(recovered.abortedLastRun, true);
	});

	test('an index written before a turn ended is brought up to date from the transcript', async () => {
		const store = await SessionStore.open(dir, 'main');
		await turn(store, 'agent:main:main', 'run-1', 'one');
		const index = path.join(dir, 'sessions.json');
		const before = await readFile(index, 'utf8');
		await turn(store, 'agent:main:main', 'run-2', 'two');
		await writeFile(index, before);

		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.get('agent:main:main')?.messageCount, 4);
		assert.equal(reopened.get('agent:main:main')?.lastRunId, 'run-2');
	});

	test('bounded: past maxSessions the least recently updated idle session is evicted with its transcript', async () => {
		const store = await SessionStore.open(dir, 'main', {limits: {maxSessions: 2}, busy: (key) => key === 'agent:main:a'});
		await turn(store, 'agent:main:a', 'r1', 'a');
		await turn(store, 'agent:main:b', 'r2', 'b');
		await turn(store, 'agent:main:c', 'r3', 'c');
		assert.deepEqual(store.list().map((entry) => entry.key).sort(), ['agent:main:a', 'agent:main:c']);
		assert.equal((await readdir(dir)).filter((name) => name.endsWith('.jsonl')).length, 2);
	});

	test('bounded: past maxMessagesPerSession the transcript keeps the newest three quarters', async () => {
		const store = await SessionStore.open(dir, 'main', {limits: {maxMessagesPerSession: 8}});
		for (let index = 1; index <= 5; index++) {
			await turn(store, 'agent:main:main', `r${index}`, `m${index}`);
		}

		const messages = await store.messages('agent:main:main');
		assert.ok(messages.length <= 8, `${messages.length} messages kept`);
		assert.equal(messageText(messages.at(-1)!), 'm5');
		assert.equal(store.get('agent:main:main')?.messageCount, messages.length);
		assert.equal(messages.at(-1)!.__openclaw.seq, 10, 'seq keeps counting across a trim');
		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.get('agent:main:main')?.messageCount, messages.length);
	});

	test('bounded: past maxTranscriptBytes the transcript keeps the newest messages within three quarters of it', async () => {
		const store = await SessionStore.open(dir, 'main', {limits: {maxTranscriptBytes: 8 * 1024}});
		for (let index = 1; index <= 10; index++) {
			await turn(store, 'agent:main:main', `r${index}`, `${index} ${'x'.repeat(1000)}`);
		}

		const entry = store.get('agent:main:main')!;
		assert.ok(entry.transcriptBytes <= 8 * 1024 + 2 * 1200, `${entry.transcriptBytes} bytes`);
		const messages = await store.messages('agent:main:main');
		assert.equal(messages.length, entry.messageCount);
		assert.ok(messageText(messages.at(-1)!).startsWith('10 '));
		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.get('agent:main:main')?.messageCount, messages.length);
	});

	test('reset starts a new transcript under the same key; delete removes the session and its transcript', async () => {
		const store = await SessionStore.open(dir, 'main');
		const first = await turn(store, 'agent:main:main', 'r1', 'before reset');
		const reset = await store.reset('agent:main:main');
		assert.notEqual(reset.sessionId, first!.sessionId);
		assert.equal(reset.messageCount, 0);
		assert.deepEqual(await store.messages('agent:main:main'), []);

		await turn(store, 'agent:main:tmp', 'r2', 'scratch');
		assert.equal(await store.delete('agent:main:tmp'), true);
		assert.equal(await store.delete('agent:main:tmp'), false);
		const reopened = await SessionStore.open(dir, 'main');
		assert.deepEqual(reopened.list().map((entry) => entry.key), ['agent:main:main']);
		assert.equal((await readdir(dir)).filter((name) => name.endsWith('.jsonl')).length, 1);
	});

	test('a transcript emptied by a crash keeps its session; one deleted from outside is dropped from the index', async () => {
		const store = await SessionStore.open(dir, 'main');
		const kept = await turn(store, 'agent:main:main', 'r1', 'x');
		const gone = await turn(store, 'agent:main:gone', 'r2', 'y');
		await truncate(path.join(dir, `${kept!.sessionId}.jsonl`), 0);
		await rm(path.join(dir, `${gone!.sessionId}.jsonl`));
		const reopened = await SessionStore.open(dir, 'main');
		assert.equal(reopened.get('agent:main:main')?.messageCount, 0);
		assert.equal(reopened.get('agent:main:gone'), undefined);
	});
});
