// One HTTP request to a chat service's API with a hard deadline, whose failures read well and never carry a
// secret (Telegram puts the bot token in the URL, and fetch errors may echo the URL).
export type ProbeRequest = {
	url: string;
	method: 'GET' | 'HEAD' | 'POST';
	headers?: Record<string, string>;
	body?: string;
	timeoutMs: number;
	/** Strings that must not appear in any error text (tokens, secret URLs). */
	secrets: readonly string[];
	/** Ends the request early (a channel stopping mid long-poll). */
	signal?: AbortSignal;
};

export type ProbeResponse = {status: number; body: unknown};

export class ProbeError extends Error {
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
		this.name = 'ProbeError';
	}
}

/** Replace every occurrence of each secret (and its URL-encoded form) with `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length < 4) {
			continue;
		}

		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			out = out.split(form).join('***');
		}
	}

	return out;
}

function describeFailure(error: unknown): string {
	const cause = (error as {cause?: {code?: string; message?: string}})?.cause;
	if (cause?.code) {
		return cause.message ? `${cause.code}: ${cause.message}` : cause.code;
	}

	if (cause?.message) {
		return cause.message;
	}

	return error instanceof Error ? error.message : String(error);
}

export async function probeRequest(request: ProbeRequest): Promise<ProbeResponse> {
	const controller = new AbortController();
	const timer = setTimeout(() => {
		controller.abort();
	}, request.timeoutMs);
	const onAbort = () => controller.abort();
	request.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		const response = await fetch(request.url, {
			method: request.method,
			headers: request.headers,
			body: request.body,
			signal: controller.signal,
			redirect: 'manual',
		});
		const text = request.method === 'HEAD' ? '' : await response.text();
		let body: unknown = text;
		if (text && (response.headers.get('content-type') ?? '').includes('json')) {
			try {
				body = JSON.parse(text);
			} catch {
				// A non-JSON answer is reported by the caller as an unexpected response.
			}
		}

		return {status: response.status, body};
	} catch (error) {
		if (request.signal?.aborted) {
			throw new ProbeError('stopped');
		}

		if (controller.signal.aborted) {
			throw new ProbeError(`timed out after ${request.timeoutMs}ms`);
		}

		throw new ProbeError(maskSecrets(`request failed: ${describeFailure(error)}`, request.secrets));
	} finally {
		clearTimeout(timer);
		request.signal?.removeEventListener('abort', onAbort);
	}
}

export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function bodyField(body: unknown, key: string): unknown {
	return body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
}
