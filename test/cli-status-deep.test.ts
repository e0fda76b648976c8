// openclaw status --deep (live channel probes, the health RPC) and --all (plus this machine's view), against a real
// gateway process with a webhook channel whose service is a loopback stand-in, and against none (issues 16, 10).
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {freePort} from './helpers/gateway.js';
import {gatewayWithWebhookPerSuite} from './helpers/webhook-gateway.js';
import {makeInstance, openclaw, type Instance} from './helpers/cli-process.js';

describe('status --deep / --all against a running gateway', () => {
	const suite = gatewayWithWebhookPerSuite('status-deep-token');


	it('status --deep probes the channels live and adds health; exit 0 while they work', async () => {
		suite.setHookStatus(200);
		const before = suite.hookHits();
		const result = await openclaw(['status', '--deep'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stdout + result.stderr);
		assert.ok(suite.hookHits() > before, 'the webhook service was probed');
		assert.match(result.stdout, /^Channels: 1 \(1 ready\), probed live$/m);
		assert.match(result.stdout, /^ {2}- Webhook: .*works \(\d+ ms\)/m);
		assert.match(result.stdout, /^Health: ok \(\d+ ms\)$/m);
		assert.match(result.stdout, /^Budgets: authFailures ok.*preAuthSockets ok/m);
	});

	it('status --deep: a failing live probe is shown and fails the command (exit 1)', async () => {
		suite.setHookStatus(503);
		try {
			const result = await openclaw(['status', '--deep'], suite.instance().env);
			assert.equal(result.exitCode, 1);
			assert.match(result.stdout, /^ {2}- Webhook: .*probe failed \(\d+ ms\): .*503/m);
			assert.match(result.stdout, /^Channels: 1 \(0 ready, 1 failing\), probed live$/m);
		} finally {
			suite.setHookStatus(200);
		}
	});

	it('status --deep --json carries the probes and the health payload', async () => {
		const result = await openclaw(['status', '--deep', '--json'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		const json = JSON.parse(result.stdout);
		assert.equal(json.ok, true);
		assert.equal(json.channelsProbed, true);
		assert.equal(json.channels[0].probe.ok, true);
		assert.equal(json.health.ok, true);
		assert.equal(typeof json.health.ms, 'number');
		assert.ok(json.health.payload.budgets, 'the health payload');
		assert.equal(json.local, undefined, 'local facts only with --all');
	});

	it('status --all: this machine\'s view too (version, service, config validity, state dir, log file, process)', async () => {
		const result = await openclaw(['status', '--all'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stdout + result.stderr);
		assert.match(result.stdout, /^Version: openclaw \S+ \(Node v\d+\.\d+\.\d+, \w+ \w+\)$/m);
		assert.match(result.stdout, /^Service: openclaw-gateway \(detached; not installed\)$/m);
		assert.match(result.stdout, /^Config file: valid$/m);
		assert.match(result.stdout, new RegExp(`^State dir: ${suite.instance().stateDir.replaceAll('.', '\\.')}$`, 'm'));
		assert.match(result.stdout, new RegExp(`^Logs: ${suite.instance().stateDir.replaceAll('.', '\\.')}/logs/gateway\\.log$`, 'm'));
		assert.match(result.stdout, /^Process: rss \d+ MB, heap \d+ MB; connections \d+ \(\d+ authenticated\)$/m);
		assert.match(result.stdout, /probed live/, '--all implies --deep');
		assert.match(result.stdout, /^Health: ok/m);
		const json = JSON.parse((await openclaw(['status', '--all', '--json'], suite.instance().env)).stdout);
		assert.equal(json.local.service.manager, 'detached');
		assert.equal(json.local.config.valid, true);
		assert.equal(json.local.logFile, `${suite.instance().stateDir}/logs/gateway.log`);
		assert.equal(typeof json.local.cli.version, 'string');
		assert.equal(typeof json.process.rssBytes, 'number');
		assert.equal(json.channelsProbed, true);
	});

	it('status --all --json: one document with the gateway\'s answers, the live probes, health and this machine\'s facts; exit 0', async () => {
		suite.setHookStatus(200);
		const before = suite.hookHits();
		const result = await openclaw(['status', '--all', '--json'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stdout + result.stderr);
		assert.equal(result.stderr, '');
		const json = JSON.parse(result.stdout);
		const {port, stateDir, configPath} = suite.instance();
		assert.equal(json.ok, true);
		// The gateway's own answers: this very process, where it listens.
		assert.equal(json.gateway.url, `ws://127.0.0.1:${port}`);
		assert.equal(json.gateway.reachable, true);
		assert.equal(json.gateway.status, 'running');
		assert.equal(json.gateway.pid, suite.gateway().process.pid);
		assert.equal(json.gateway.port, port);
		assert.deepEqual(json.config, {path: configPath, stateDir, gatewayConfig: 'local'});
		assert.deepEqual(json.agents.map((agent: {id: string}) => agent.id), ['main']);
		assert.equal(json.configReload.hotReloadStatus, 'active');
		// --all implies --deep: the channel was probed live, and health answered.
		assert.ok(suite.hookHits() > before, 'the webhook service was probed');
		assert.equal(json.channelsProbed, true);
		assert.equal(json.channels[0].id, 'webhook');
		assert.equal(json.channels[0].readiness, 'ready');
		assert.deepEqual({ok: json.channels[0].probe.ok, status: json.channels[0].probe.status}, {ok: true, status: 200});
		assert.equal(json.health.ok, true);
		assert.equal(json.health.payload.channels.webhook.probe.ok, true);
		// What only this machine knows.
		assert.deepEqual(Object.keys(json.local).sort(), ['cli', 'config', 'logFile', 'service', 'stateDir']);
		assert.match(json.local.cli.version, /^\d+\.\d+\.\d+/);
		assert.equal(json.local.cli.node, process.version);
		assert.deepEqual(
			{manager: json.local.service.manager, label: json.local.service.label, installed: json.local.service.installed, detail: json.local.service.detail},
			{manager: 'detached', label: 'openclaw-gateway', installed: false, detail: 'not installed'},
		);
		assert.deepEqual(json.local.config, {path: configPath, exists: true, valid: true});
		assert.equal(json.local.stateDir, stateDir);
		assert.equal(json.local.logFile, `${stateDir}/logs/gateway.log`);
		assert.ok(json.process.rssBytes > 0 && json.process.heapUsedBytes > 0, JSON.stringify(json.process));
		assert.ok(json.connections.authenticated >= 1 && json.connections.total >= json.connections.authenticated, JSON.stringify(json.connections));
	});

	it('status --all --json with a failing live probe: ok false in the document, exit 1', async () => {
		suite.setHookStatus(503);
		try {
			const result = await openclaw(['status', '--all', '--json'], suite.instance().env);
			assert.equal(result.exitCode, 1, result.stdout);
			const json = JSON.parse(result.stdout);
			assert.equal(json.ok, false);
			assert.equal(json.channels[0].probe.ok, false);
			assert.equal(json.channels[0].probe.status, 503);
			assert.equal(json.local.config.valid, true, 'the local facts are there all the same');
		} finally {
			suite.setHookStatus(200);
		}
	});

	it('plain status keeps its one screen: no live probe, no local facts', async () => {
		const before = suite.hookHits();
		const result = await openclaw(['status'], suite.instance().env);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.equal(suite.hookHits(), before, 'no probe');
		assert.doesNotMatch(result.stdout, /probed live|^Health:|^Version:|^Service:/m);
	});

	it('--help documents --deep, --all and the exit codes', async () => {
		const help = await openclaw(['status', '--help'], suite.instance().env);
		assert.equal(help.exitCode, 0);
		assert.match(help.stdout, /--deep +Also run each channel's live probe/);
		assert.match(help.stdout, /--all +Everything status knows/);
		assert.match(help.stdout, /Exit codes: 0 ok; 1 gateway down or auth failed, or \(--deep, --all\) a channel probe or health failed/);
	});
});

describe('status --all with no gateway', () => {
	let instance: Instance;

	before(async () => {
		instance = await makeInstance({port: await freePort()});
	});

	after(async () => {
		await instance?.cleanup();
	});

	it('still prints what this machine knows (service, config, log file), then the failure; exit 1', async () => {
		const result = await openclaw(['status', '--all'], instance.env);
		assert.equal(result.exitCode, 1);
		assert.match(result.stdout, /^Gateway: ws:\/\/127\.0\.0\.1:\d+ not reachable$/m);
		assert.match(result.stdout, /^Service: openclaw-gateway \(detached; not installed\)$/m);
		assert.match(result.stdout, /^Logs: .*\/logs\/gateway\.log$/m);
		assert.match(result.stderr, /Gateway not reachable at/);
		const json = JSON.parse((await openclaw(['status', '--all', '--json'], instance.env)).stdout);
		assert.equal(json.ok, false);
		assert.equal(json.local.service.manager, 'detached');
	});
});
