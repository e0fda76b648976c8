// `openclaw devices list|approve|reject|revoke` against the real gateway process with local pairing off
// (`gateway.nodes.pairing.autoApproveLocal: false`), so a device connecting over loopback with its Ed25519 identity
// waits as a request: it is listed (table and --json), approving lets it in, rejecting leaves it out, revoking ends
// its device token and closes its socket (4001). Bad arguments exit 2 before any connect; an unknown request id or
// device exits 1 naming `devices list`; a gateway that does not list the methods in its hello-ok is never asked.
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {devicesRequestArgument, pairedTable, pendingTable} from '../source/commands/devices.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';
import {connectAsDevice, newDevice} from './helpers/device.js';
import {freePort} from './helpers/gateway.js';
import {listingGateway} from './helpers/listing-gateway.js';
import {referenceVersion, runReferenceCli} from './helpers/reference-gateway.js';

let instance: Instance;
let gateway: GatewayProcess | undefined;
let url: string;

const operator = (auth: Record<string, unknown>) => ({client: {id: 'openclaw-macos', version: '1', platform: 'darwin', mode: 'ui'}, scopes: ['operator.read'], auth});

before(async () => {
	const port = await freePort();
	const token = `token-${Date.now()}`;
	instance = await makeInstance({
		port,
		token,
		config: {gateway: {mode: 'local', port, auth: {mode: 'token', token}, nodes: {pairing: {autoApproveLocal: false}}}},
	});
	url = `ws://127.0.0.1:${port}`;
	gateway = await startGatewayProcess(instance);
});

after(async () => {
	await gateway?.stop();
	await instance?.cleanup();
});

/** Connect as `keys` with the shared token: refused with PAIRING_REQUIRED until approved; the request id. */
async function waitingRequest(keys: ReturnType<typeof newDevice>): Promise<string> {
	const {res} = await connectAsDevice(url, keys, operator({token: instance.token}));
	assert.equal(res.ok, false);
	assert.equal(res.error.details.code, 'PAIRING_REQUIRED');
	return res.error.details.requestId as string;
}

