// Soak (bounded, loopback only): N clients on a real `openclaw gateway` process for M minutes, each calling an RPC at
// a steady rate, while a log flood runs, the config is edited (hot reload) and the gateway restarts in-process.
// Prints requests sent/answered/failed, reconnects, gateway RSS at start and end, and log lines written (on disk)
// against lines read by a `logs.tail` follower, which must be equal.
// --routing also drives channel routing through the loopback fakes of Telegram, Slack, Discord and the webhook channel
// (bench/lib/soak-routing.ts): allowed peers send at a steady rate while the clients poll, reloads rewrite the channel
// config and restarts come in between. It then checks every inbound message was answered exactly once (per channel),
// no session was lost or lost messages across the restarts (bench/lib/session-ledger.ts), and prints RSS start, peak
// (sampled every second) and end. Exits non-zero when an invariant fails.
//   node --import tsx bench/soak.ts [--clients 1000] [--minutes 1] [--rate 1] [--log-rate 200] [--restarts 2] [--short]
//   (--short: 100 clients for 15 s)
//   node --import tsx bench/soak.ts --routing [--clients 200] [--minutes 30] [--inbound-rate 4] [--restarts 6] [--short]
//   (--routing --short: 200 clients for 20 s, 2 restarts)
import {spawn} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import WebSocket from 'ws';
import {memoryMiB} from './lib/process-figures.js';
import {openRpcSocket, type RpcSocket} from './lib/rpc-socket.js';
import {sessionLimits} from '../gateway/sessions/store.js';
import {SessionLedger} from './lib/session-ledger.js';
import {routedChannels, startRoutingTraffic, type RoutingTraffic} from './lib/soak-routing.js';
import {freeLoopbackPort as freePort} from '../source/supervisor/loopback.js';

const {values} = parseArgs({
	options: {
		clients: {type: 'string'},
		minutes: {type: 'string'},
		rate: {type: 'string', default: '1'},
		'log-rate': {type: 'string', default: '200'},
		restarts: {type: 'string'},
		short: {type: 'boolean'},
		routing: {type: 'boolean'},
		'inbound-rate': {type: 'string', default: '4'},
	},
	strict: false,
});
const routing = values.routing === true;
const clientCount = Number(values.clients ?? (routing ? 200 : values.short ? 100 : 1000));
const minutes = Number(values.minutes ?? (routing ? (values.short ? 1 / 3 : 30) : values.short ? 0.25 : 1));
const restartCount = Number(values.restarts ?? (routing && !values.short ? 6 : 2));
const inboundRate = Number(values['inbound-rate']);
const perClientRate = Number(values.rate);
const logRate = Number(values['log-rate']);
const durationMs = Math.round(minutes * 60_000);
const token = 'soak-token-0123456789';
const cli = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


const stats = {sent: 0, answered: 0, failed: 0, errorAnswers: 0, closedUnanswered: 0, timedOut: 0, reconnects: 0, connectFailures: 0, floodAttempts: 0, restarts: 0, reloads: 0};
let running = true;

const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-soak-'));
const configPath = path.join(dir, 'openclaw.json');
const traffic: RoutingTraffic | undefined = routing ? await startRoutingTraffic() : undefined;
const writeConfig = async (model: string, variant = 0) =>
	writeFile(
		configPath,
		`${JSON.stringify(
			{
				gateway: {mode: 'local', auth: {token}},
				logging: {maxFileBytes: 512 * 1024 * 1024, maxFiles: 20},
				agents: {defaults: {model}},
				...(traffic ? {channels: traffic.channelsConfig(variant)} : {}),
			},
			null,
			2,
		)}\n`,
		{mode: 0o600},
	);
await writeConfig('echo');
const port = await freePort();
const url = `ws://127.0.0.1:${port}`;
const child = spawn(process.execPath, [cli, 'gateway', '--port', String(port)], {
	env: {...process.env, OPENCLAW_STATE_DIR: dir, OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP: String(clientCount + 100)},
	stdio: ['ignore', 'ignore', 'inherit'],
});
const childExited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function connectWithRetry(options: {scopes?: string[]} = {}): Promise<RpcSocket> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await openRpcSocket(url, {token, scopes: options.scopes});
		} catch (error) {
			stats.connectFailures++;
			if (!running || attempt > 100) {
				throw error;
			}

			await sleep(100 + Math.random() * 300);
		}
	}
}

