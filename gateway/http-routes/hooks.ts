// Hooks: `POST <hooks.path>/wake`, `/agent` and `/<name>` (hooks.mappings), as OpenClaw serves them. Off unless
// hooks.enabled and hooks.token; the token comes in `Authorization: Bearer` or `x-openclaw-token` (never the query
// string); 20 failed attempts in 60 s from one client get 429 until the window passes (a process on this host, not a
// web page nor relayed by a proxy, still gets in with the right token: see AuthRateLimiter.attempt).
import {randomUUID} from 'node:crypto';
import type http from 'node:http';
import {secretsEqual} from '../auth.js';
import {AuthRateLimiter, authAttemptSource} from '../auth-rate-limit.js';
import type {LoadedConfig} from '../../source/protocol/config/load.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import {sendJson, type HttpRoute} from '../http.js';
import type {Logger} from '../logger.js';
import type {GatewayService} from '../service.js';
import type {AgentService} from '../agents/service.js';
import {mainSessionKey} from '../agents/runner.js';
import {bearerToken, HttpError, readJsonObject} from './body.js';
import {runRefusalAsHttp} from './run-refusal.js';
import {retryAfterHeader} from './http-auth.js';
import {renderTemplate, type TemplateContext} from './hook-templates.js';
import {WakeQueue} from './wake-queue.js';

export const hooksDefaultPath = '/hooks';
export const hooksDefaultMaxBodyBytes = 256 * 1024;

type HooksSettings = NonNullable<GatewayConfig['hooks']>;
type HookMapping = NonNullable<HooksSettings['mappings']>[number];
type WakeMode = 'now' | 'next-heartbeat';

export type AgentHookRequest = {
	message: string;
	name?: string;
	agentId?: string;
	sessionKey?: string;
	model?: string;
	timeoutSeconds?: number;
	waitForCompletion?: boolean;
};

/** Every hook caller holds the one hook token: they share one run budget. */
const hookRunClient = 'hooks';

function fail(status: number, message: string, headers?: Record<string, string>): HttpError {
	return new HttpError(status, message, 'hook_error', headers);
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
	const value = body[key];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value !== 'string') {
		throw fail(400, `\`${key}\` must be a string`);
	}

	return value.trim() || undefined;
}

function wakeMode(value: unknown): WakeMode {
	if (value === undefined || value === null) {
		return 'now';
	}

	if (value !== 'now' && value !== 'next-heartbeat') {
		throw fail(400, '`mode` must be "now" or "next-heartbeat"');
	}

	return value;
}

export class HooksService implements GatewayService {
	readonly name = 'hooks';
	readonly httpRoutes: HttpRoute[];
	private settings: HooksSettings = {};
	private readonly limiter = new AuthRateLimiter({maxAttempts: 20, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false});
	private readonly wakes = new WakeQueue();
	private readonly logger: Logger;
	private started = false;

	constructor(
		private readonly agents: AgentService,
		logger: Logger,
	) {
		this.logger = logger.child('gateway/hooks');
		this.httpRoutes = [
			{
				matches: (pathname) => this.active() && (pathname === this.basePath() || pathname.startsWith(`${this.basePath()}/`)),
				handle: async (request, response, url) => this.handle(request, response, url),
			},
		];
	}

	start(gateway: {config(): LoadedConfig}): void {
		this.started = true;
		this.take(gateway.config());
	}

	applyConfig(config: LoadedConfig): void {
		this.take(config);
	}

	stop(): void {
		this.started = false;
	}

	private take(config: LoadedConfig): void {
		const before = this.active();
		this.settings = config.config.hooks ?? {};
		if (this.settings.enabled && !this.settings.token) {
			this.logger.warn('hooks.enabled is set but hooks.token is not: hooks stay off until a token is set');
		} else if (this.active() !== before) {
			this.logger.info(this.active() ? `hooks listening on ${this.basePath()}` : 'hooks disabled');
		}
	}

	private active(): boolean {
		return this.started && this.settings.enabled === true && Boolean(this.settings.token);
	}

	private basePath(): string {
		return (this.settings.path ?? hooksDefaultPath).replace(/\/+$/, '') || hooksDefaultPath;
	}

