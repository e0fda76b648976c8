// End to end: the real `openclaw console --fleet FILE` in tmux over three gateways of ours, two profiles under one
// HOME and one fleet-file URL entry (its token in a tokenFile). All rows right; Enter opens a gateway's panes and Esc
// comes back; R on a selected row restarts it; a stopped gateway shows `unreachable` on its row within one poll; a
// gateway whose token changed under the fleet's feet shows `auth failed`; q exits 0.
import assert from 'node:assert/strict';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {bin, makeInstance, makeProfileInstance, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {fleetConsoleEnv, startTmuxConsole, type TmuxConsole} from './helpers/console-tmux.js';
import {freePort} from './helpers/gateway.js';

const pollMs = 1000;

/** A profile state dir under the shared HOME, as `openclaw --profile NAME setup` would leave it. */
async function profileInstance(home: string, name: string): Promise<Instance> {
	return makeProfileInstance(home, name, await freePort());
}

/** The table line of one gateway (the selected one starts with the marker). */
function rowOf(screen: string, name: string): string | undefined {
	return screen.split('\n').find((line) => new RegExp(`^║[▸ ] ${name.replaceAll('.', '\\.')}\\s`).test(line));
}

test('openclaw console --fleet: rows, Enter/Esc, R on a row, a stopped gateway and a changed token on their rows', {timeout: 150_000}, async () => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-e2e-fleet-'));
	const home = path.join(dir, 'home');
	await mkdir(home);
	const alpha = await profileInstance(home, 'alpha');
	const beta = await profileInstance(home, 'beta');
	const byUrl = await makeInstance({port: await freePort(), config: undefined});
	const gateways = new Map<string, GatewayProcess>();
	let term: TmuxConsole | undefined;
	try {
		const started = await Promise.all([alpha, beta, byUrl].map(async (instance) => startGatewayProcess(instance)));
		for (const [index, name] of ['alpha', 'beta', 'url-gw'].entries()) {
			gateways.set(name, started[index]);
		}

		const tokenFile = path.join(dir, 'url-gw.token');
		await writeFile(tokenFile, `${byUrl.token}\n`, {mode: 0o600});
		const fleetFile = path.join(dir, 'fleet.json5');
		await writeFile(fleetFile, `{gateways: [{name: "url-gw", url: "ws://127.0.0.1:${byUrl.port}", tokenFile: "url-gw.token"}]}`, {mode: 0o600});
		term = await startTmuxConsole({
			command: [process.execPath, bin, 'console', '--fleet', fleetFile],
			env: fleetConsoleEnv({home, configHome: path.join(dir, 'xdg'), pollMs, extra: {NO_COLOR: '1'}}),
			columns: 160,
			rows: 24,
		});

		// Every row filled: name, where, running, version, a latency, channels, reload mode.
		const first = await term.waitFor(
			(screen) => ['alpha', 'beta', 'url-gw'].every((name) => /\brunning\b.*\d+\.\d+\.\d+.*ms/.test(rowOf(screen, name) ?? '')) && screen,
			'three running rows',
			30_000,
		);
		assert.match(rowOf(first, 'alpha')!, /^║▸ alpha\s+profile alpha\s+running\s+\d+\.\d+\.\d+\s+[\d.]+ ms \S+\s+0\/0\s+0\s+hybrid/);
		assert.match(rowOf(first, 'beta')!, /beta\s+profile beta\s+running/);
		assert.match(rowOf(first, 'url-gw')!, new RegExp(`url-gw\\s+ws://127\\.0\\.0\\.1:${byUrl.port}\\s+running`));
		assert.match(first, /3 running/);

		// Enter opens alpha's four panes (attached with its credentials); Esc comes back to the table.
		await term.keys('Enter');
		await term.waitFor((screen) => screen.includes('fleet › alpha (profile alpha)') && /link\s+connected/.test(screen) && screen.includes('Logs'), "alpha's panes, connected", 20_000);
		await term.keys('Escape');
		await term.waitFor((screen) => /^║▸ alpha\s+profile alpha\s+running/m.test(screen) && screen.includes('sort: name'), 'the fleet again, alpha selected');

		// R on the selected row: asked (No by default), then the gateway restarts in process and comes back.
		const restarted = new Promise<void>((resolve) => {
			let seen = '';
			gateways.get('alpha')!.process.stdout?.on('data', (chunk: Buffer) => {
				seen += chunk.toString();
				if (seen.includes('restarted, listening on')) {
					resolve();
				}
			});
		});
		await term.keys('R');
		await term.waitFor((screen) => screen.includes('Restart gateway alpha (profile alpha)?'), 'the restart question');
		await term.keys('y');
		// The flash comes only once the gateway accepted gateway.restart.request over the fleet's admin session.
		await term.waitFor((screen) => screen.includes('alpha: restart requested'), 'the restart accepted', 10_000);
		// The row may say running before the restart begins (it is scheduled after the answer): wait for the gateway's
		// own word that it restarted, then for a probe that finds it running.
		await Promise.race([restarted, new Promise((_, reject) => setTimeout(() => reject(new Error('alpha never logged its restart')), 20_000).unref())]);
		await term.waitFor((screen) => /alpha\s+profile alpha\s+running/.test(rowOf(screen, 'alpha') ?? ''), 'alpha running again', 30_000);

		// m on the row: the next mode written through config.patch and read back; the file says it, the row shows it.
		await term.keys('m');
		await term.waitFor((screen) => screen.includes('alpha: reload mode hybrid -> off (read back)'), 'the mode written and read back', 15_000);
		const written = JSON.parse(await readFile(alpha.configPath, 'utf8')) as {gateway?: {reload?: {mode?: string}}};
		assert.equal(written.gateway?.reload?.mode, 'off');
		await term.waitFor((screen) => /\soff\s*║$/.test(rowOf(screen, 'alpha') ?? '') || /\s0\s+off\s/.test(rowOf(screen, 'alpha') ?? ''), 'off on the row', pollMs + 5000);

		// p probes the selected gateway now; S on a URL entry says why it cannot.
		await term.keys('p');
		await term.waitFor((screen) => /alpha: probe ok in [\d.]+ ms/.test(screen), 'the probe result', 10_000);
		await term.keys('G', 'S');
		await term.waitFor((screen) => screen.includes("S starts and stops this host's profiles; url-gw"), 'why S does not act on a URL entry');
		await term.keys('g');

		// beta stops: its row says unreachable within one poll (plus the connect attempt), the others stay running.
		await gateways.get('beta')!.stop();
		const stoppedAt = Date.now();
		const down = await term.waitFor((screen) => /unreachable since \d\d:\d\d \(connection refused\)/.test(rowOf(screen, 'beta') ?? '') && screen, 'beta unreachable', pollMs + 5000);
		assert.ok(Date.now() - stoppedAt <= pollMs + 5000);
		assert.match(rowOf(down, 'alpha')!, /running/);
		assert.match(rowOf(down, 'url-gw')!, /running/);

		// url-gw's token changes in its config (it restarts in process with it) while the fleet still holds the old one.
		await writeFile(byUrl.configPath, JSON.stringify({gateway: {mode: 'local', port: byUrl.port, auth: {mode: 'token', token: 'a-new-token-0123456789'}}}), {mode: 0o600});
		await term.waitFor((screen) => /auth failed/.test(rowOf(screen, 'url-gw') ?? ''), 'url-gw auth failed', 30_000);
		assert.match(rowOf(await term.screen(), 'alpha')!, /running/);

		await term.keys('q');
		await term.waitFor((screen) => /\[console exited 0\]/.test(screen), 'the console to exit 0', 15_000);
	} finally {
		await term?.kill();
		await Promise.all([...gateways.values()].map(async (gateway) => gateway.stop()));
		await byUrl.cleanup();
		await rm(dir, {recursive: true, force: true});
	}
});

