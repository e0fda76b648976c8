// The loopback guard that the reference OpenClaw peer runs under (test/reference/loopback-guard.cjs) must itself be
// right, or a peer test could reach the network unseen: on the same Node 24 the peer uses, every way out (a name
// lookup, a resolver query, TCP, fetch, UDP) is refused and logged, while loopback still works.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {execa} from 'execa';
import {ensureReferenceInstalled, guardEntries, unexpectedEscapes} from './helpers/reference-gateway.js';

const guardPath = fileURLToPath(new URL('reference/loopback-guard.cjs', import.meta.url));

// Each attempt prints `<name> refused|allowed`; the addresses are documentation and public ones that must never be
// reached from here (192.0.2.0/24 is TEST-NET-1), and nothing is sent to them: the guard stops it first.
const script = `
const dns = require('node:dns');
const net = require('node:net');
const dgram = require('node:dgram');
const http = require('node:http');
const say = (name, error) => console.log(name + ' ' + (error ? 'refused' : 'allowed'));
const attempt = (name, run) => new Promise((resolve) => run((error) => { say(name, error); resolve(); }));
(async () => {
	const server = http.createServer((request, response) => response.end('ok')).listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	const port = server.address().port;
	await attempt('lookup', (done) => dns.lookup('example.com', (error) => done(error)));
	await attempt('promises.lookup', (done) => dns.promises.lookup('example.org').then(() => done(), done));
	await attempt('resolve4', (done) => dns.resolve4('example.net', (error) => done(error)));
	await attempt('tcp', (done) => { const socket = net.connect(80, '192.0.2.1'); socket.on('connect', () => { socket.destroy(); done(); }); socket.on('error', done); });
	await attempt('tcp-name', (done) => { const socket = net.connect({host: 'example.com', port: 443}); socket.on('connect', () => { socket.destroy(); done(); }); socket.on('error', done); });
	await attempt('fetch', (done) => fetch('http://192.0.2.1/').then(() => done(), done));
	await attempt('udp', (done) => { const socket = dgram.createSocket('udp4'); socket.send('x', 53, '192.0.2.1', (error) => { socket.close(); done(error); }); });
	await attempt('loopback-fetch', (done) => fetch('http://127.0.0.1:' + port + '/').then((r) => r.text()).then(() => done(), done));
	await attempt('localhost-tcp', (done) => { const socket = net.connect(port, 'localhost'); socket.on('connect', () => { socket.destroy(); done(); }); socket.on('error', done); });
	// The code path that asked must be in the log even when the lookup runs after a timer, many frames down:
	// the refusal is excused or not by that name (unexpectedEscapes).
	const deep = (n) => (n === 0 ? dns.promises.lookup('example.edu') : deep(n - 1));
	async function askedFromDeepCaller() { await new Promise((resolve) => setTimeout(resolve, 5)); await deep(15); }
	await attempt('deep-caller', (done) => askedFromDeepCaller().then(() => done(), done));
	server.close();
})();
`;

test('the loopback guard refuses and logs every way off the machine, and leaves loopback alone', {timeout: 120_000}, async () => {
	const install = await ensureReferenceInstalled();
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-guard-'));
	const log = path.join(dir, 'guard.log');
	try {
		const result = await execa(install.node, ['--require', guardPath, '-e', script], {
			env: {PATH: process.env.PATH ?? '/usr/bin:/bin', OPENCLAW_LOOPBACK_GUARD_LOG: log},
			extendEnv: false,
			reject: false,
			timeout: 30_000,
		});
		assert.equal(result.exitCode, 0, String(result.stderr));
		const outcomes = Object.fromEntries(String(result.stdout).trim().split('\n').map((line) => line.split(' ')));
		assert.deepEqual(outcomes, {
			lookup: 'refused',
			'promises.lookup': 'refused',
			resolve4: 'refused',
			tcp: 'refused',
			'tcp-name': 'refused',
			fetch: 'refused',
			udp: 'refused',
			'loopback-fetch': 'allowed',
			'localhost-tcp': 'allowed',
			'deep-caller': 'refused',
		});
		const logged = (await readFile(log, 'utf8')).trim().split('\n');
		for (const target of ['example.com', 'example.org', 'example.net', '192.0.2.1']) {
			assert.ok(logged.some((line) => line.includes(target)), `${target} logged:\n${logged.join('\n')}`);
		}

		assert.ok(!logged.some((line) => line.includes('127.0.0.1') || line.includes('localhost')), logged.join('\n'));
		const deepEntry = guardEntries(logged.join('\n')).find((entry) => entry.includes('example.edu')) ?? '';
		assert.match(deepEntry, /askedFromDeepCaller/, `the asking code path is logged:\n${deepEntry}`);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('only a known refusal, matched by target and code path, is not counted against the reference peer', () => {
	const log = [
		'2026-11-29T02:49:41.354Z dns.promises.lookup clawhub.ai',
		'    at fetchWithSsrFGuard (file:///x/fetch-guard.mjs:419:9)',
		'    at async loadHostedOfficialExternalPluginCatalogEntries (file:///x/catalog-hosted.mjs:280:19)',
		'2026-11-29T02:49:42.000Z dns.promises.lookup clawhub.ai',
		'    at async somethingElse (file:///x/other.mjs:1:1)',
		'2026-11-29T02:49:43.000Z connect 192.0.2.1',
		'    at async loadHostedOfficialExternalPluginCatalogEntries (file:///x/catalog-hosted.mjs:280:19)',
		'',
	].join('\n');
	const entries = guardEntries(log);
	assert.equal(entries.length, 3);
	assert.deepEqual(
		unexpectedEscapes(entries).map((entry) => entry.split('\n')[0]),
		['2026-11-29T02:49:42.000Z dns.promises.lookup clawhub.ai', '2026-11-29T02:49:43.000Z connect 192.0.2.1'],
	);
});
