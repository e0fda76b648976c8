// The runner refuses a run as a GatewayError (too much input, too many runs); over HTTP that is a status code.
import {GatewayError} from '../../source/protocol/index.js';
import {HttpError} from './body.js';
import {retryAfterHeader} from './http-auth.js';

/** The HTTP form of a run refusal (413; 429 or 503 with Retry-After), or undefined for any other error. */
export function runRefusalAsHttp(error: unknown): HttpError | undefined {
	if (!(error instanceof GatewayError)) {
		return undefined;
	}

	switch (error.details?.code) {
		case 'RUN_INPUT_TOO_LARGE': {
			return new HttpError(413, error.message, 'invalid_request_error');
		}

		case 'RUN_RATE_LIMITED': {
			return new HttpError(429, error.message, 'rate_limited', retryAfterHeader(error.retryAfterMs ?? 1000));
		}

		case 'RUNS_BUSY': {
			return new HttpError(503, error.message, 'server_busy', retryAfterHeader(error.retryAfterMs ?? 1000));
		}

		default: {
			return undefined;
		}
	}
}
