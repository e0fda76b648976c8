// Turning an OpenResponses request body (+ OpenClaw's x-openclaw-* headers) into an agent run request. Pure, so
// the input rules are unit-tested without a server.
import type {ChatMessage} from '../agents/provider.js';
import {HttpError} from './body.js';

export type ResponsesRunRequest = {
	agentId?: string;
	/** The model field as the client sent it (echoed back in the response object). */
	model: string;
	modelOverride?: string;
	sessionKey?: string;
	message: string;
	history: ChatMessage[];
	systemPrompt?: string;
	stream: boolean;
};

const reservedSessionPrefixes = ['subagent:', 'cron:', 'acp:'];

/** `openclaw`, `openclaw/default`, `openclaw/<agentId>`, `openclaw:<agentId>`, `agent:<agentId>`. */
export function agentFromModel(model: string | undefined): string | undefined {
	if (model === undefined || model === 'openclaw' || model === 'openclaw/default' || model === 'openclaw:default') {
		return undefined;
	}

	const match = /^(?:openclaw[/:]|agent:)([\w.-]+)$/.exec(model);
	if (!match) {
		throw new HttpError(
			400,
			`model must be an agent target ("openclaw" or "openclaw/<agentId>"), got "${model}"; pick the backend model with the x-openclaw-model header`,
		);
	}

	return match[1];
}

function contentText(content: unknown): string {
	if (typeof content === 'string') {
		return content;
	}

	if (!Array.isArray(content)) {
		return '';
	}

	return content
		.filter((part): part is {text: string} => Boolean(part) && typeof (part as {text?: unknown}).text === 'string')
		.filter((part) => ['input_text', 'output_text', 'text', undefined].includes((part as {type?: string}).type))
		.map((part) => part.text)
		.join('');
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
	const value = headers[name];
	const text = Array.isArray(value) ? value[0] : value;
	return text?.trim() || undefined;
}

export function parseResponsesRequest(
	body: Record<string, unknown>,
	headers: Record<string, string | string[] | undefined> = {},
): ResponsesRunRequest {
	const {input, instructions, stream, model, user} = body;
	if (model !== undefined && typeof model !== 'string') {
		throw new HttpError(400, '`model` must be a string');
	}

	if (instructions !== undefined && typeof instructions !== 'string') {
		throw new HttpError(400, '`instructions` must be a string');
	}

	const system: string[] = instructions ? [instructions] : [];
	const turns: ChatMessage[] = [];
	if (typeof input === 'string') {
		turns.push({role: 'user', content: input});
	} else if (Array.isArray(input)) {
		for (const item of input) {
			if (!item || typeof item !== 'object') {
				throw new HttpError(400, '`input` items must be objects');
			}

			const {type, role, content} = item as {type?: string; role?: string; content?: unknown};
			if (type !== undefined && type !== 'message') {
				// Tool outputs, images, files, reasoning and item references carry nothing a text model can use here.
				continue;
			}

			const text = contentText(content);
			if (role === 'system' || role === 'developer') {
				system.push(text);
			} else if (role === 'user' || role === 'assistant') {
				turns.push({role, content: text});
			} else {
				throw new HttpError(400, `unsupported input message role: ${String(role)}`);
			}
		}
	} else {
		throw new HttpError(400, '`input` is required: a string or an array of input items');
	}

	const last = turns.at(-1);
	if (!last || last.role !== 'user' || !last.content.trim()) {
		throw new HttpError(400, '`input` must end with a non-empty user message');
	}

	const sessionKey = header(headers, 'x-openclaw-session-key') ?? (typeof user === 'string' && user ? `openresponses-user:${user}` : undefined);
	if (sessionKey && reservedSessionPrefixes.some((prefix) => sessionKey.startsWith(prefix))) {
		throw new HttpError(400, `session key prefix is reserved: ${sessionKey.split(':')[0]}:`);
	}

	return {
		agentId: header(headers, 'x-openclaw-agent-id') ?? agentFromModel(model),
		model: model ?? 'openclaw',
		modelOverride: header(headers, 'x-openclaw-model'),
		sessionKey,
		message: last.content,
		history: turns.slice(0, -1),
		systemPrompt: system.length > 0 ? system.join('\n\n') : undefined,
		stream: stream === true,
	};
}
