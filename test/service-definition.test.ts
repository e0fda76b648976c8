// Service definitions as files: the systemd user unit and the LaunchAgent plist rendered from a plan, parsed back,
// and compared with the current config to find drift. Pure; no service manager needed.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {parseLaunchdPlist, renderLaunchdPlist} from '../source/supervisor/service-launchd-plist.js';
import {definitionDrift, launchdLabel, servicePlan, systemdUnitName} from '../source/supervisor/service-plan.js';
import {parseSystemdUnit, renderSystemdUnit} from '../source/supervisor/service-systemd-unit.js';
import {detectManager} from '../source/supervisor/service.js';

const plan = servicePlan({
	profile: 'rescue',
	stateDir: '/home/op/.openclaw-rescue',
	configPath: '/home/op/.openclaw-rescue/openclaw.json',
	port: 19002,
	nodePath: '/usr/bin/node',
	entry: '/opt/open claw/bin/openclaw.js',
	home: '/home/op',
	pathEnv: '/usr/local/bin:/usr/bin',
});

async function roundTrip(text: string, name: string): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-unit-'));
	try {
		await writeFile(path.join(dir, name), text);
		return await readFile(path.join(dir, name), 'utf8');
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}

describe('service names', () => {
	it('follow OpenClaw: openclaw-gateway[-profile].service, ai.openclaw.gateway / ai.openclaw.<profile>', () => {
		assert.equal(systemdUnitName(), 'openclaw-gateway.service');
		assert.equal(systemdUnitName('rescue'), 'openclaw-gateway-rescue.service');
		assert.equal(launchdLabel(), 'ai.openclaw.gateway');
		assert.equal(launchdLabel('main'), 'ai.openclaw.main');
	});
});

describe('the plan', () => {
	it('runs `<node> <entry> gateway --port N` with the profile selectors and service markers in its env', () => {
		assert.deepEqual(plan.programArguments, ['/usr/bin/node', '/opt/open claw/bin/openclaw.js', 'gateway', '--port', '19002']);
		assert.equal(plan.env.OPENCLAW_STATE_DIR, '/home/op/.openclaw-rescue');
		assert.equal(plan.env.OPENCLAW_CONFIG_PATH, '/home/op/.openclaw-rescue/openclaw.json');
		assert.equal(plan.env.OPENCLAW_GATEWAY_PORT, '19002');
		assert.equal(plan.env.OPENCLAW_PROFILE, 'rescue');
		assert.equal(plan.env.OPENCLAW_SERVICE_MARKER, 'openclaw');
		assert.equal(plan.env.OPENCLAW_SERVICE_KIND, 'gateway');
		assert.equal(plan.workingDirectory, '/home/op/.openclaw-rescue');
	});
});

describe('systemd user unit', () => {
	it('has the reference fields and quotes paths with spaces', async () => {
		const unit = await roundTrip(renderSystemdUnit(plan), 'openclaw-gateway-rescue.service');
		for (const line of [
			'[Unit]',
			'After=network-online.target',
			'Wants=network-online.target',
			'StartLimitBurst=10',
			'StartLimitIntervalSec=300',
			'[Service]',
			'ExecStart=/usr/bin/node "/opt/open claw/bin/openclaw.js" gateway --port 19002',
			'Restart=always',
			'RestartSec=5',
			'RestartPreventExitStatus=78',
			'SuccessExitStatus=0 143',
			'KillMode=mixed',
			'WorkingDirectory=/home/op/.openclaw-rescue',
			'Environment=OPENCLAW_STATE_DIR=/home/op/.openclaw-rescue',
			'Environment=OPENCLAW_SERVICE_MARKER=openclaw',
			'[Install]',
			'WantedBy=default.target',
		]) {
			assert.ok(unit.split('\n').includes(line), `unit has ${line}\n${unit}`);
		}
	});

	it('parses back to the same command, env and working dir: no drift', () => {
		const parsed = parseSystemdUnit(renderSystemdUnit(plan));
		assert.deepEqual(parsed.programArguments, plan.programArguments);
		assert.deepEqual(parsed.env, plan.env);
		assert.deepEqual(definitionDrift(parsed, plan), []);
	});

	it('drift names what changed: port, paths', () => {
		const installed = parseSystemdUnit(renderSystemdUnit(plan));
		const moved = servicePlan({...plan, profile: 'rescue', stateDir: '/srv/oc', configPath: '/srv/oc/openclaw.json', port: 19003, nodePath: '/usr/bin/node', entry: '/opt/open claw/bin/openclaw.js', home: '/home/op', pathEnv: '/usr/local/bin:/usr/bin'});
		const keys = definitionDrift(installed, moved).map((item) => item.key);
		assert.deepEqual(keys, ['command', 'OPENCLAW_STATE_DIR', 'OPENCLAW_CONFIG_PATH', 'OPENCLAW_GATEWAY_PORT', 'WorkingDirectory']);
		const port = definitionDrift(installed, moved).find((item) => item.key === 'OPENCLAW_GATEWAY_PORT');
		assert.deepEqual(port, {key: 'OPENCLAW_GATEWAY_PORT', installed: '19002', expected: '19003'});
	});
});

describe('LaunchAgent plist', () => {
	it('is a plist with the label, program arguments, env, KeepAlive and log paths', async () => {
		const text = await roundTrip(renderLaunchdPlist(plan, 'ai.openclaw.rescue'), 'ai.openclaw.rescue.plist');
		assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
		assert.match(text, /<key>Label<\/key>\s*<string>ai\.openclaw\.rescue<\/string>/);
		assert.match(text, /<key>RunAtLoad<\/key>\s*<true\/>/);
		assert.match(text, /<key>KeepAlive<\/key>/);
		assert.match(text, /<key>StandardOutPath<\/key>\s*<string>\/home\/op\/\.openclaw-rescue\/service\/gateway\.log<\/string>/);
		const parsed = parseLaunchdPlist(text);
		assert.deepEqual(parsed.programArguments, plan.programArguments);
		assert.deepEqual(parsed.env, plan.env);
		assert.equal(parsed.workingDirectory, plan.workingDirectory);
		assert.deepEqual(definitionDrift(parsed, plan), []);
	});

	it('escapes XML in values', () => {
		const odd = servicePlan({...plan, profile: undefined, stateDir: '/tmp/a&b<c>', configPath: '/tmp/a&b<c>/x.json', nodePath: '/usr/bin/node', entry: '/e.js', home: '/h', port: 1});
		const text = renderLaunchdPlist(odd, launchdLabel());
		assert.match(text, /\/tmp\/a&amp;b&lt;c&gt;/);
		assert.equal(parseLaunchdPlist(text).env.OPENCLAW_STATE_DIR, '/tmp/a&b<c>');
	});
});

describe('choosing a service manager', () => {
	it('honours OPENCLAW_SERVICE_MANAGER, uses launchd on macOS, and falls back to detached with a reason', () => {
		assert.deepEqual(detectManager({OPENCLAW_SERVICE_MANAGER: 'systemd'}), {kind: 'systemd'});
		assert.throws(() => detectManager({OPENCLAW_SERVICE_MANAGER: 'upstart'}), /not one of systemd, launchd, detached/);
		assert.deepEqual(detectManager({}, 'darwin'), {kind: 'launchd'});
		const fallback = detectManager({}, 'freebsd');
		assert.equal(fallback.kind, 'detached');
		assert.match(fallback.note!, /no supported service manager on freebsd/);
	});
});