describe('openclaw devices against the gateway process', {timeout: 120_000}, () => {
	test('list shows the waiting devices; approve lets one in; reject leaves the other out; revoke ends the token (4001)', async () => {
		const first = newDevice();
		const second = newDevice();
		const firstRequest = await waitingRequest(first);
		const secondRequest = await waitingRequest(second);

		const json = await openclaw(['devices', 'list', '--json'], instance.env);
		assert.equal(json.exitCode, 0, json.stderr);
		const listed = JSON.parse(json.stdout) as {pending: Array<{requestId: string; deviceId: string; role: string}>; paired: unknown[]};
		assert.deepEqual(listed.pending.map((entry) => [entry.requestId, entry.deviceId, entry.role]).sort(), [[firstRequest, first.id, 'operator'], [secondRequest, second.id, 'operator']].sort());
		assert.deepEqual(listed.paired, []);
		const human = await openclaw(['devices', 'list'], instance.env);
		assert.equal(human.exitCode, 0, human.stderr);
		assert.match(human.stdout, /^Pending \(2\)\nREQUEST\s+DEVICE\s+ROLE\s+SCOPES\s+CLIENT\s+REQUESTED\n/);
		assert.match(human.stdout, new RegExp(`${firstRequest}\\s+${first.id.slice(0, 12)}\\s+operator\\s+operator\\.read\\s+openclaw-macos/ui\\s+just now`));
		assert.match(human.stdout, /Approve one with: openclaw devices approve <requestId>/);
		assert.doesNotMatch(human.stdout, /\u001B\[/, 'NO_COLOR: no escape codes');

		// Without a request id: the newest request and the exact command, nothing approved (OpenClaw's form).
		const shown = await openclaw(['devices', 'approve'], instance.env);
		assert.equal(shown.exitCode, 1, shown.stdout);
		assert.match(shown.stderr, new RegExp(`Approve this exact request with: openclaw devices approve (${firstRequest}|${secondRequest})`));

		const unknown = await openclaw(['devices', 'approve', 'no-such-request'], instance.env);
		assert.equal(unknown.exitCode, 1, unknown.stdout);
		assert.match(unknown.stderr, /no pending device pairing request no-such-request .*List them: openclaw devices list/);
		const unknownJson = await openclaw(['devices', 'reject', 'no-such-request', '--json'], instance.env);
		assert.equal(unknownJson.exitCode, 1);
		assert.equal((JSON.parse(unknownJson.stdout) as {ok: boolean}).ok, false);

		const approved = await openclaw(['devices', 'approve', firstRequest], instance.env);
		assert.equal(approved.exitCode, 0, approved.stderr);
		assert.match(approved.stdout, new RegExp(`Approved device ${first.id} \\(request ${firstRequest}, role operator\\)`));
		const admitted = await connectAsDevice(url, first, operator({token: instance.token}));
		assert.equal(admitted.res.ok, true, JSON.stringify(admitted.res.error));
		const deviceToken = admitted.res.payload.auth.deviceToken as string;
		assert.ok(deviceToken);
		admitted.socket.close();

		const rejected = await openclaw(['devices', 'reject', secondRequest, '--json'], instance.env);
		assert.equal(rejected.exitCode, 0, rejected.stderr);
		assert.deepEqual(JSON.parse(rejected.stdout), {requestId: secondRequest, deviceId: second.id});
		const stillOut = await connectAsDevice(url, second, operator({token: instance.token}));
		assert.equal(stillOut.res.ok, false, 'a rejected device is not let in');
		assert.equal(stillOut.res.error.details.code, 'PAIRING_REQUIRED');

		// The paired device on its device token alone, connected while the token is revoked.
		const linked = await connectAsDevice(url, first, operator({deviceToken}));
		assert.equal(linked.res.ok, true, JSON.stringify(linked.res.error));
		const withPaired = await openclaw(['devices', 'list'], instance.env);
		assert.equal(withPaired.exitCode, 0, withPaired.stderr);
		assert.match(withPaired.stdout, /Paired \(1\)\nDEVICE\s+ROLES\s+SCOPES\s+CLIENT\s+PAIRED\s+CONNECTED\n/);
		assert.match(withPaired.stdout, new RegExp(`${first.id}\\s+operator\\s+operator\\.read\\s+openclaw-macos/ui\\s+just now\\s+yes`));

		const revoked = await openclaw(['devices', 'revoke', '--device', first.id, '--role', 'operator'], instance.env);
		assert.equal(revoked.exitCode, 0, revoked.stderr);
		assert.match(revoked.stdout, new RegExp(`Revoked the operator token of device ${first.id}`));
		assert.deepEqual(await linked.socket.closedWith(), {code: 4001, reason: 'device removed'});
		const refused = await connectAsDevice(url, first, operator({deviceToken}));
		assert.equal(refused.res.error.details.code, 'AUTH_DEVICE_TOKEN_MISMATCH');
		refused.socket.close();

		const revokedAgain = await openclaw(['devices', 'revoke', '--device', first.id, '--role', 'node'], instance.env);
		assert.equal(revokedAgain.exitCode, 1, revokedAgain.stdout);
		assert.match(revokedAgain.stderr, /unknown device token.*openclaw devices list/);
	});

	// peers-reference-cli.test.ts runs OpenClaw's `devices list` on an empty store; here it reads a pending request and
	// a paired device from ours (after the test above: that one is paired, the rejected one has asked again).
	test(`OpenClaw ${referenceVersion}'s own devices list reads our pending and paired devices`, async () => {
		const waiting = newDevice();
		const requestId = await waitingRequest(waiting);
		const ours = JSON.parse((await openclaw(['devices', 'list', '--json'], instance.env)).stdout) as {paired: Array<{deviceId: string}>};
		assert.equal(ours.paired.length, 1);
		const home = path.join(instance.dir, 'reference-home');
		const clientState = path.join(home, '.openclaw');
		await mkdir(clientState, {recursive: true, mode: 0o700});
		await writeFile(path.join(clientState, 'openclaw.json'), JSON.stringify({gateway: {mode: 'local', port: instance.port, auth: {mode: 'token', token: instance.token}}}), {mode: 0o600});
		const env = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, OPENCLAW_STATE_DIR: clientState, OPENCLAW_GATEWAY_PORT: String(instance.port), OPENCLAW_GATEWAY_TOKEN: instance.token};
		const result = await runReferenceCli(['devices', 'list'], env);
		assert.deepEqual(result.guard, [], 'the reference CLI stayed on loopback');
		assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
		assert.match(result.stdout, /Pending/);
		assert.ok(result.stdout.includes(requestId), result.stdout);
		assert.ok(result.stdout.includes(ours.paired[0]!.deviceId), result.stdout);
		assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /undefined|unknown method|missing scope|NaN/);
	});

	test('bad arguments exit 2 before connecting (an unreachable gateway would be exit 1)', async () => {
		const nowhere = ['--url', 'ws://127.0.0.1:9', '--token', 'x'];
		for (const args of [
			['devices', 'list', 'extra'],
			['devices', 'approve', 'a', 'b'],
			['devices', 'approve', 'a', '--latest'],
			['devices', 'reject'],
			['devices', 'reject', 'a', 'b'],
			['devices', 'revoke'],
			['devices', 'revoke', '--device', 'abc'],
			['devices', 'revoke', 'abc', '--role', 'operator'],
			['devices', 'list', '--bogus'],
		]) {
			const result = await openclaw([...args, ...nowhere], instance.env);
			assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
		}

		const help = await openclaw(['devices', 'revoke', '--help'], instance.env);
		assert.equal(help.exitCode, 0);
		assert.match(help.stdout, /openclaw devices revoke --device <id> --role <role>/);
	});

	test('a gateway whose hello-ok does not list the device methods is told so and never asked', async () => {
		const minimal = await listingGateway(['health', 'status'], {});
		try {
			for (const args of [['devices', 'list'], ['devices', 'approve', 'r1'], ['devices', 'revoke', '--device', 'd', '--role', 'operator']]) {
				const result = await openclaw([...args, '--url', minimal.url, '--token', 'x'], instance.env);
				assert.equal(result.exitCode, 1, result.stdout);
				assert.match(result.stderr, /this gateway \(2026\.1\.1-minimal\) does not serve device\.(pair\.list|token\.revoke)/);
			}

			assert.deepEqual(minimal.requested.filter((method) => method !== 'connect'), []);
		} finally {
			await minimal.close();
		}
	});
});

