// Lighthouse-style budgets for the Control UI against a local `openclaw gateway`: the page's weight (HTML, script,
// stylesheet; raw and gzip) and the time from navigation to the first full render (Runtime running with a probe
// figure, the reload mode and log lines on screen) in headless Chromium, cold (a new browser context each round).
// Run: node --import tsx bench/control-ui.ts [rounds] [--short]   (needs /usr/bin/chromium; skips without it)
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {execa} from 'execa';
import {chromium} from 'playwright-core';
import {freeLoopbackPort as freePort} from '../source/supervisor/loopback.js';

const chromiumPath = '/usr/bin/chromium';
const token = 'bench-control-ui-token';
const cli = fileURLToPath(new URL('../bin/openclaw.js', import.meta.url));
const budgets = {weightGzipBytes: 40 * 1024, firstRenderMs: 1500};

if (!existsSync(chromiumPath)) {
	console.log(`control-ui: skipped (${chromiumPath} is missing: apt-get install chromium)`);
	process.exit(0);
}

const rounds = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? (process.argv.includes('--short') ? 3 : 10));
const home = await mkdtemp(path.join(os.tmpdir(), 'openclaw-bench-ui-'));
const stateDir = path.join(home, 'state');
await mkdir(stateDir, {recursive: true, mode: 0o700});
const configPath = path.join(stateDir, 'openclaw.json');
await writeFile(configPath, `{gateway: {mode: 'local', auth: {token: '${token}'}}}\n`, {mode: 0o600});
const port = await freePort();
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OPENCLAW_')));
const gateway = execa('node', [cli, 'gateway', '--port', String(port)], {
	env: {...env, HOME: home, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath},
	extendEnv: false,
	reject: false,
	stdin: 'ignore',
});
const browser = await chromium.launch({
	executablePath: chromiumPath,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
	const base = `http://127.0.0.1:${port}`;
	for (let tries = 0; ; tries++) {
		const ready = await fetch(`${base}/readyz`).then((res) => res.ok).catch(() => false);
		if (ready) {
			break;
		}

		if (tries > 150) {
			throw new Error('the gateway did not become ready');
		}

		await new Promise((resolve) => setTimeout(resolve, 100));
	}

	const weights = await Promise.all(
		['/', '/control-ui.js', '/control-ui.css'].map(async (file) => {
			const body = Buffer.from(await (await fetch(`${base}${file}`)).arrayBuffer());
			return {file, raw: body.length, gzip: gzipSync(body).length};
		}),
	);
	for (const {file, raw, gzip} of weights) {
		console.log(`weight ${file.padEnd(16)} ${String(raw).padStart(7)} B   gzip ${String(gzip).padStart(6)} B`);
	}

	const total = weights.reduce((sum, item) => ({raw: sum.raw + item.raw, gzip: sum.gzip + item.gzip}), {raw: 0, gzip: 0});
	console.log(`weight total            ${String(total.raw).padStart(7)} B   gzip ${String(total.gzip).padStart(6)} B   budget ${budgets.weightGzipBytes} B gzip: ${total.gzip <= budgets.weightGzipBytes ? 'ok' : 'OVER'}`);

	const times: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const context = await browser.newContext();
		// The token as the login form leaves it: in this tab's sessionStorage. Timed from navigation to the full render.
		await context.addInitScript((secret) => sessionStorage.setItem('openclaw.controlUi.token', secret), token);
		const page = await context.newPage();
		const started = performance.now();
		await page.goto(`${base}/`);
		await page.waitForFunction(
			() =>
				/^ok /.test([...document.querySelectorAll('#runtime .row')].find((row) => row.querySelector('dt')?.textContent === 'probe')?.querySelector('dd')?.textContent ?? '') &&
				document.querySelectorAll('#reload .row').length > 1 &&
				document.querySelectorAll('#logs li').length > 0,
			undefined,
			{timeout: 15_000, polling: 'raf'},
		);
		times.push(performance.now() - started);
		await context.close();
	}

	times.sort((a, b) => a - b);
	const median = times[Math.floor((times.length - 1) / 2)]!;
	console.log(
		`first full render (${rounds} cold loads): median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}   budget ${budgets.firstRenderMs} ms: ${median <= budgets.firstRenderMs ? 'ok' : 'OVER'}`,
	);
} finally {
	await browser.close();
	gateway.kill('SIGTERM');
	await gateway;
	await rm(home, {recursive: true, force: true});
}
