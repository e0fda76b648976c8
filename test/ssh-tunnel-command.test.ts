// The pure half of SshTunnel: target parsing, the ssh argv, and ssh's errors turned into one clear message.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {describeSshFailure, parseSshTarget, remoteGatewayDown, sshTunnelArgs} from '../source/supervisor/ssh-command.js';

describe('ssh target', () => {
	test('user@host, user@host:port, host, IPv6 in brackets', () => {
		assert.deepEqual(parseSshTarget('ops@gw.example'), {user: 'ops', host: 'gw.example', port: undefined, display: 'ops@gw.example'});
		assert.deepEqual(parseSshTarget('ops@10.0.0.5:2222'), {user: 'ops', host: '10.0.0.5', port: 2222, display: 'ops@10.0.0.5:2222'});
		assert.equal(parseSshTarget('gw').user, undefined);
		assert.deepEqual(parseSshTarget('root@[::1]:22'), {user: 'root', host: '::1', port: 22, display: 'root@[::1]:22'});
	});

	test('rejects what ssh would misread, naming the fix', () => {
		for (const bad of ['', '-oProxyCommand=x', 'a b@host', 'ops@host:0', 'ops@host:99999', 'ops@host:x', 'ops@', 'ops@[::1', 'ops@host;rm']) {
			assert.throws(() => parseSshTarget(bad), /invalid ssh target .*use user@host or user@host:port/, bad);
		}
	});
});

describe('ssh argv', () => {
	test('forwards a loopback port to the remote loopback with batch mode, forward-failure exit and keepalives', () => {
		const args = sshTunnelArgs({target: parseSshTarget('ops@gw:2222'), localPort: 40000, remotePort: 18789, identity: '/k/id', knownHostsFile: '/k/kh', strictHostKeyChecking: 'accept-new', configFile: '/dev/null'});
		assert.deepEqual(args, [
			'-N', '-L', '127.0.0.1:40000:127.0.0.1:18789',
			'-p', '2222',
			'-F', '/dev/null',
			'-o', 'BatchMode=yes',
			'-o', 'ExitOnForwardFailure=yes',
			'-o', 'ServerAliveInterval=5',
			'-o', 'ServerAliveCountMax=2',
			'-o', 'ConnectTimeout=10',
			'-i', '/k/id', '-o', 'IdentitiesOnly=yes',
			'-o', 'UserKnownHostsFile=/k/kh',
			'-o', 'StrictHostKeyChecking=accept-new',
			'--', 'ops@gw',
		]);
	});

	test('several gateways on one host: one connection, one -L each', () => {
		const args = sshTunnelArgs({target: parseSshTarget('ops@gw'), localPort: 40000, remotePort: 18789, moreForwards: [{localPort: 40001, remotePort: 19001}]});
		assert.deepEqual(args.slice(0, 5), ['-N', '-L', '127.0.0.1:40000:127.0.0.1:18789', '-L', '127.0.0.1:40001:127.0.0.1:19001']);
	});

	test('without a port, identity or user: only what was given', () => {
		const args = sshTunnelArgs({target: parseSshTarget('gw'), localPort: 1, remotePort: 2, extraArgs: ['-v']});
		assert.ok(!args.includes('-p') && !args.includes('-i') && !args.includes('-F'));
		assert.deepEqual(args.slice(-3), ['-v', '--', 'gw']);
	});
});

describe('ssh failures', () => {
	const target = parseSshTarget('ops@gw:2222');
	test('Permission denied names the key fix and is permanent', () => {
		const failure = describeSshFailure({target, stderr: "Warning: Permanently added '[gw]:2222' (ED25519) to the list of known hosts.\nops@gw: Permission denied (publickey).", exitCode: 255});
		assert.equal(failure.permanent, true);
		assert.match(failure.message, /^ssh to ops@gw:2222 failed: Permission denied \(publickey\)\. Fix: pass --identity/);
	});

	test('a missing identity file is said as such, not as the Permission denied that follows it', () => {
		const failure = describeSshFailure({
			target,
			stderr: 'Warning: Identity file /k/gone not accessible: No such file or directory.\nops@gw: Permission denied (publickey).',
			exitCode: 255,
		});
		assert.equal(failure.permanent, true);
		assert.match(failure.message, /^identity file \/k\/gone not found\. Fix: pass --identity with the path of an ssh private key/);
		const unreadable = describeSshFailure({target, stderr: 'Warning: Identity file /k/key not accessible: Permission denied.\nops@gw: Permission denied (publickey).'});
		assert.match(unreadable.message, /^identity file \/k\/key not readable \(Permission denied\)/);
	});

	test('a dead remote gateway port names the remote host and port, and starting the gateway there', () => {
		const message = remoteGatewayDown(target, 18789);
		assert.match(message, /^nothing answers on gw:18789 on the remote side \(the ssh tunnel to ops@gw:2222 is up\)\. Fix: start the gateway there \(ssh -p 2222 ops@gw openclaw gateway\)/);
		assert.match(remoteGatewayDown(parseSshTarget('root@[::1]:22'), 19001), /nothing answers on \[::1\]:19001 on the remote side.*\(ssh root@::1 openclaw gateway\)/);
	});

	test('Connection refused is worth retrying', () => {
		const failure = describeSshFailure({target, stderr: 'ssh: connect to host gw port 2222: Connection refused', exitCode: 255});
		assert.equal(failure.permanent, false);
		assert.match(failure.message, /Connection refused: nothing accepts ssh there\. Fix: check the host and port/);
	});

	test('host key problems are permanent, and the fix names a command ssh understands (ssh -p PORT user@host)', () => {
		const failure = describeSshFailure({target, stderr: 'No ED25519 host key is known for [gw]:2222 and you have requested strict checking.\nHost key verification failed.'});
		assert.equal(failure.permanent, true);
		assert.match(failure.message, /\(ssh -p 2222 ops@gw once\)/);
		assert.doesNotMatch(failure.message, /ssh ops@gw:2222/);
	});

	test('a busy local port, a lost server, and anything else quoted as is', () => {
		assert.match(describeSshFailure({target, stderr: 'bind [127.0.0.1]:4000: Address already in use\nchannel_setup_fwd_listener_tcpip: cannot listen to port: 4000\nCould not request local forwarding.', localPort: 4000}).message, /could not forward local port 4000/);
		assert.match(describeSshFailure({target, stderr: 'Timeout, server gw not responding.'}).message, /no answer to keepalives/);
		assert.equal(describeSshFailure({target, stderr: 'something odd', exitCode: 255}).message, 'ssh to ops@gw:2222 failed: something odd');
		assert.equal(describeSshFailure({target, stderr: '', signal: 'SIGKILL'}).message, 'ssh to ops@gw:2222 failed: ssh killed by SIGKILL');
	});
});
