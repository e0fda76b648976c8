// `POST /v1/responses` (OpenResponses) on the gateway port: off unless gateway.http.endpoints.responses.enabled
// (then 404, as OpenClaw), Bearer auth with the gateway secret, a JSON answer or an SSE stream, and a client that
// goes away aborts its run.
import {randomUUID} from 'node:crypto';
import type http from 'node:http';
import type {LoadedConfig} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import type {HttpRoute} from '../http.js';
import type {Logger} from '../logger.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import type {AgentService} from '../agents/service.js';
import type {AgentEventPayload, AgentRun} from '../agents/run.js';
import {HttpError, readJsonObject} from './body.js';
import {runRefusalAsHttp} from './run-refusal.js';
import {requireGatewayBearer, sendError} from './http-auth.js';
import {parseResponsesRequest, type ResponsesRunRequest} from './responses-request.js';
import {ResponseEventStream, responseObject, type ResponseIds} from './responses-shape.js';
import {sendJson} from '../http.js';

export const responsesPath = '/v1/responses';
export const responsesMaxBodyBytes = 20 * 1024 * 1024;

export function responsesEnabled(config: GatewayConfig): boolean {
	return config.gateway?.http?.endpoints?.responses?.enabled === true;
}

export class ResponsesService implements GatewayService {
	readonly name = 'responses';
	readonly httpRoutes: HttpRoute[];
	private gateway?: GatewayRuntime;
	private enabled = false;
	private readonly logger: Logger;

	constructor(
		private readonly agents: AgentService,
		logger: Logger,
	) {
		this.logger = logger.child('gateway/http');
		this.httpRoutes = [
			{
				matches: (pathname) => pathname === responsesPath,
				handle: async (request, response) => this.handle(request, response),
			},
		];
	}

	start(gateway: GatewayRuntime): void {
		this.gateway = gateway;
		this.enabled = responsesEnabled(gateway.config().config);
	}

	applyConfig(config: LoadedConfig): void {
		this.enabled = responsesEnabled(config.config);
	}

	private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const gateway = this.gateway;
		if (!gateway || !this.enabled) {
			sendError(response, 404, `not found: ${responsesPath} (enable it with gateway.http.endpoints.responses.enabled)`, 'not_found');
			return;
		}

		if (request.method !== 'POST') {
			sendError(response, 405, 'Method Not Allowed: use POST', 'method_not_allowed', {Allow: 'POST'});
			return;
		}

		if (!requireGatewayBearer(request, response, gateway)) {
			return;
		}

		let parsed: ResponsesRunRequest;
		let agentId: string;
		try {
			parsed = parseResponsesRequest(await readJsonObject(request, responsesMaxBodyBytes), request.headers);
			agentId = this.agents.checkAgentId(parsed.agentId);
		} catch (error) {
			if (error instanceof HttpError) {
				sendError(response, error.status, error.message, error.type);
				return;
			}

			sendError(response, 400, (error as Error).message, 'invalid_request_error');
			return;
		}

		const ids: ResponseIds = {
			id: `resp_${randomUUID().replaceAll('-', '')}`,
			itemId: `msg_${randomUUID().replaceAll('-', '')}`,
			createdAt: Math.floor(Date.now() / 1000),
			model: parsed.model,
		};
		let run: AgentRun;
		try {
			({run} = this.agents.runner.start(
				{
					runId: ids.id,
					message: parsed.message,
					agentId,
					sessionKey: parsed.sessionKey ?? `openresponses:${ids.id}`,
					model: parsed.modelOverride,
					systemPrompt: parsed.systemPrompt,
					history: parsed.history,
				},
				`http:${request.socket.remoteAddress ?? 'unknown'}`,
			));
		} catch (error) {
			const refusal = runRefusalAsHttp(error);
			if (!refusal) {
				throw error;
			}

			sendError(response, refusal.status, refusal.message, refusal.type, refusal.headers);
			return;
		}

		response.on('close', () => {
			if (!response.writableFinished && run.abort('client-disconnected')) {
				this.logger.info('OpenResponses client went away: run aborted', {runId: run.runId});
			}
		});
		const inputText = [parsed.systemPrompt ?? '', ...parsed.history.map((turn) => turn.content), parsed.message].join('\n');
		if (!parsed.stream) {
			const outcome = await run.done;
			if (response.destroyed) {
				return;
			}

			if (outcome.status === 'error') {
				sendError(response, 502, outcome.error ?? 'agent run failed', 'api_error');
				return;
			}

			const status = outcome.summary === 'completed' ? 'completed' : 'incomplete';
			sendJson(response, 200, responseObject(ids, status, {text: run.text, inputText}));
			return;
		}

		response.writeHead(200, {
			'Content-Type': 'text/event-stream; charset=utf-8',
			'Cache-Control': 'no-cache',
			Connection: 'keep-alive',
			'X-Accel-Buffering': 'no',
		});
		response.flushHeaders();
		const events = new ResponseEventStream(ids, (type, data) => {
			response.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
		});
		events.begin();
		const onEvent = (payload: AgentEventPayload) => {
			if (payload.stream === 'assistant' && typeof payload.data.delta === 'string') {
				events.delta(payload.data.delta);
			}
		};

		// Subscribing right after start() misses nothing: the first delta comes after the model is awaited.
		run.on('event', onEvent);
		const outcome = await run.done;
		run.off('event', onEvent);
		if (response.destroyed) {
			return;
		}

		if (outcome.status === 'error') {
			events.fail(run.text, inputText, outcome.error ?? 'agent run failed');
		} else {
			events.complete(run.text, inputText);
		}

		response.end('data: [DONE]\n\n');
	}
}