test('openclaw console --fleet: two profiles sharing a port show doctor --all\'s collision above the table, with the fix', {timeout: 60_000}, async () => {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-e2e-fleet-audit-'));
	const home = path.join(dir, 'home');
	await mkdir(home);
	const port = await freePort();
	// Neither runs: the audit reads their configs, as doctor --all does.
	await makeProfileInstance(home, 'alpha', port);
	const beta = await makeProfileInstance(home, 'beta', port);
	let term: TmuxConsole | undefined;
	try {
		term = await startTmuxConsole({
			command: [process.execPath, bin, 'console', '--fleet'],
			env: fleetConsoleEnv({home, configHome: path.join(dir, 'xdg'), pollMs, extra: {NO_COLOR: '1'}}),
			columns: 200,
			rows: 24,
		});
		const screen = await term.waitFor((text) => text.includes(`! port ${port} shared by alpha and beta; fix: give profile beta its own port`) && text, 'the shared port above the table', 20_000);
		const lines = screen.split('\n');
		const audit = lines.findIndex((line) => line.includes(`! port ${port} shared by alpha and beta`));
		assert.ok(audit < lines.findIndex((line) => /NAME\s+WHERE/.test(line)), screen);
		assert.ok(lines[audit].includes(`set gateway.port to ${port + 20} in ${beta.configPath}`), lines[audit]);
		assert.ok(rowOf(screen, 'alpha') && rowOf(screen, 'beta'), screen);
		await term.keys('q');
		await term.waitFor((text) => /\[console exited 0\]/.test(text), 'the console to exit 0', 15_000);
	} finally {
		await term?.kill();
		await rm(dir, {recursive: true, force: true});
	}
});
