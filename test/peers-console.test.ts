// `openclaw console --url` in a real terminal (tmux) against both gateways it will meet: ours and the reference
// OpenClaw gateway. On each: the Runtime pane is filled from what that gateway says (version, uptime, bind and port,
// probe, sessions) and its sessions line follows a chat in a new session, `m` walks the reload modes that gateway
// allows with the file following and no error left on screen, `R` shows the restart and reconnects within 3 s of the
// port answering again, and a gateway that stops is shown as unreachable, without its old pid or probe. A wrong token
// on the reference: the console's diagnosis under Runtime (the signature table's words, no key: it started nothing),
// and `openclaw doctor` finding the same signature, with its fix, in the log OpenClaw itself wrote.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import net from 'node:net';
import {test} from 'node:test';
import JSON5 from 'json5';
import {GatewayClient} from '../source/client/index.js';
import {diagnosisLine, signature} from '../source/protocol/signatures.js';
import {makeInstance, openclaw, startGatewayProcess} from './helpers/cli-process.js';
import {startTmuxConsole} from './helpers/console-tmux.js';
import {freePort} from './helpers/gateway.js';
import {cliPath} from './helpers/gateway-process.js';
import {referenceVersion, startReferenceGateway} from './helpers/reference-gateway.js';

type Peer = {url: string; port: number; token: string; configPath: string; version: RegExp; dir: string; stop(): Promise<void>};

async function ourGateway(): Promise<Peer> {
	const port = await freePort();
	const instance = await makeInstance({port});
	const gateway = await startGatewayProcess(instance);
	return {
		url: `ws://127.0.0.1:${port}`,
		port,
		token: instance.token,
		configPath: instance.configPath,
		version: /v\d+\.\d+\.\d+/,
		dir: instance.dir,
		async stop() {
			await gateway.stop();
			await instance.cleanup();
		},
	};
}

async function referenceGateway(): Promise<Peer> {
	const reference = await startReferenceGateway();
	return {...reference, version: new RegExp(`v${referenceVersion.replaceAll('.', '\\.')}`)};
}

function reloadMode(text: string): string | undefined {
	return (JSON5.parse(text) as {gateway?: {reload?: {mode?: string}}}).gateway?.reload?.mode;
}

/** Whether the gateway says it is ready (`GET /readyz` 200): after a restart OpenClaw's port answers before it is. */
async function readyNow(port: number): Promise<boolean> {
	try {
		return (await fetch(`http://127.0.0.1:${port}/readyz`, {signal: AbortSignal.timeout(1000)})).status === 200;
	} catch {
		return false;
	}
}

