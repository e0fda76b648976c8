// The fix to print with a refused `connect`, chosen by the secret the gateway asked for: a gateway in password mode
// that refuses a wrong password must not send the operator looking for a token (nor the other way round).
import {isRecord, type ErrorShape} from '../protocol/index.js';
import {fixSentence, signature} from '../protocol/signatures.js';

export type GatewaySecret = 'token' | 'password';

/** The fix for a refused secret, in the words of the signature table (doctor and the console say the same). */
export function authFix(secret: GatewaySecret): string {
	return fixSentence(signature(secret === 'password' ? 'auth-password' : 'auth-token'));
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