/** One steady client: an RPC every 1/rate s; on close (restart) it reconnects and carries on. */
async function steadyClient(index: number): Promise<void> {
	const methods = ['health', 'status', 'system-presence'];
	let draining = false;
	const connect = async () => {
		const next = await connectWithRetry();
		draining = false;
		// A well-behaved client stops sending on `shutdown` and reconnects after the close.
		next.onEvent((event) => {
			if (event === 'shutdown') {
				draining = true;
			}
		});
		return next;
	};

	let socket = await connect();
	await sleep(Math.random() * (1000 / perClientRate));
	while (running) {
		const started = Date.now();
		if (draining) {
			await socket.closed;
			stats.reconnects++;
			await sleep(100 + Math.random() * 400);
			socket = await connect();
			continue;
		}

		stats.sent++;
		try {
			const res = await socket.call(methods[index % methods.length]);
			if (res.ok) {
				stats.answered++;
			} else {
				stats.failed++;
				stats.errorAnswers++;
			}
		} catch (error) {
			stats.failed++;
			if (/timed out/.test((error as Error).message)) {
				stats.timedOut++;
			} else {
				stats.closedUnanswered++;
			}
		}

		if (socket.ws.readyState !== WebSocket.OPEN && running) {
			await socket.closed;
			stats.reconnects++;
			await sleep(100 + Math.random() * 400);
			socket = await connect();
		}

		await sleep(Math.max(0, 1000 / perClientRate - (Date.now() - started)));
	}

	socket.ws.terminate();
}

/** Log flood: connects with a wrong token; each one writes exactly one "connect rejected" line. Paced, at most 100 in flight. */
async function logFlood(): Promise<void> {
	let inFlight = 0;
	const pending = new Set<Promise<void>>();
	while (running) {
		const batchStarted = Date.now();
		const batch = Math.max(1, Math.round(logRate / 10));
		for (let index = 0; index < batch && inFlight < 100; index++) {
			inFlight++;
			stats.floodAttempts++;
			const attempt = openRpcSocket(url, {token: 'wrong-token-flood'}).then(
				(socket) => socket.ws.terminate(),
				() => {},
			);
			const tracked = attempt.finally(() => {
				inFlight--;
				pending.delete(tracked);
			});
			pending.add(tracked);
		}

		await sleep(Math.max(0, 100 - (Date.now() - batchStarted)));
	}

	await Promise.all(pending);
}

/** A logs.tail follower by byte cursor, across restarts; keeps every line it reads. */
const followed: string[] = [];
let followerCursor = 0;
let followerSize = -1;
async function follow(until: () => boolean): Promise<void> {
	let socket = await connectWithRetry();
	while (!until()) {
		try {
			const res = await socket.call('logs.tail', {cursor: followerCursor, limit: 5000, maxBytes: 1_000_000});
			if (res.ok) {
				if (res.payload.reset || res.payload.truncated) {
					console.log(`follower: ${res.payload.reset ? 'reset' : 'truncated'} at cursor ${followerCursor}`);
				}

				followed.push(...res.payload.lines);
				followerCursor = res.payload.cursor;
				followerSize = res.payload.size;
				if (res.payload.lines.length === 5000) {
					continue;
				}
			}
		} catch {}

		if (socket.ws.readyState !== WebSocket.OPEN) {
			socket = await connectWithRetry();
			continue;
		}

		await sleep(250);
	}

	socket.ws.terminate();
}

/** The log and its rolled segments; not `<file>.owned`, the gateway's record of the files it created (by inode). */
const isLogFile = (name: string) => name.endsWith('.log') || /\.log\.\d+$/.test(name);

async function countLinesOnDisk(): Promise<number> {
	const logsDir = path.join(dir, 'logs');
	let lines = 0;
	for (const name of (await readdir(logsDir)).filter(isLogFile)) {
		const text = await readFile(path.join(logsDir, name), 'utf8');
		lines += text.split('\n').filter(Boolean).length;
	}

	return lines;
}

/** Lines on disk the follower did not read (as a multiset), the first few: what a mismatch is made of. */
async function linesNotFollowed(): Promise<string[]> {
	const counts = new Map<string, number>();
	for (const line of followed) {
		counts.set(line, (counts.get(line) ?? 0) + 1);
	}

	const missing: string[] = [];
	const logsDir = path.join(dir, 'logs');
	for (const name of (await readdir(logsDir)).filter(isLogFile).sort()) {
		for (const line of (await readFile(path.join(logsDir, name), 'utf8')).split('\n').filter(Boolean)) {
			const left = counts.get(line) ?? 0;
			if (left > 0) {
				counts.set(line, left - 1);
			} else if (missing.length < 5) {
				missing.push(`${name}: ${line}`);
			}
		}
	}

	return missing;
}

