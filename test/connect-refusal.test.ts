// The refusal table (gateway/connect-refusal.ts): every way `connect` can fail, and what the client is told. The
// socket tests check that each step reaches its row; this checks the rows themselves, OpenClaw's codes and words.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {authDetailCode, connectRefusal, type ConnectFailure} from '../gateway/connect-refusal.js';
import {configJsonSchema, schemaNodeAt} from '../gateway/methods/config-schema.js';

describe('connectRefusal', () => {
	const rows: Array<[ConnectFailure, string, string | undefined, number, RegExp]> = [
		[{kind: 'restarting'}, 'UNAVAILABLE', undefined, 1013, /^connect unavailable during gateway restart$/],
		[{kind: 'invalid-params', message: 'invalid connect params: x'}, 'INVALID_REQUEST', undefined, 1008, /^invalid connect params/],
		[{kind: 'protocol', min: 5, max: 6}, 'INVALID_REQUEST', 'PROTOCOL_MISMATCH', 1002, /^protocol mismatch$/],
		[{kind: 'role'}, 'INVALID_REQUEST', undefined, 1008, /^invalid role$/],
		[{kind: 'auth', reason: 'token_missing', tokenOffered: false, device: false}, 'INVALID_REQUEST', 'AUTH_TOKEN_MISSING', 1008, /^unauthorized: gateway token missing/],
		[{kind: 'auth', reason: 'tailscale_whois_failed', tokenOffered: false, device: false}, 'INVALID_REQUEST', 'AUTH_TAILSCALE_WHOIS_FAILED', 1008, /tailscale identity check failed/],
		[{kind: 'auth', reason: 'trusted_proxy_missing_header_x-a', tokenOffered: false, device: false}, 'INVALID_REQUEST', 'AUTH_IDENTITY_HEADER_REQUIRED', 1008, /^unauthorized: trusted proxy identity refused \(trusted_proxy_missing_header_x-a\)$/],
		[{kind: 'auth', reason: 'device_token_mismatch', tokenOffered: false, device: true}, 'INVALID_REQUEST', 'AUTH_DEVICE_TOKEN_MISMATCH', 1008, /device token mismatch/],
		[{kind: 'rate-limited', retryAfterMs: 5000}, 'INVALID_REQUEST', 'AUTH_RATE_LIMITED', 1008, /too many failed authentication attempts/],
		[{kind: 'control-ui-device'}, 'INVALID_REQUEST', 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED', 1008, /^control ui requires device identity/],
		[{kind: 'device-proof', message: 'device signature invalid'}, 'INVALID_REQUEST', undefined, 1008, /^device signature invalid$/],
		[{kind: 'pairing', requestId: 'r-1', deviceId: 'd'}, 'NOT_PAIRED', 'PAIRING_REQUIRED', 1008, /^pairing required$/],
		[{kind: 'device-required'}, 'NOT_PAIRED', 'DEVICE_IDENTITY_REQUIRED', 1008, /^device identity required$/],
	];
	for (const [failure, code, detail, closeCode, message] of rows) {
		test(`${failure.kind}${'reason' in failure ? ` (${failure.reason})` : ''}`, () => {
			const refusal = connectRefusal(failure);
			assert.equal(refusal.error.code, code);
			assert.equal(refusal.error.details?.code, detail);
			assert.equal(refusal.closeCode, closeCode);
			assert.match(refusal.error.message, message);
		});
	}

	test('a device whose shared token was wrong is told it may retry with its device token', () => {
		const details = connectRefusal({kind: 'auth', reason: 'token_mismatch', tokenOffered: true, device: true}).error.details!;
		assert.equal(details.canRetryWithDeviceToken, true);
		assert.equal(details.recommendedNextStep, 'retry_with_device_token');
		const plain = connectRefusal({kind: 'auth', reason: 'token_mismatch', tokenOffered: true, device: false}).error.details!;
		assert.deepEqual(plain, {code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials'});
	});

	test('the pairing close reason names the request; unknown auth reasons are AUTH_UNAUTHORIZED', () => {
		assert.equal(connectRefusal({kind: 'pairing', requestId: 'r-1', deviceId: 'd'}).closeReason, 'pairing required (requestId: r-1)');
		assert.equal(authDetailCode('trusted_proxy_untrusted_source'), 'AUTH_UNAUTHORIZED');
		assert.equal(authDetailCode('tailscale_user_mismatch'), 'AUTH_TAILSCALE_IDENTITY_MISMATCH');
		assert.equal(authDetailCode('tailscale_proxy_missing'), 'AUTH_TAILSCALE_PROXY_MISSING');
	});
});

describe('config.schema shows the auth keys', () => {
	test('trusted-proxy mode, trustedProxy, trustedProxies, allowTailscale, tailscale.mode, nodes.pairing.autoApproveLocal', () => {
		const schema = configJsonSchema();
		assert.ok((schemaNodeAt(schema, 'gateway.auth.mode')!.enum as string[]).includes('trusted-proxy'));
		assert.equal(schemaNodeAt(schema, 'gateway.auth.allowTailscale')!.type, 'boolean');
		assert.equal(schemaNodeAt(schema, 'gateway.auth.trustedProxy.userHeader')!.type, 'string');
		assert.equal(schemaNodeAt(schema, 'gateway.auth.trustedProxy.allowUsers')!.type, 'array');
		assert.equal(schemaNodeAt(schema, 'gateway.trustedProxies')!.type, 'array');
		assert.deepEqual(schemaNodeAt(schema, 'gateway.tailscale.mode')!.enum, ['off', 'serve', 'funnel']);
		assert.equal(schemaNodeAt(schema, 'gateway.nodes.pairing.autoApproveLocal')!.type, 'boolean');
	});
});