async function portAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(1000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

for (const [name, start] of [
	['our gateway', ourGateway],
	[`the reference OpenClaw gateway ${referenceVersion}`, referenceGateway],
] as const) {
	test(`console --url against ${name}: filled panes, m through the allowed modes, R, a stopped gateway`, {timeout: 240_000}, async (t) => {
		const peer = await start();
		const term = await startTmuxConsole({
			command: [process.execPath, cliPath, 'console', '--url', peer.url, '--token', peer.token],
			env: {PATH: process.env.PATH, HOME: peer.dir, TERM: 'xterm-256color', LANG: 'C.UTF-8', NO_COLOR: '1'},
		});
		let stopped = false;
		try {
			const first = await term.waitFor(
				(screen) => screen.includes('link     connected') && /probe {4}ok/.test(screen) && /allowed {2}\w/.test(screen) && /bind {5}[^-\s]/.test(screen) && screen,
				'the connected console with its panes filled',
				60_000,
			);
			assert.match(first, /gateway {2}running/);
			assert.match(first, new RegExp(`pid {6}\\d+ +up \\S+ +${peer.version.source}`));
			assert.match(first, new RegExp(`bind {5}loopback[^│]*${peer.port}`));
			assert.doesNotMatch(first, /bind {5}\?/);
			// Sessions: the count the gateway's status gives; a chat.send in a new session comes on screen with its key
			// (console-live shows that sessions.changed alone does it; OpenClaw's, busy after its start, takes ~10 s to
			// record the session and tell its subscribers).
			const sessionsBefore = Number(await term.waitFor((screen) => /│sessions (\d+)/.exec(screen)?.[1], 'the sessions line', 20_000));
			const chat = new GatewayClient({url: peer.url, token: peer.token, clientId: 'cli', clientMode: 'cli', scopes: ['operator.read', 'operator.write']});
			try {
				await chat.connect();
				await chat.request('chat.send', {sessionKey: 'agent:main:cc', message: 'a new session for the console', idempotencyKey: `console-cc-${Date.now()}`});
			} finally {
				await chat.close();
			}

			await term.waitFor(
				(screen) => new RegExp(`│sessions ${sessionsBefore + 1} · last just now \\(agent:main:cc\\)`).test(screen),
				'the new session in the Runtime pane',
				30_000,
			);
			const allowed = /allowed {2}([a-z/]+)/.exec(first)![1]!.split('/');
			assert.ok(allowed.includes('off') && allowed.includes('hybrid'), allowed.join(','));

			// m walks the allowed modes in order and comes back round; the file follows each press, nothing is left red.
			let mode = /mode {5}(\w+)/.exec(first)![1]!;
			for (let press = 0; press <= allowed.length; press++) {
				const expected = allowed[(allowed.indexOf(mode) + 1) % allowed.length]!;
				await term.keys('m');
				const screen = await term.waitFor((text) => new RegExp(`mode {5}${expected}\\s`).test(text) && !/writing/.test(text) && text, `mode ${expected}`, 20_000);
				assert.doesNotMatch(screen, /│error {4}|conflict /, screen);
				assert.equal(reloadMode(await readFile(peer.configPath, 'utf8')), expected);
				mode = expected;
			}

			// R: shown as restarting, then connected again soon after the gateway accepts connections.
			const pid = /pid {6}(\d+)/.exec(await term.screen())![1];
			await term.keys('R');
			await term.waitFor((screen) => screen.includes('Restart the attached gateway?'), 'the restart question');
			await term.keys('y');
			await term.waitFor((screen) => /gateway {2}restarting/.test(screen), 'restarting shown', 10_000);
			// Watch the port from outside while the console reconnects: the time to beat starts when the port answers
			// again after refusing (OpenClaw's closes for a few seconds, then answers "gateway starting" before it is
			// ready), or, if it was never seen refusing (ours rebinds in milliseconds), when the restart was shown.
			const restartShownAt = Date.now();
			const timeline: Array<{at: number; answers: boolean}> = [];
			let readyAt: number | undefined;
			let watching = true;
			const watcher = (async () => {
				while (watching) {
					const answers = await portAnswers(peer.port);
					timeline.push({at: Date.now(), answers});
					if (answers && readyAt === undefined && timeline.some((sample) => !sample.answers) && (await readyNow(peer.port))) {
						readyAt = Date.now();
					}

					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			})();
			await term.waitFor((screen) => screen.includes('link     connected') && screen.includes(`in-process, pid ${pid}`), 'reconnected after the restart', 60_000);
			const connectedAt = Date.now();
			watching = false;
			await watcher;
			const refusals = timeline.flatMap((sample, index) => (sample.answers ? [] : [index]));
			const lastRefusal = refusals.length === 0 ? -1 : refusals.at(-1)!;
			const answeredAt = lastRefusal === -1 ? restartShownAt : (timeline[lastRefusal + 1]?.at ?? connectedAt);
			// The console's fast retry (250 ms), the gateway's own "starting; retry shortly" (500 ms) and a handshake take
			// about a second; what this guards against is the plain reconnect backoff, which took ~15 s. The bound sits
			// between the two, wide enough for a loaded 2-core machine: a timing figure belongs in a bench, not here.
			assert.ok(connectedAt - answeredAt < 8000, `connected ${connectedAt - answeredAt} ms after the port answered again`);
			// The figure itself, in the test report (the 3 s is judged from it on a machine that is not overloaded).
			const afterReady = readyAt === undefined ? '' : `; ${connectedAt - readyAt} ms after /readyz first said ready`;
			t.diagnostic(`${name}: R reconnected ${connectedAt - answeredAt} ms after the port answered again (${lastRefusal === -1 ? 'never seen refusing' : 'after refusing'})${afterReady}`);

			// The gateway stops for good: unreachable since when and why, no stale pid or probe, and the console lives on.
			stopped = true;
			await peer.stop();
			const gone = await term.waitFor((screen) => /gateway {2}unreachable since \d\d:\d\d:\d\d/.test(screen) && screen, 'unreachable after the gateway stopped', 30_000);
			// Placeholders (`pid -`) may give their rows to the reason: what must not be there is a pid or a probe figure.
			assert.doesNotMatch(gone, /│pid {6}\d/);
			assert.doesNotMatch(gone, /│probe {4}(ok|last ok|\d)/);
			assert.ok(await term.alive());
		} finally {
			await term.kill();
			if (!stopped) {
				await peer.stop();
			}
		}
	});
}

test(`a wrong token on the reference OpenClaw gateway ${referenceVersion}: the console's diagnosis, and doctor reads it from OpenClaw's log`, {timeout: 180_000}, async () => {
	// The reference writes its log to its own logging.file (referenceConfig), never the shared /tmp/openclaw.
	const reference = await startReferenceGateway();
	const term = await startTmuxConsole({
		command: [process.execPath, cliPath, 'console', '--url', reference.url, '--token', 'not-the-token'],
		env: {PATH: process.env.PATH, HOME: reference.dir, TERM: 'xterm-256color', LANG: 'C.UTF-8', NO_COLOR: '1'},
		columns: 160,
		rows: 40,
	});
	try {
		const tokenRefused = signature('auth-token');
		const screen = await term.waitFor((text) => text.includes(`│problem  ${diagnosisLine(tokenRefused, false)}`) && text, 'the token-refused problem line', 60_000);
		assert.doesNotMatch(screen, /│problem {2}token refused;/, 'no key: the console did not start this gateway');
		await term.kill();

		const doctor = await openclaw(['doctor'], {...reference.clientEnv, OPENCLAW_SERVICE_MANAGER: 'detached'}, 60_000);
		const line = doctor.stdout.split('\n').find((text) => text.includes('Seen in the log'));
		assert.ok(line, `doctor found no signature in OpenClaw's log:\n${doctor.stdout}\n${doctor.stderr}`);
		assert.match(line, /unauthorized: gateway token mismatch/);
		assert.ok(doctor.stdout.includes(tokenRefused.fix), doctor.stdout);
	} finally {
		await term.kill();
		await reference.stop();
	}
});