	private async handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
		try {
			const result = await this.dispatch(request, url);
			if (result === undefined) {
				response.writeHead(204).end();
			} else {
				sendJson(response, 200, result);
			}
		} catch (caught) {
			const error = runRefusalAsHttp(caught) ?? caught;
			if (error instanceof HttpError) {
				sendJson(response, error.status, {ok: false, error: error.message}, error.headers);
				return;
			}

			this.logger.error('hook failed', {path: url.pathname, error: (error as Error).message});
			sendJson(response, 500, {ok: false, error: `hook failed: ${(error as Error).message}`});
		}
	}

	private authenticate(request: http.IncomingMessage, url: URL): void {
		if (url.searchParams.has('token')) {
			throw fail(400, 'hook token in the query string is not accepted: send it as Authorization: Bearer <token> or x-openclaw-token');
		}

		const header = request.headers['x-openclaw-token'];
		const given = bearerToken(request) ?? (typeof header === 'string' ? header.trim() : undefined);
		const source = authAttemptSource(request);
		const outcome = this.limiter.attempt(source, () => {
			if (!given || !secretsEqual(given, this.settings.token!)) {
				throw fail(401, 'Unauthorized');
			}
		});
		if (outcome.ok) {
			return;
		}

		if (outcome.rateLimited) {
			throw fail(429, 'too many failed hook authentication attempts; retry later', retryAfterHeader(outcome.retryAfterMs));
		}

		this.logger.warn('hook rejected: bad or missing token', {ip: source.ip, path: url.pathname});
		throw outcome.error as HttpError;
	}

	health(): Record<string, unknown> {
		return {budgets: {hookAuth: this.limiter.report()}};
	}

	private async dispatch(request: http.IncomingMessage, url: URL): Promise<Record<string, unknown> | undefined> {
		this.authenticate(request, url);
		const name = url.pathname.slice(this.basePath().length + 1);
		const builtIn = name === 'wake' || name === 'agent';
		const mapping = builtIn ? undefined : this.mappingFor(name);
		if (!builtIn && !mapping) {
			throw fail(404, `no hook named "${name}" (built in: wake, agent; others come from hooks.mappings)`);
		}

		if (request.method !== 'POST') {
			throw fail(405, 'Method Not Allowed: hooks take POST', {Allow: 'POST'});
		}

		const body = await readJsonObject(request, this.settings.maxBodyBytes ?? hooksDefaultMaxBodyBytes);
		if (name === 'wake') {
			const text = optionalString(body, 'text');
			if (!text) {
				throw fail(400, '`text` is required');
			}

			return this.wake(text, wakeMode(body.mode), optionalString(body, 'sessionKey'));
		}

		if (name === 'agent') {
			const message = optionalString(body, 'message');
			if (!message) {
				throw fail(400, '`message` is required');
			}

			return this.runAgent({
				message,
				name: optionalString(body, 'name'),
				agentId: optionalString(body, 'agentId'),
				sessionKey: optionalString(body, 'sessionKey'),
				model: optionalString(body, 'model'),
				timeoutSeconds: typeof body.timeoutSeconds === 'number' && body.timeoutSeconds > 0 ? body.timeoutSeconds : undefined,
				waitForCompletion: body.waitForCompletion === true,
			});
		}

		return this.runMapping(mapping!, {payload: body, headers: request.headers, query: url.searchParams, path: name});
	}

	private mappingFor(name: string): HookMapping | undefined {
		return (this.settings.mappings ?? []).find((mapping) => (mapping.match?.path ?? mapping.id) === name);
	}

	/** Undefined (204, nothing done) when the mapping's `match.source` does not match the payload's `source`. */
	private async runMapping(mapping: HookMapping, context: TemplateContext): Promise<Record<string, unknown> | undefined> {
		const source = mapping.match?.source;
		if (source && context.payload.source !== source) {
			return undefined;
		}

		const fallback = `Hook ${mapping.name ?? context.path}: ${JSON.stringify(context.payload).slice(0, 4000)}`;
		if (mapping.action === 'wake') {
			const text = mapping.textTemplate ? renderTemplate(mapping.textTemplate, context).trim() : fallback;
			if (!text) {
				throw fail(400, `hook "${context.path}": textTemplate rendered empty text for this payload`);
			}

			return this.wake(text, mapping.wakeMode ?? 'now', mapping.sessionKey);
		}

		const message = mapping.messageTemplate ? renderTemplate(mapping.messageTemplate, context).trim() : fallback;
		if (!message) {
			throw fail(400, `hook "${context.path}": messageTemplate rendered an empty message for this payload`);
		}

		return this.runAgent({
			message,
			name: mapping.name,
			agentId: mapping.agentId,
			sessionKey: mapping.sessionKey ? renderTemplate(mapping.sessionKey, context) : undefined,
			model: mapping.model,
			timeoutSeconds: mapping.timeoutSeconds,
		});
	}

	/** Queue a system event for the main session; `now` hands the pending events to an agent turn at once. */
	private wake(text: string, mode: WakeMode, sessionKey?: string): Record<string, unknown> {
		const key = sessionKey ?? mainSessionKey('main');
		const eventOutcome = this.wakes.enqueue(key, text);
		if (mode === 'now') {
			const events = this.wakes.drain(key);
			this.agents.runner.start(
				{
					runId: randomUUID(),
					message: events.map((event) => `System: ${event}`).join('\n'),
					sessionKey: key,
				},
				hookRunClient,
			);
		}

		return {ok: true, mode, eventOutcome};
	}

	private async runAgent(hook: AgentHookRequest): Promise<Record<string, unknown>> {
		// As OpenClaw: an unknown agent id falls back to the default agent rather than failing the hook.
		const agentId = hook.agentId && this.agents.agentIds().includes(hook.agentId) ? hook.agentId : undefined;
		const {run} = this.agents.runner.start(
			{
				runId: randomUUID(),
				message: hook.name ? `[${hook.name}] ${hook.message}` : hook.message,
				agentId,
				sessionKey: hook.sessionKey ?? `hook:${randomUUID()}`,
				model: hook.model,
				timeoutSeconds: hook.timeoutSeconds,
			},
			hookRunClient,
		);
		if (!hook.waitForCompletion) {
			return {ok: true, runId: run.runId};
		}

		const outcome = await run.done;
		return {
			ok: true,
			runId: run.runId,
			completion: {status: outcome.status, summary: outcome.summary, text: run.text, ...(outcome.error ? {error: outcome.error} : {})},
		};
	}
}
