// The Control UI in a real headless Chromium (Debian's `chromium`, driven by playwright-core; nothing downloaded):
// against the real `openclaw gateway` process, an operator logs in with the token, sees Runtime running and the
// probe, toggles the reload mode (the file on disk changes), follows a log line written after the page opened and
// restarts the gateway. A wrong token, a foreign origin and a frame are refused; the token shows up in no URL, no log
// and no HTML. The screenshot in the README is taken here (media/control-ui.png).
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {chromium, type Browser, type Page} from 'playwright-core';
import {freePort, RawSocket, tempDir} from './helpers/gateway.js';
import {isolatedEnv, spawnGateway, writeConfig, type GatewayProcess} from './helpers/gateway-process.js';

const chromiumPath = '/usr/bin/chromium';
const token = 'control-ui-token-5f1c9a2e';
// The README picture is this test's screenshot: written to media/ only when asked (OPENCLAW_WRITE_MEDIA=1), so a
// test run leaves the checkout as it was; otherwise it goes to the run's temp dir and is only checked.
const mediaPath = fileURLToPath(new URL('../media/control-ui.png', import.meta.url));

let gateway: GatewayProcess;
let port: number;
let stateDir: string;
let configPath: string;
let cleanup: () => Promise<void>;
let browser: Browser;

before(async () => {
	let home: string;
	({dir: home, cleanup} = await tempDir('openclaw-control-ui-'));
	stateDir = path.join(home, 'state');
	configPath = path.join(stateDir, 'openclaw.json');
	await writeConfig(configPath, `// written by the test\n{gateway: {mode: 'local', auth: {token: '${token}'}, reload: {mode: 'hybrid'}}, logging: {level: 'info'}}\n`);
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

		// Restart asks first, with Cancel focused; then the gateway goes down and comes back.
		await page.click('#restart');
		assert.equal(await page.isVisible('#confirm'), true);
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'cancel-restart');
		await page.click('#confirm-restart');
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
