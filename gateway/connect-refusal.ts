// Every way `connect` can be refused, as one pure function from what went wrong to what the client is told: the
// error (code, message, OpenClaw's `details.code`), the close code and the close reason. The admission steps
// (admission.ts) only say which failure happened; the words live here, so a refusal reads the same whichever step
// found it, and the table can be tested without a socket.
import {closeCodes, errorCodes, GatewayError, MIN_PROBE_PROTOCOL_VERSION, PROTOCOL_VERSION} from '../source/protocol/index.js';
import {rateLimitedError} from './auth-rate-limit.js';

export type ConnectFailure =
	| {kind: 'restarting'}
	| {kind: 'invalid-params'; message: string}
	| {kind: 'protocol'; min: number; max: number}
	| {kind: 'role'}
	| {kind: 'auth'; reason: string; tokenOffered: boolean; device: boolean}
	| {kind: 'rate-limited'; retryAfterMs: number}
	| {kind: 'control-ui-device'}
	| {kind: 'device-proof'; message: string}
	| {kind: 'pairing'; requestId: string; deviceId: string}
	| {kind: 'device-required'};

export type Refusal = {error: GatewayError; closeCode: number; closeReason: string};

/** OpenClaw's reason word → its public detail code (`packages/gateway-protocol/src/connect-error-details.ts`). */
export function authDetailCode(reason: string): string {
	if (reason.startsWith('trusted_proxy_missing_header_')) {
		return 'AUTH_IDENTITY_HEADER_REQUIRED';
	}

	const codes: Record<string, string> = {
		token_missing: 'AUTH_TOKEN_MISSING',
		token_mismatch: 'AUTH_TOKEN_MISMATCH',
		token_missing_config: 'AUTH_TOKEN_NOT_CONFIGURED',
		password_missing: 'AUTH_PASSWORD_MISSING',
		password_mismatch: 'AUTH_PASSWORD_MISMATCH',
		password_missing_config: 'AUTH_PASSWORD_NOT_CONFIGURED',
		tailscale_user_missing: 'AUTH_TAILSCALE_IDENTITY_MISSING',
		tailscale_proxy_missing: 'AUTH_TAILSCALE_PROXY_MISSING',
		tailscale_whois_failed: 'AUTH_TAILSCALE_WHOIS_FAILED',
		tailscale_user_mismatch: 'AUTH_TAILSCALE_IDENTITY_MISMATCH',
		rate_limited: 'AUTH_RATE_LIMITED',
		device_token_mismatch: 'AUTH_DEVICE_TOKEN_MISMATCH',
		scope_mismatch: 'AUTH_SCOPE_MISMATCH',
	};
	return codes[reason] ?? 'AUTH_UNAUTHORIZED';
}

/**
 * OpenClaw's message for an auth reason (`auth-messages.ts`); every one starts with `unauthorized`, which clients
 * match. The token/password hints are the ones this gateway has always given (doctor and the CLI look for them).
 */
export function authMessage(reason: string): string {
	const messages: Record<string, string> = {
		token_missing: 'unauthorized: gateway token missing (set OPENCLAW_GATEWAY_TOKEN or pass --token)',
		token_mismatch: "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
		token_missing_config: 'unauthorized: gateway token not configured on gateway (set gateway.auth.token)',
		password_missing: 'unauthorized: gateway password missing (send connect.params.auth.password)',
		password_mismatch: "unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)",
		password_missing_config: 'unauthorized: gateway password not configured on gateway (set gateway.auth.password)',
		tailscale_user_missing: 'unauthorized: tailscale identity missing (use Tailscale Serve auth or gateway token/password)',
		tailscale_proxy_missing: 'unauthorized: tailscale proxy headers missing (use Tailscale Serve or gateway token/password)',
		tailscale_whois_failed: 'unauthorized: tailscale identity check failed (use Tailscale Serve auth or gateway token/password)',
		tailscale_user_mismatch: 'unauthorized: tailscale identity mismatch (use Tailscale Serve auth or gateway token/password)',
		proxy_attribution_required:
			'unauthorized: proxy client attribution is required (configure gateway.trustedProxies narrowly and make the proxy overwrite or safely rebuild forwarded client headers)',
		device_token_mismatch: 'unauthorized: device token mismatch (rotate/reissue device token)',
		scope_mismatch: 'unauthorized: device token scope mismatch (re-pair or approve scope upgrade)',
	};
	if (messages[reason]) {
		return messages[reason];
	}

	// OpenClaw answers a bare "unauthorized" to the trusted-proxy refusals; the reason word says which check failed.
	return reason.startsWith('trusted_proxy_') ? `unauthorized: trusted proxy identity refused (${reason})` : 'unauthorized';
}

