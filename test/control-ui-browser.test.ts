// The Control UI in a real headless Chromium (Debian's `chromium`, driven by playwright-core; nothing downloaded):
// against the real `openclaw gateway` process, an operator logs in with the token, sees Runtime running and the
// probe, toggles the reload mode (the file on disk changes), follows a log line written after the page opened and
// restarts the gateway (asked with the console's yes/no keys). Sessions and a configured channel (a loopback fake of
// the Telegram Bot API) show in their cards. A second visit connects as the paired device, with no token asked; a
// revoked device token sends the page back to the token. Behind a basePath, with local pairing off, the page opens its
// socket under that path and shows the command that approves it. A wrong token, a foreign origin and a frame are
// refused; no token shows up in a URL, a log or the HTML. The README's screenshot (media/control-ui.png) is
// refreshed here with OPENCLAW_WRITE_MEDIA=1.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {chromium, type Browser, type Page} from 'playwright-core';
import {goodToken, startFakeChannelApis, type FakeChannelApis} from './helpers/fake-apis.js';
import {authedSocket, freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';
import {openclaw} from './helpers/cli-process.js';

const chromiumPath = '/usr/bin/chromium';
const token = 'control-ui-token-5f1c9a2e';
// The README picture is this test's screenshot: written to media/ only when asked (OPENCLAW_WRITE_MEDIA=1), so a
// test run leaves the checkout as it was; otherwise it goes to the run's temp dir and is only checked.
/** A CLI environment of its own (no OPENCLAW_* of this shell), colours off. */
const cliEnv = (home: string): Record<string, string> =>
	Object.fromEntries(Object.entries(isolatedEnv(home, {NO_COLOR: '1'})).filter((entry): entry is [string, string] => entry[1] !== undefined));

const mediaPath = fileURLToPath(new URL('../media/control-ui.png', import.meta.url));

let gateway: GatewayProcess;
let port: number;
let stateDir: string;
let configPath: string;
let cleanup: () => Promise<void>;
let browser: Browser;
let apis: FakeChannelApis;

before(async () => {
	let home: string;
	({dir: home, cleanup} = await tempDir('openclaw-control-ui-'));
	stateDir = path.join(home, 'state');
	configPath = path.join(stateDir, 'openclaw.json');
	apis = await startFakeChannelApis();
	const telegram = {botToken: goodToken, apiBaseUrl: `${apis.url}/telegram`, pollTimeoutSeconds: 1, dmPolicy: 'allowlist', allowFrom: [4242]};
	await writeConfig(
		configPath,
		`// written by the test\n{gateway: {mode: 'local', auth: {token: '${token}'}, reload: {mode: 'hybrid'}}, logging: {level: 'info'}, channels: {telegram: ${JSON.stringify(telegram)}}}\n`,
	);
	port = await freePort();
	gateway = spawnGateway(['gateway', '--port', String(port)], isolatedEnv(home, {OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath}));
	await gateway.waitFor(/listening on ws:\/\/127\.0\.0\.1:\d+/, 15_000);
	browser = await chromium.launch({
		executablePath: chromiumPath,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			// A name that resolves to this gateway but is no loopback origin: a DNS-rebinding page, as a browser sees it.
			'--host-resolver-rules=MAP evil.test 127.0.0.1',
		],
	});
});

after(async () => {
	await browser?.close();
	gateway?.kill('SIGTERM');
	await gateway?.exited;
	await apis?.close();
	await cleanup?.();
});

const base = () => `http://127.0.0.1:${port}`;

/** The value of a row (`<dt>label</dt><dd>value</dd>`) in a card, once it matches. */
async function waitForRow(page: Page, card: string, label: string, pattern: RegExp, timeout = 15_000): Promise<string> {
	const handle = await page.waitForFunction(
		({card, label, source, flags}) => {
			for (const row of document.querySelectorAll(`#${card} .row`)) {
				const value = row.querySelector('dd')?.textContent ?? '';
				if (row.querySelector('dt')?.textContent === label && new RegExp(source, flags).test(value)) {
					return value;
				}
			}

			return false;
		},
		{card, label, source: pattern.source, flags: pattern.flags},
		{timeout},
	);
	return (await handle.jsonValue()) as string;
}

async function logText(): Promise<string> {
	const directory = path.join(stateDir, 'logs');
	const files = existsSync(directory) ? await readdir(directory) : [];
	const texts = await Promise.all(files.map(async (name) => readFile(path.join(directory, name), 'utf8').catch(() => '')));
	return texts.join('\n');
}

