// `openclaw logs --follow` against a real gateway process: one connection for the whole follow, new lines at once
// on `logs.appended`, resumes from its cursor across in-process restarts, and ends quietly when its reader goes away.
import assert from 'node:assert/strict';
import {readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {execa, type ResultPromise} from 'execa';
import {authedSocket, freePort, type RawSocket} from './helpers/gateway.js';
import {bin, makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

/** Collects a child's output and lets a test wait for a pattern in it. */
class Collector {
	text = '';
	constructor(stream: NodeJS.ReadableStream) {
		stream.setEncoding?.('utf8');
		stream.on('data', (chunk: string) => {
			this.text += chunk;
		});
	}

	async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!pattern.test(this.text)) {
			if (Date.now() > deadline) {
				throw new Error(`timed out waiting for ${pattern}; got:\n${this.text.slice(-2000)}`);
			}

			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}

	count(pattern: RegExp): number {
		return this.text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
	}
}

describe('openclaw logs --follow', () => {
	let instance: Instance;
	let gateway: GatewayProcess;

	before(async () => {
		// Small log files, so the restarts below rotate the log under the follower.
		const port = await freePort();
		const token = 'follow-test-token';
		instance = await makeInstance({port, token, config: {gateway: {mode: 'local', port, auth: {mode: 'token', token}}, logging: {maxFileBytes: 2048}}});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	async function followerPresence(probe: RawSocket, ownConnId: string): Promise<string[]> {
		const res = await probe.call('system-presence');
		assert.equal(res.ok, true, JSON.stringify(res.error));
		// The gateway's own entry (reason "self") has no connection: only clients count here.
		return (res.payload as Array<{connId?: string | null; clientId?: string}>).flatMap((entry) => (typeof entry.connId === 'string' && entry.connId !== ownConnId ? [entry.connId] : []));
	}

	it('keeps one connection, wakes on logs.appended, and resumes across restarts', async () => {
		const follow: ResultPromise = execa('node', [bin, 'logs', '--follow', '--interval', '20000', '--limit', '20'], {
			env: instance.env,
			extendEnv: false,
			reject: false,
			stdin: 'ignore',
		});
		const out = new Collector(follow.stdout!);
		const err = new Collector(follow.stderr!);
		try {
			await out.waitFor(/listening on ws:\/\/127\.0\.0\.1/);
			await err.waitFor(/Log file: /);

			// One connection: the same presence entry across several poll intervals' worth of time.
			const probe = await authedSocket(`ws://127.0.0.1:${instance.port}`, {auth: {token: instance.token}});
			const own = probe.frames.find((frame) => frame.type === 'res')?.payload?.server?.connId as string;
			const first = await followerPresence(probe, own);
			assert.equal(first.length, 1, `one follower connection, got ${JSON.stringify(first)}`);

			// A hot config change logs a line; the follower prints it long before its 20 s poll interval.
			const started = Date.now();
			await writeFile(
				instance.configPath,
				JSON.stringify({
					gateway: {mode: 'local', port: instance.port, auth: {mode: 'token', token: instance.token}},
					logging: {maxFileBytes: 2048, level: 'info', redactPatterns: ['sk-[a-z0-9]+']},
				}),
			);
			await out.waitFor(/config change applied/, 10_000);
			assert.ok(Date.now() - started < 10_000);
			assert.deepEqual(await followerPresence(probe, own), first, 'still the same connection');
			probe.close();

			// An in-process restart: the follower reconnects and carries on from its cursor (no line printed twice).
			const listeningBefore = out.count(/listening on ws:/);
			gateway.process.kill('SIGUSR2');
			await err.waitFor(/\[logs\] gateway disconnected, reconnecting in \d+s/);
			await err.waitFor(/\[logs\] gateway reconnected/);
			await out.waitFor(/in-process restart/);
			await out.waitFor(new RegExp(`(listening on ws:[\\s\\S]*){${listeningBefore + 1}}`));
			assert.equal(out.count(/config change applied/), 1, 'lines before the restart are not printed again');

			// And again: following survives more than one restart, and the rotations they cause, with no line lost or repeated.
			gateway.process.kill('SIGUSR2');
			await out.waitFor(new RegExp(`(listening on ws:[\\s\\S]*){${listeningBefore + 2}}`));
			await new Promise((resolve) => setTimeout(resolve, 500));
			assert.equal(out.count(/listening on ws:/), listeningBefore + 2);
			assert.equal(out.count(/in-process restart/), 2);
			const archives = (await readdir(path.join(instance.stateDir, 'logs'))).filter((name) => /\.\d+\.log$|\.log\.\d+$/.test(name));
			assert.ok(archives.length > 0, 'the log was rotated while following');
		} finally {
			follow.kill('SIGINT');
			const result = await follow;
			assert.equal(result.exitCode, 0, `follow exit: ${result.exitCode} ${String(result.stderr)}`);
		}
	});

	it('waits out a full gateway stop and start (new process) and resumes from its cursor', async () => {
		const follow = execa('node', [bin, 'logs', '--follow', '--interval', '300'], {env: instance.env, extendEnv: false, reject: false, stdin: 'ignore'});
		const out = new Collector(follow.stdout!);
		const err = new Collector(follow.stderr!);
		try {
			await err.waitFor(/Log file: /);
			const before = out.count(/listening on ws:/);
			await gateway.stop();
			await err.waitFor(/\[logs\] gateway disconnected, reconnecting in \d+s/);
			gateway = await startGatewayProcess(instance);
			await err.waitFor(/\[logs\] gateway reconnected/, 20_000);
			await out.waitFor(new RegExp(`(listening on ws:[\\s\\S]*){${before + 1}}`));
			assert.match(out.text, /gateway stopped|stopping/i);
		} finally {
			follow.kill('SIGINT');
			assert.equal((await follow).exitCode, 0);
		}
	});

	it('ends quietly when the reader closes the pipe (| head)', async () => {
		const pipeline = execa('sh', ['-c', `node "${bin}" logs --follow --interval 200 | head -n 1`], {
			env: instance.env,
			extendEnv: false,
			reject: false,
			stdin: 'ignore',
			timeout: 30_000,
		});
		const out = new Collector(pipeline.stdout!);
		await out.waitFor(/\n/);
		// New lines make the follower write into the closed pipe.
		gateway.process.kill('SIGUSR2');
		const result = await pipeline;
		assert.equal(result.exitCode, 0);
		assert.doesNotMatch(String(result.stderr), /EPIPE|Error/);
	});
});