try {
	const readyBy = Date.now() + 10_000;
	while (Date.now() < readyBy) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
				break;
			}
		} catch {}

		await sleep(20);
	}

	console.log(
		`soak: ${clientCount} clients x ${perClientRate} rpc/s for ${minutes} min, log flood ${logRate} lines/s, ${restartCount} restarts${traffic ? `, channel routing ${inboundRate} msg/s over ${routedChannels.join(', ')}` : ''}, gateway pid ${child.pid}`,
	);
	const clients = Array.from({length: clientCount}, async (_, index) => steadyClient(index));
	let followerDone = false;
	const follower = follow(() => followerDone);
	// RSS at start: once every client is connected and has had an answer (bounded wait).
	const settleBy = Date.now() + 20_000;
	while (stats.answered < clientCount && Date.now() < settleBy) {
		await sleep(100);
	}

	const rssStart = memoryMiB(child.pid!);
	// Peak RSS: sampled every second from /proc/<pid>/status for the rest of the run (the pid survives in-process restarts).
	let rssPeak = rssStart;
	const rssSampler = setInterval(() => {
		rssPeak = Math.max(rssPeak, memoryMiB(child.pid!) || 0);
	}, 1000).unref();
	const heapOf = async () => {
		const probe = await connectWithRetry();
		const res = await probe.call('status').catch(() => undefined);
		probe.ws.terminate();
		return Number(res?.payload?.process?.heapUsedBytes ?? Number.NaN) / 1024 / 1024;
	};

	const heapStart = await heapOf();
	const flood = logFlood();
	const admin = await connectWithRetry({scopes: ['operator.read', 'operator.admin']});
	const started = Date.now();
	let adminSocket = admin;
	const ledger = new SessionLedger();
	/** One sessions.list into the ledger (which compares it with every earlier one). */
	const listSessions = async (when: string) => {
		if (adminSocket.ws.readyState !== WebSocket.OPEN) {
			adminSocket = await connectWithRetry({scopes: ['operator.read', 'operator.admin']});
		}

		const res = await adminSocket.call('sessions.list', {limit: 1000}).catch((error: Error) => ({ok: false, error: {message: error.message}}));
		if (res.ok) {
			ledger.observe(res.payload.sessions, when);
		} else {
			ledger.problems.push(`${when}: sessions.list failed: ${JSON.stringify(res.error)}`);
		}
	};

	traffic?.drive(port, inboundRate);
	// Reload every 10 s (hot: agents.defaults.model; with --routing also every channel's rate limit, which the router
	// reads at every message: the channels stay connected); restart in-process --restarts times, evenly over the run.
	const restartAt = Array.from({length: restartCount}, (_, index) => ((index + 1) * durationMs) / (restartCount + 1));
	let tick = 0;
	while (Date.now() - started < durationMs) {
		await sleep(Math.min(10_000, durationMs / Math.max(6, 2 * (restartCount + 1))));
		tick++;
		// Routed messages need a model that answers: `echo` and `echo/echo` are the same offline echo model.
		await writeConfig(tick % 2 === 0 ? 'echo' : traffic ? 'echo/echo' : `echo-${tick}`, tick);
		stats.reloads++;
		const elapsed = Date.now() - started;
		if (restartAt.length > 0 && elapsed >= restartAt[0]) {
			restartAt.shift();
			if (traffic) {
				await listSessions(`before restart ${stats.restarts + 1}`);
			}

			if (adminSocket.ws.readyState !== WebSocket.OPEN) {
				adminSocket = await connectWithRetry({scopes: ['operator.read', 'operator.admin']});
			}

			const res = await adminSocket.call('gateway.restart.request', {reason: 'soak'}).catch(() => undefined);
			if (res?.ok) {
				stats.restarts++;
			}

			adminSocket = await (async () => {
				await adminSocket.closed;
				await sleep(500);
				return connectWithRetry({scopes: ['operator.read', 'operator.admin']});
			})();
			if (traffic) {
				await listSessions(`after restart ${stats.restarts}`);
			}
		}

		process.stdout.write(
			`  t=${Math.round((Date.now() - started) / 1000)}s sent ${stats.sent} answered ${stats.answered} failed ${stats.failed} reconnects ${stats.reconnects} rss ${memoryMiB(child.pid!).toFixed(1)} MiB\n`,
		);
	}

	running = false;
	await flood;
	await Promise.all(clients);
	let answersCompleteMs: number | undefined;
	if (traffic) {
		await traffic.stop();
		// Bounded: a message still unanswered after a minute is missing, not late.
		answersCompleteMs = await traffic.settle(60_000, 2000);
		await listSessions('at the end');
	}

	clearInterval(rssSampler);
	const rssEnd = memoryMiB(child.pid!);
	rssPeak = Math.max(rssPeak, rssEnd);
	const heapEnd = await heapOf();
	// Let the follower catch up with everything written so far, then compare with the disk.
	await sleep(500);
	const written = await countLinesOnDisk();
	const catchUpBy = Date.now() + 15_000;
	while (followed.length < written && Date.now() < catchUpBy) {
		await sleep(100);
	}

	followerDone = true;
	await follower;
	adminSocket.ws.terminate();
	const writtenAtEnd = await countLinesOnDisk();
	const rejectedLines = followed.filter((line) => line.includes('connect rejected')).length;

	console.log(
		`requests: sent ${stats.sent}, answered ${stats.answered}, failed ${stats.failed} (${((stats.failed / Math.max(1, stats.sent)) * 100).toFixed(2)}%: ${stats.errorAnswers} answered with an error, ${stats.closedUnanswered} closed unanswered, ${stats.timedOut} timed out)`,
	);
	console.log(`reconnects: ${stats.reconnects} (restarts ${stats.restarts}, config reloads ${stats.reloads}, connect retries ${stats.connectFailures})`);
	console.log(
		`gateway RSS: start ${rssStart.toFixed(1)} MiB, peak ${rssPeak.toFixed(1)} MiB, end ${rssEnd.toFixed(1)} MiB (growth ${(rssEnd - rssStart).toFixed(1)} MiB); V8 heap used: start ${heapStart.toFixed(1)} MiB, end ${heapEnd.toFixed(1)} MiB`,
	);
	console.log(
		`log lines: written ${written} (on disk; ${writtenAtEnd} after the follower's last read), read by the follower ${followed.length} -> ${followed.length === written ? 'equal' : 'MISMATCH'}; flood connects ${stats.floodAttempts}, "connect rejected" lines read ${rejectedLines}`,
	);
	if (followed.length !== written) {
		process.exitCode = 1;
		for (const line of await linesNotFollowed()) {
			console.log(`  not read by the follower: ${line.slice(0, 300)}`);
		}
	}

	if (traffic) {
		const tally = traffic.tally();
		for (const channel of routedChannels) {
			const row = tally[channel];
			const whole = row.sent > 0 && row.missing === 0 && row.duplicates === 0 && row.misrouted === 0 && row.undelivered === 0;
			console.log(
				`routing ${channel}: sent ${row.sent}, answered ${row.answered}, missing ${row.missing}, duplicates ${row.duplicates}, misrouted ${row.misrouted}, undelivered ${row.undelivered} (HTTP retries ${row.retries}) -> ${whole ? 'each answered exactly once' : 'FAILED'}`,
			);
			for (const example of row.examples) {
				const logged = followed.filter((line) => line.includes(`"${example.runId}"`)).map((line) => line.slice(0, 240));
				console.log(`  ${example.text} (run ${example.runId}) answered ${example.answers}x; its log lines: ${logged.length === 0 ? 'none' : logged.join(' | ')}`);
			}

			if (!whole) {
				process.exitCode = 1;
			}
		}

		console.log(
			`routing: ${answersCompleteMs === undefined ? 'answers still missing 60 s' : `every answer in ${(answersCompleteMs / 1000).toFixed(1)} s`} after the last message was sent; then 2 s quiet for late duplicates`,
		);
		const absent = traffic.sessionKeys().filter((key) => ledger.count(key) === undefined);
		for (const key of absent) {
			ledger.problems.push(`at the end: no session ${key} for a peer that was answered`);
		}

		console.log(`sessions: ${ledger.size} seen (largest ${ledger.largest} messages) over ${ledger.listings} listings (before and after ${stats.restarts} restarts, and at the end) -> ${ledger.problems.length === 0 ? 'none lost, no message count went back' : 'LOST'}`);
		for (const problem of ledger.problems.slice(0, 20)) {
			console.log(`  ${problem}`);
		}

		if (ledger.largest > 0.9 * sessionLimits.maxMessagesPerSession) {
			console.log(`  (the largest session has ${ledger.largest} messages: near the trim at ${sessionLimits.maxMessagesPerSession}, where a count drops by design; lower --inbound-rate)`);
		}

		if (stats.restarts < restartCount) {
			console.log(`restarts: ${stats.restarts} of ${restartCount} happened -> FAILED`);
		}

		if (ledger.problems.length > 0 || stats.restarts < restartCount) {
			process.exitCode = 1;
		}
	}
} finally {
	running = false;
	child.kill('SIGTERM');
	await Promise.race([childExited, sleep(5000)]);
	child.kill('SIGKILL');
	await traffic?.close();
	await rm(dir, {recursive: true, force: true});
}