/** What the page keeps in IndexedDB beside its key: the device token it was issued, with the device's id. */
async function storedDeviceToken(page: Page): Promise<{deviceId: string; token: string} | undefined> {
	return page.evaluate(
		async () =>
			new Promise<{deviceId: string; token: string} | undefined>((resolve, reject) => {
				const open = indexedDB.open('openclaw-control-ui', 1);
				open.onupgradeneeded = () => open.result.createObjectStore('keys');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const read = open.result.transaction('keys', 'readonly').objectStore('keys').get('device-token');
					read.onsuccess = () => resolve(read.result as {deviceId: string; token: string} | undefined);
					read.onerror = () => reject(read.error);
				};
			}),
	);
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) {
			return value;
		}

		assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function logIn(page: Page, secret: string): Promise<void> {
	await page.fill('#token', secret);
	await page.click('#login button[type=submit]');
}

// Debian's chromium is required (.ci/run installs it): a missing browser fails here, it is never skipped.
describe('the Control UI in headless Chromium', () => {
	test('a wrong token is refused on the page and not kept', async () => {
		const page = await browser.newPage();
		await page.goto(`${base()}/`);
		await logIn(page, 'not-the-token');
		await page.waitForSelector('#login-error:has-text("refused this token")', {timeout: 15_000});
		assert.equal(await page.isVisible('#login'), true);
		assert.match((await page.textContent('#login-error')) ?? '', /token refused: the client sent no token, or not this gateway's/);
		assert.equal(await page.evaluate(() => sessionStorage.length), 0);
		await page.close();
	});

	test('log in, Runtime running with the probe, reload toggle on disk, a new log line, restart and back', async () => {
		const page = await browser.newPage({viewport: {width: 1280, height: 900}});
		const urls: string[] = [];
		page.on('request', (request) => urls.push(request.url()));
		page.on('websocket', (socket) => urls.push(socket.url()));
		await page.goto(`${base()}/`);
		await logIn(page, token);
		await page.waitForSelector('#link:has-text("connected")', {timeout: 15_000});
		assert.match(await waitForRow(page, 'runtime', 'gateway', /^running/), /running/);
		assert.match(await waitForRow(page, 'runtime', 'probe', /^ok \S+ ms$/), /^ok/);
		assert.match(await waitForRow(page, 'reload', 'mode', /hybrid/), /hybrid/);

		// The toggle writes gateway.reload.mode through config.patch: the file on disk says the next mode.
		await page.click('#reload-toggle');
		const deadline = Date.now() + 10_000;
		while (!/mode:\s*['"]off['"]/.test(await readFile(configPath, 'utf8'))) {
			assert.ok(Date.now() < deadline, `config never said mode off:\n${await readFile(configPath, 'utf8')}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}

		await waitForRow(page, 'reload', 'mode', /^off/);

		// A line the gateway writes now, after the page opened: the Logs view follows it.
		const rejected = () => page.locator('#logs li', {hasText: 'connect rejected'}).count();
		const before = await rejected();
		const stranger = new RawSocket(`ws://127.0.0.1:${port}`);
		await stranger.connect({auth: {token: 'a-stranger-guess'}});
		stranger.close();
		await page.waitForFunction((count) => [...document.querySelectorAll('#logs li')].filter((li) => li.textContent?.includes('connect rejected')).length > count, before, {timeout: 15_000});
		assert.equal(await page.getAttribute('#follow', 'aria-pressed'), 'true');

		const screenshotPath = process.env.OPENCLAW_WRITE_MEDIA === '1' ? mediaPath : path.join(stateDir, '..', 'control-ui.png');
		const shot = await page.screenshot({path: screenshotPath});
		assert.ok(shot.length > 10_000, `a real screenshot (${shot.length} bytes)`);

		// Filter and level: the console's logs reducer decides what shows.
		const shown = async () => page.locator('#logs li').allTextContents();
		await page.fill('#filter', 'connect rejected');
		await page.waitForFunction(() => [...document.querySelectorAll('#logs li')].every((li) => li.textContent?.includes('connect rejected')));
		assert.ok((await shown()).length >= 1);
		await page.selectOption('#level', 'error');
		await page.waitForFunction(() => document.querySelectorAll('#logs li').length === 0);
		await page.selectOption('#level', 'all');
		await page.fill('#filter', '');
		await page.waitForFunction(() => [...document.querySelectorAll('#logs li')].some((li) => li.textContent?.includes('listening on')));

		// Restart asks first, with Cancel focused, and takes the console's yes/no keys (intents.ts confirmKey).
		const focused = async () => page.evaluate(() => document.activeElement?.id);
		await page.click('#restart');
		assert.equal(await page.isVisible('#confirm'), true);
		assert.equal(await focused(), 'cancel-restart');
		await page.keyboard.press('Escape');
		assert.equal(await page.isVisible('#confirm'), false, 'Esc says no');
		await page.keyboard.press('Shift+R');
		assert.equal(await page.isVisible('#confirm'), true, 'R asks, as in the console');
		await page.keyboard.press('n');
		assert.equal(await page.isVisible('#confirm'), false, 'n says no');
		await page.click('#restart');
		await page.keyboard.press('ArrowRight');
		assert.equal(await focused(), 'confirm-restart', 'the arrows move between the answers');
		await page.keyboard.press('Tab');
		assert.equal(await focused(), 'cancel-restart');
		await page.keyboard.press('Enter');
		assert.equal(await page.isVisible('#confirm'), false, 'Enter on Cancel says no');
		assert.match(await waitForRow(page, 'runtime', 'gateway', /^running/), /running/, 'no restart so far');
		await page.click('#restart');
		await page.keyboard.press('y');
		assert.match(await waitForRow(page, 'runtime', 'restart', /in-process, pid \d+|pid \d+ -> \d+/, 30_000), /pid/);
		await page.waitForSelector('#link:has-text("connected")', {timeout: 15_000});
		await waitForRow(page, 'runtime', 'gateway', /^running/);

		// The token went only into the socket's connect frame: no URL, no HTML, no log line carries it.
		for (const url of urls) {
			assert.ok(!url.includes(token), `token in a URL: ${url}`);
		}

		assert.ok(!(await page.content()).includes(token), 'token in the page HTML');
		assert.ok(!page.url().includes(token));
		const html = await (await fetch(`${base()}/`)).text();
		assert.ok(!html.includes(token));
		assert.ok(!(await logText()).includes(token), 'token in the gateway log');
		assert.ok(!gateway.output().includes(token), 'token in the gateway output');
		await page.close();
	});

	test('a page from a foreign origin (a name resolving to loopback) cannot open the socket', async () => {
		const page = await browser.newPage();
		const scriptStatus = page.waitForResponse((response) => response.url().endsWith('/control-ui.js')).then((response) => response.status());
		await page.goto(`http://evil.test:${port}/`);
		// A module script is fetched with the page's Origin, so the gateway does not even hand it the script.
		assert.equal(await scriptStatus, 403);
		assert.equal(await page.locator('#token').count(), 0);
		// A script of its own on that page still cannot open the socket: the upgrade is refused before any secret.
		const outcome = await page.evaluate(
			async (url) =>
				new Promise<string>((resolve) => {
					const socket = new WebSocket(url);
					socket.onopen = () => resolve('open');
					socket.onclose = (event) => resolve(`closed ${event.code}`);
				}),
			`ws://evil.test:${port}/`,
		);
		assert.equal(outcome, 'closed 1006');
		const deadline = Date.now() + 10_000;
		while (!(await logText()).includes('refused websocket upgrade from a foreign origin')) {
			assert.ok(Date.now() < deadline, 'the gateway log never said it refused the upgrade');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}

		await page.close();
	});

	test('Sessions lists a session the gateway holds; Channels shows the configured Telegram account', async () => {
		const page = await browser.newPage();
		await page.goto(`${base()}/`);
		await logIn(page, token);
		await page.waitForSelector('#link:has-text("connected")', {timeout: 15_000});
		// A chat turn over the protocol (the echo agent answers offline): the gateway now holds its session.
		const writer = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}, scopes: ['operator.write', 'operator.read']});
		const sent = await writer.call('chat.send', {sessionKey: 'control-ui-check', message: 'hello from the test', idempotencyKey: 'control-ui-check-1'});
		writer.close();
		assert.equal(sent.ok, true, JSON.stringify(sent.error));
		// The card reads sessions.list on the page's 5 s poll.
		await page.waitForFunction(() => [...document.querySelectorAll('#sessions tbody td:first-child')].some((cell) => cell.textContent?.includes('control-ui-check')), undefined, {timeout: 15_000});
		const channel = await page.waitForFunction(
			() => [...document.querySelectorAll('#channels .row')].map((row) => `${row.querySelector('dt')?.textContent}: ${row.querySelector('dd')?.textContent}`).find((text) => /telegram/i.test(text)) ?? false,
			undefined,
			{timeout: 15_000},
		);
		assert.match((await channel.jsonValue()) as string, /^telegram: .*(running|connected|polling)/i);
		await page.close();
	});

	test('a second visit connects as the paired device without asking; a revoked device token asks again', async () => {
		const context = await browser.newContext();
		const first = await context.newPage();
		await first.goto(`${base()}/`);
		await logIn(first, token);
		await first.waitForSelector('#link:has-text("connected")', {timeout: 15_000});
		// Paired at once on loopback, the device is issued its token in hello-ok; the page keeps it beside its key.
		const stored = await until('the device token in IndexedDB', async () => storedDeviceToken(first));
		await first.close();

		// A new tab: its sessionStorage is empty, so no shared token; the page connects with the device token.
		const second = await context.newPage();
		const urls: string[] = [];
		second.on('request', (request) => urls.push(request.url()));
		second.on('websocket', (socket) => urls.push(socket.url()));
		await second.goto(`${base()}/`);
		await second.waitForSelector('#link:has-text("connected")', {timeout: 15_000});
		assert.equal(await second.isVisible('#login'), false, 'the token form was never needed');
		assert.equal(await second.evaluate(() => sessionStorage.length), 0);
		await waitForRow(second, 'runtime', 'gateway', /^running/);
		for (const url of urls) {
			assert.ok(!url.includes(stored.token), `device token in a URL: ${url}`);
		}

		assert.ok(!(await second.content()).includes(stored.token), 'device token in the page HTML');
		assert.ok(!(await logText()).includes(stored.token), 'device token in the gateway log');
		assert.ok(!gateway.output().includes(stored.token), 'device token in the gateway output');

		// Revoked: the gateway closes the device's socket, refuses the token on reconnect, and the page asks for the token.
		const admin = await authedSocket(`ws://127.0.0.1:${port}`, {auth: {token}, scopes: ['operator.admin', 'operator.pairing']});
		const revoked = await admin.call('device.token.revoke', {deviceId: stored.deviceId, role: 'operator'});
		admin.close();
		assert.equal(revoked.ok, true, JSON.stringify(revoked.error));
		await second.waitForSelector('#login-error:has-text("no longer accepts")', {timeout: 15_000});
		assert.equal(await second.isVisible('#login'), true);
		assert.equal(await storedDeviceToken(second), undefined, 'the refused device token is dropped');
		await context.close();
	});

	test('behind a basePath, with local pairing off: the socket under the path, the approve command, then in', async () => {
		const proxiedDir = path.join(stateDir, '..', 'proxied');
		const proxiedConfig = path.join(proxiedDir, 'openclaw.json');
		await writeConfig(proxiedConfig, `{gateway: {mode: 'local', auth: {token: '${token}'}, controlUi: {basePath: '/ops/openclaw'}, nodes: {pairing: {autoApproveLocal: false}}}}\n`);
		const proxiedPort = await freePort();
		const proxied = spawnGateway(['gateway', '--port', String(proxiedPort)], isolatedEnv(path.join(stateDir, '..'), {OPENCLAW_STATE_DIR: proxiedDir, OPENCLAW_CONFIG_PATH: proxiedConfig}));
		try {
			await proxied.waitFor(/listening on ws:\/\/127\.0\.0\.1:\d+/, 15_000);
			const page = await browser.newPage();
			const sockets: string[] = [];
			page.on('websocket', (socket) => sockets.push(socket.url()));
			// No trailing slash, as an operator types it.
			await page.goto(`http://127.0.0.1:${proxiedPort}/ops/openclaw`);
			await logIn(page, token);
			const command = (await page.waitForSelector('#approve-command', {timeout: 15_000})).textContent();
			const requestId = /^openclaw devices approve (\S+)$/.exec((await command) ?? '')?.[1];
			assert.ok(requestId, `an approve command with the request id: ${await command}`);
			assert.match((await page.textContent('#device-id')) ?? '', /^device [0-9a-f]{64}$/);
			assert.ok(sockets.length > 0);
			for (const url of sockets) {
				assert.ok(url.startsWith(`ws://127.0.0.1:${proxiedPort}/ops/openclaw/`), `socket outside the basePath: ${url}`);
			}

			// The operator runs the shown command (here with the gateway named); the page's next reconnect gets in.
			const approved = await openclaw(['devices', 'approve', requestId, '--url', `ws://127.0.0.1:${proxiedPort}`, '--token', token], cliEnv(proxiedDir));
			assert.equal(approved.exitCode, 0, approved.stderr);
			await page.waitForSelector('#link:has-text("connected")', {timeout: 15_000});
			assert.equal(await page.isVisible('#pairing'), false);
			await waitForRow(page, 'runtime', 'gateway', /^running/);
			await page.close();
		} finally {
			proxied.kill('SIGTERM');
			await proxied.exited;
		}
	});

	test('the page refuses to be framed', async () => {
		const page = await browser.newPage();
		await page.goto('about:blank');
		// setContent resolves on the load event, which waits for the frame to load or fail.
		await page.setContent(`<iframe id="frame" src="${base()}/"></iframe>`);
		const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
		const framed = frame ? await frame.evaluate(() => document.getElementById('app') !== null).catch(() => false) : false;
		assert.equal(framed, false, 'the Control UI rendered inside a frame');
		assert.match(frame?.url() ?? '', /^chrome-error:/, 'Chromium shows its blocked-frame page');
		await page.close();
	});
});
