// Reading a request body with a size cap and a read deadline, for the JSON HTTP routes (OpenResponses, hooks).
import type http from 'node:http';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type = 'invalid_request_error',
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'HttpError';
	}
}

export function readBody(request: http.IncomingMessage, maxBytes: number, timeoutMs = 30_000): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(request.headers['content-length']);
		if (Number.isFinite(declared) && declared > maxBytes) {
			reject(new HttpError(413, `request body too large (limit ${maxBytes} bytes)`));
			request.resume();
			return;
		}

		const chunks: Buffer[] = [];
		let size = 0;
		const timer = setTimeout(() => {
			cleanup();
			reject(new HttpError(408, `request body not received within ${timeoutMs}ms`));
			request.destroy();
		}, timeoutMs);
		timer.unref();
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				cleanup();
				reject(new HttpError(413, `request body too large (limit ${maxBytes} bytes)`));
				request.resume();
				return;
			}

			chunks.push(chunk);
		};

		const onEnd = () => {
			cleanup();
			resolve(Buffer.concat(chunks));
		};

		const onError = (error: Error) => {
			cleanup();
			reject(new HttpError(400, `request body read failed: ${error.message}`));
		};

		function cleanup() {
			clearTimeout(timer);
			request.off('data', onData);
			request.off('end', onEnd);
			request.off('error', onError);
		}

		request.on('data', onData);
		request.on('end', onEnd);
		request.on('error', onError);
	});
}

/** Parse a JSON object body; anything else is a 400 naming the problem. */
export async function readJsonObject(request: http.IncomingMessage, maxBytes: number, timeoutMs?: number): Promise<Record<string, unknown>> {
	const raw = await readBody(request, maxBytes, timeoutMs);
	let parsed: unknown;
	try {
		parsed = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
	} catch (error) {
		throw new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new HttpError(400, 'request body must be a JSON object');
	}

	return parsed as Record<string, unknown>;
}

export function bearerToken(request: http.IncomingMessage): string | undefined {
	const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
	return match?.[1].trim();
}
