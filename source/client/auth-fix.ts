// The fix to print with a refused `connect`, chosen by the secret the gateway asked for: a gateway in password mode
// that refuses a wrong password must not send the operator looking for a token (nor the other way round).
import {isRecord, type ErrorShape} from '../protocol/index.js';

export type GatewaySecret = 'token' | 'password';

const fixes: Record<GatewaySecret, string> = {
	token: 'Fix: pass the gateway token with --token or OPENCLAW_GATEWAY_TOKEN (it is in gateway.auth.token or <state dir>/gateway.token on the gateway host).',
	password: 'Fix: pass the gateway password with --password or OPENCLAW_GATEWAY_PASSWORD (it is gateway.auth.password on the gateway host).',
};

export function authFix(secret: GatewaySecret): string {
	return fixes[secret];
}

/**
 * Which secret a refusal is about. The detail code (AUTH_PASSWORD_MISMATCH, AUTH_PASSWORD_MISSING; authReason
 * password_*) says it; a gateway that sends no details still names it in its message ("gateway password mismatch").
 */
export function refusedSecret(error: Pick<ErrorShape, 'message' | 'details'> | string): GatewaySecret {
	if (typeof error === 'string') {
		return /\bpassword\b/i.test(error) ? 'password' : 'token';
	}

	const details = isRecord(error.details) ? error.details : {};
	const code = typeof details.code === 'string' ? details.code : '';
	const reason = typeof details.authReason === 'string' ? details.authReason : '';
	if (code.startsWith('AUTH_PASSWORD') || reason.startsWith('password')) {
		return 'password';
	}

	if (code.startsWith('AUTH_TOKEN') || reason.startsWith('token')) {
		return 'token';
	}

	return refusedSecret(error.message);
}