function nextStep(reason: string): string {
	if (/^(token|password)_missing/.test(reason)) {
		return 'update_auth_configuration';
	}

	if (reason === 'token_mismatch' || reason === 'password_mismatch' || reason === 'device_token_mismatch') {
		return 'update_auth_credentials';
	}

	return 'review_auth_configuration';
}

export function connectRefusal(failure: ConnectFailure): Refusal {
	const invalid = (message: string, details?: Record<string, unknown>, closeCode: number = closeCodes.policyViolation): Refusal => ({
		error: new GatewayError({code: errorCodes.invalidRequest, message, details}),
		closeCode,
		closeReason: message,
	});

	switch (failure.kind) {
		case 'restarting': {
			return {
				error: new GatewayError({
					code: errorCodes.unavailable,
					message: 'connect unavailable during gateway restart',
					retryable: true,
					retryAfterMs: 1000,
					details: {method: 'connect', reason: 'gateway-restarting'},
				}),
				closeCode: closeCodes.tryAgainLater,
				closeReason: 'gateway restart in progress',
			};
		}

		case 'invalid-params': {
			return invalid(failure.message);
		}

		case 'protocol': {
			return invalid(
				'protocol mismatch',
				{
					code: 'PROTOCOL_MISMATCH',
					clientMinProtocol: failure.min,
					clientMaxProtocol: failure.max,
					expectedProtocol: PROTOCOL_VERSION,
					minimumProbeProtocol: MIN_PROBE_PROTOCOL_VERSION,
				},
				closeCodes.protocolError,
			);
		}

		case 'role': {
			return invalid('invalid role');
		}

		case 'auth': {
			// As OpenClaw: a device holding a paired token can retry with it after a shared-token mismatch.
			const canRetryWithDeviceToken = failure.reason === 'token_mismatch' && failure.device && failure.tokenOffered;
			return invalid(authMessage(failure.reason), {
				code: authDetailCode(failure.reason),
				authReason: failure.reason,
				canRetryWithDeviceToken,
				recommendedNextStep: canRetryWithDeviceToken ? 'retry_with_device_token' : nextStep(failure.reason),
			});
		}

		case 'rate-limited': {
			const error = rateLimitedError(failure.retryAfterMs);
			return {error, closeCode: closeCodes.policyViolation, closeReason: error.message};
		}

		case 'control-ui-device': {
			return invalid('control ui requires device identity (use HTTPS or localhost secure context)', {code: 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED'});
		}

		case 'device-proof': {
			return invalid(failure.message);
		}

		case 'pairing': {
			return {
				error: new GatewayError({
					code: errorCodes.notPaired,
					message: 'pairing required',
					details: {code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: failure.requestId, deviceId: failure.deviceId},
				}),
				closeCode: closeCodes.policyViolation,
				// OpenClaw's close reason names the request, so a client that only sees the close can still point at it.
				closeReason: `pairing required (requestId: ${failure.requestId})`,
			};
		}

		case 'device-required': {
			return {
				error: new GatewayError({code: errorCodes.notPaired, message: 'device identity required', details: {code: 'DEVICE_IDENTITY_REQUIRED'}}),
				closeCode: closeCodes.policyViolation,
				closeReason: 'device identity required',
			};
		}
	}
}