test('devicesRequestArgument: approve takes an id or none (--latest), reject exactly one', () => {
	assert.equal(devicesRequestArgument('approve', ['r1'], false), 'r1');
	assert.equal(devicesRequestArgument('approve', [], false), undefined);
	assert.equal(devicesRequestArgument('approve', [], true), undefined);
	assert.throws(() => devicesRequestArgument('approve', ['r1'], true), /not both/);
	assert.throws(() => devicesRequestArgument('approve', ['r1', 'r2'], false), /too many arguments/);
	assert.equal(devicesRequestArgument('reject', [' r1 '], false), 'r1');
	assert.throws(() => devicesRequestArgument('reject', [], false), /name the request/);
});

test('pendingTable and pairedTable line up id, role, scopes, client and age', () => {
	const now = Date.parse('2026-11-29T12:00:00Z');
	const device = 'ab'.repeat(32);
	assert.deepEqual(
		pendingTable([{requestId: 'req-1', deviceId: device, role: 'operator', scopes: ['operator.read', 'operator.write'], clientId: 'openclaw-control-ui', clientMode: 'webchat', ts: now - 3 * 60_000}], now),
		['REQUEST  DEVICE        ROLE      SCOPES                        CLIENT                       REQUESTED', `req-1    ${device.slice(0, 12)}  operator  operator.read,operator.write  openclaw-control-ui/webchat  3m ago`],
	);
	assert.deepEqual(pairedTable([{deviceId: device, role: 'node', roles: ['node'], scopes: [], approvedAtMs: now - 90 * 60_000, connected: false}], now), [
		`DEVICE${' '.repeat(58)}  ROLES  SCOPES  CLIENT  PAIRED      CONNECTED`,
		`${device}  node   -       -       1h 30m ago  no`,
	]);
	assert.deepEqual(pendingTable([], now), []);
});
