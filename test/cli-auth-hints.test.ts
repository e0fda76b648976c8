// The fix printed with a refused connect names the secret the gateway asked for: a gateway in password mode that
// refuses a wrong password gets the password fix, not the token one. Real gateway processes.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {refusedSecret} from '../source/client/auth-fix.js';
import {describeConnection} from '../source/console/state/connection.js';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

describe('auth fix hints', () => {
	it('the refusal says which secret: detail codes first, the message otherwise', () => {
		assert.equal(refusedSecret({message: 'unauthorized', details: {code: 'AUTH_PASSWORD_MISMATCH', authReason: 'password_mismatch'}}), 'password');
		assert.equal(refusedSecret({message: 'unauthorized', details: {code: 'AUTH_PASSWORD_MISSING'}}), 'password');
		assert.equal(refusedSecret({message: 'unauthorized: gateway token mismatch', details: {code: 'AUTH_TOKEN_MISMATCH'}}), 'token');
		assert.equal(refusedSecret({message: "unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)"}), 'password');
		assert.equal(refusedSecret('unauthorized: gateway token missing'), 'token');
	});

	it('the console shows the password fix for a refused password', () => {
		const line = describeConnection({status: 'auth-failed', attempt: 1, error: 'unauthorized: gateway password mismatch'}, undefined, 0);
		assert.equal(line.hint, 'r retries now; fix: pass --password\nor set OPENCLAW_GATEWAY_PASSWORD');
		const token = describeConnection({status: 'auth-failed', attempt: 1, error: 'unauthorized: gateway token mismatch'}, undefined, 0);
		assert.equal(token.hint, 'r retries now; fix: pass --token\nor set OPENCLAW_GATEWAY_TOKEN');
	});

	it('a child the console started gets the hint about its profile, not the attach fix; a retry shows its countdown', () => {
		const local = describeConnection({status: 'auth-failed', attempt: 1, error: 'unauthorized: gateway token mismatch', retryAt: 5000}, undefined, 2000, 'local');
		assert.equal(local.text, 'auth failed, retrying in 3 s');
		assert.match(local.hint ?? '', /profile's token change[\s\S]*r re-reads it, R restarts/);
		assert.doesNotMatch(local.hint ?? '', /--token/);
	});
});

describe('a gateway in password mode refusing a wrong password', () => {
	let instance: Instance;
	let gateway: GatewayProcess;

	before(async () => {
		const port = await freePort();
		instance = await makeInstance({port, config: {gateway: {mode: 'local', port, auth: {mode: 'password', password: 'the-right-password'}}}});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	it('health --password wrong: the password fix (--password, OPENCLAW_GATEWAY_PASSWORD, gateway.auth.password), not the token one', async () => {
		const result = await openclaw(['health', '--password', 'wrong'], instance.env);
		assert.equal(result.exitCode, 1);
		assert.match(result.stderr, /unauthorized: gateway password mismatch/);
		assert.match(result.stderr, /Fix: pass the gateway password with --password or OPENCLAW_GATEWAY_PASSWORD \(it is gateway\.auth\.password/);
		assert.doesNotMatch(result.stderr, /--token|OPENCLAW_GATEWAY_TOKEN/);
	});

	it('gateway status with a wrong OPENCLAW_GATEWAY_PASSWORD: the same fix in the RPC probe line', async () => {
		const result = await openclaw(['gateway', 'status'], {...instance.env, OPENCLAW_GATEWAY_PASSWORD: 'wrong'});
		assert.equal(result.exitCode, 1);
		assert.match(result.stdout, /RPC probe: failed: unauthorized: gateway password mismatch.*Fix: pass the gateway password with --password/);
		assert.doesNotMatch(result.stdout, /gateway token with --token/);
	});

	it('the right password works', async () => {
		const result = await openclaw(['health', '--password', 'the-right-password'], instance.env);
		assert.equal(result.exitCode, 0, result.stderr);
	});
});
