// Why a gateway did not answer, short enough for a row: `connection refused`, `no answer in 10000 ms`,
// `unauthorized: gateway token mismatch`. The full message (with its fix) goes in the row's lastError.
import {GatewayError} from '../protocol/index.js';

const errnoWords: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	ETIMEDOUT: 'connect timed out',
};

type ConnectErrorLike = {kind?: string; message?: string; detail?: {errno?: string; code?: number; reason?: string; error?: {message?: string}}};

export function shortReason(error: unknown): string {
	if (error instanceof GatewayError) {
		return error.code === 'TIMEOUT' ? error.message.replace(/ \(ws:\/\/[^)]*\)$/, '') : `${error.code}: ${error.message}`;
	}

	const failure = (typeof error === 'object' && error !== null ? error : {}) as ConnectErrorLike;
	switch (failure.kind) {
		case 'unreachable': {
			const errno = failure.detail?.errno ?? '';
			return errnoWords[errno] ?? (errno || 'not reachable');
		}

		case 'auth':
		case 'rejected':
		case 'protocol':
			return failure.detail?.error?.message ?? firstSentence(failure.message ?? 'refused');
		case 'closed':
			return failure.detail?.code === undefined ? 'connection closed' : `closed (${failure.detail.code}${failure.detail.reason ? `: ${failure.detail.reason}` : ''})`;
		case 'timeout':
			return 'no answer to connect in time';
		default:
			return firstSentence(error instanceof Error ? error.message : String(error));
	}
}

/** A message up to its "Fix:" (the row has no room for the fix; lastError keeps it). */
export function firstSentence(message: string): string {
	return message.split(/\.? Fix: /)[0].trim();
}
